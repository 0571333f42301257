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
