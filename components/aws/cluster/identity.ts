import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { attachManagedPolicy, createPodIdentityServiceRole, createServiceRole } from "../iam";
import type { ClusterScope } from "./scope";

/** The policies the nodes' role gets: the worker policy and image pulls only. */
const NODE_POLICIES = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"];

/**
 * The control plane's role: the managed cluster policy and use of its secrets key, nothing more.
 * `grants` are what the cluster must wait for besides the role.
 */
export function createControlPlaneRole(
  scope: ClusterScope,
  secretsKeyArn: pulumi.Input<string>,
): { role: iam.Role; grants: pulumi.Resource[] } {
  const { name, parent, clusterName, common, ctx } = scope;
  const role = createServiceRole(childName(name, "cluster"), parent, {
    description: `EKS control plane of ${clusterName}`,
    service: "eks.amazonaws.com",
    extraActions: ["sts:TagSession"],
    tags: common.tags,
  });
  const clusterPolicy = attachManagedPolicy(
    childName(name, "cluster-policy"),
    parent,
    role,
    ctx.partition,
    "AmazonEKSClusterPolicy",
  );
  const clusterKms = new iam.RolePolicy(
    childName(name, "cluster-kms"),
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
            Resource: secretsKeyArn,
          },
        ],
      }),
    },
    { parent },
  );
  return { role, grants: [clusterPolicy, clusterKms] };
}

/** The IAM OIDC provider of the cluster's issuer, for IRSA. */
export function createOidcProvider(
  scope: ClusterScope,
  issuer: pulumi.Input<string>,
): iam.OpenIdConnectProvider {
  return new iam.OpenIdConnectProvider(
    childName(scope.name, "oidc"),
    { url: issuer, clientIdLists: ["sts.amazonaws.com"], tags: scope.common.tags },
    { parent: scope.parent },
  );
}

/**
 * The role every node runs as: the worker policy and image pulls only; the CNI's permissions live
 * on its own role. `policies` are what node groups must wait for.
 */
export function createNodeRole(scope: ClusterScope): {
  role: iam.Role;
  policies: iam.RolePolicyAttachment[];
} {
  const { name, parent, clusterName, common, ctx } = scope;
  const role = createServiceRole(childName(name, "node"), parent, {
    description: `Nodes of EKS cluster ${clusterName}`,
    service: "ec2.amazonaws.com",
    tags: common.tags,
  });
  const policies = NODE_POLICIES.map((policy) =>
    attachManagedPolicy(childName(name, "node", policy), parent, role, ctx.partition, policy),
  );
  return { role, policies };
}

/**
 * The EKS Pod Identity role of one add-on's service account (and no other: see
 * `podIdentityTrustPolicy`), with one managed policy. The add-on must wait for `attachment`, not
 * only the role: its pods need the policy from their first start.
 */
export function createPodIdentityRole(
  scope: ClusterScope,
  addon: string,
  account: { namespace: string; serviceAccount: string; managedPolicy: string },
  clusterArn: pulumi.Input<string>,
): { role: iam.Role; attachment: iam.RolePolicyAttachment } {
  const { name, parent, clusterName, common, ctx } = scope;
  const role = createPodIdentityServiceRole(childName(name, addon), parent, {
    description: `${addon} add-on of ${clusterName} (EKS Pod Identity)`,
    subject: { clusterArn, namespace: account.namespace, serviceAccount: account.serviceAccount },
    tags: common.tags,
  });
  const attachment = attachManagedPolicy(
    childName(name, addon),
    parent,
    role,
    ctx.partition,
    account.managedPolicy,
  );
  return { role, attachment };
}
