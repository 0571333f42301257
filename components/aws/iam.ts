import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";

/** A trust policy that lets one AWS service assume a role. */
export function serviceTrustPolicy(service: string, extraActions: string[] = []): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: ["sts:AssumeRole", ...extraActions],
      },
    ],
  });
}

/** Who a Pod Identity role is for: one ServiceAccount of one namespace on one cluster. */
export interface PodIdentitySubject {
  /** The cluster's ARN, as EKS Pod Identity tags the session with it. */
  clusterArn: pulumi.Input<string>;
  namespace: string;
  serviceAccount: string;
}

/**
 * The trust policy of a role only EKS Pod Identity assumes, and only for `subject`: EKS Pod
 * Identity tags every session with the cluster, namespace and service account (EKS user guide,
 * "List of session tags added by EKS Pod Identity"), and the conditions require them, so an
 * association on another cluster, or for another namespace or account, cannot use the role.
 * `sts:TagSession` is what lets the service set those tags.
 */
export function podIdentityTrustPolicy(subject: PodIdentitySubject): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EksPodIdentityForOneServiceAccount",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": subject.clusterArn,
            "aws:RequestTag/kubernetes-namespace": subject.namespace,
            "aws:RequestTag/kubernetes-service-account": subject.serviceAccount,
          },
        },
      },
    ],
  });
}

/** The ARN of an EKS cluster in the partition, region and account of the component's provider. */
export function eksClusterArn(
  where: { partition: pulumi.Input<string>; region: pulumi.Input<string>; accountId: pulumi.Input<string> },
  clusterName: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`arn:${where.partition}:eks:${where.region}:${where.accountId}:cluster/${clusterName}`;
}

/** A role that EKS Pod Identity assumes for one ServiceAccount only (see `podIdentityTrustPolicy`). */
export function createPodIdentityServiceRole(
  name: string,
  parent: pulumi.Resource,
  role: { description: string; subject: PodIdentitySubject; tags: Record<string, string> },
): iam.Role {
  return new iam.Role(
    name,
    {
      description: role.description,
      assumeRolePolicy: podIdentityTrustPolicy(role.subject),
      tags: role.tags,
    },
    { parent },
  );
}

/** The ARN of an AWS-managed IAM policy in the partition the component runs in. */
export function managedPolicyArn(partition: pulumi.Input<string>, policy: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;
}

/** A role that one AWS service assumes (and, with `extraActions`, e.g. tags its session in). */
export function createServiceRole(
  name: string,
  parent: pulumi.Resource,
  role: { description: string; service: string; extraActions?: string[]; tags: Record<string, string> },
): iam.Role {
  return new iam.Role(
    name,
    {
      description: role.description,
      assumeRolePolicy: serviceTrustPolicy(role.service, role.extraActions),
      tags: role.tags,
    },
    { parent },
  );
}

/** Attaches the AWS-managed policy `policy` to `role`. */
export function attachManagedPolicy(
  name: string,
  parent: pulumi.Resource,
  role: iam.Role,
  partition: pulumi.Input<string>,
  policy: string,
): iam.RolePolicyAttachment {
  return new iam.RolePolicyAttachment(
    name,
    { role: role.name, policyArn: managedPolicyArn(partition, policy) },
    { parent },
  );
}

/**
 * Binds `roleArn` to one ServiceAccount through EKS Pod Identity, once `policy` (the role's
 * permissions) is in place: the pod's first call must find it.
 */
export function associatePodIdentity(
  name: string,
  parent: pulumi.Resource,
  association: {
    clusterName: pulumi.Input<string>;
    namespace: string;
    serviceAccount: string;
    roleArn: pulumi.Input<string>;
    tags: Record<string, string>;
  },
  policy: pulumi.Resource,
): eks.PodIdentityAssociation {
  return new eks.PodIdentityAssociation(name, association, { parent, dependsOn: [policy] });
}
