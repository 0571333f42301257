import { getRolesOutput } from "@pulumi/aws/iam/getRoles";
import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { AwsContext } from "../context";

/**
 * What EC2 Auto Scaling's service-linked role needs of a customer managed key to launch instances
 * whose volumes it encrypts (AWS: "Required AWS KMS key policy for use with encrypted volumes").
 * Without it, the managed node group's instances fail to launch and the group never turns ACTIVE.
 */
export const AUTO_SCALING_KEY_OPERATIONS = [
  "Encrypt",
  "Decrypt",
  "ReEncryptFrom",
  "ReEncryptTo",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "DescribeKey",
  "CreateGrant",
] as const;

/** Where IAM keeps EC2 Auto Scaling's service-linked role, and its name. */
export const AUTO_SCALING_SERVICE_ROLE = {
  path: "/aws-service-role/autoscaling.amazonaws.com/",
  name: "AWSServiceRoleForAutoScaling",
} as const;

/**
 * The ARN of the account's `AWSServiceRoleForAutoScaling`, once it is known to exist. IAM creates
 * the role with the account's first Auto Scaling group, and a KMS grant to a role that does not
 * exist fails (InvalidArnException); a managed node group's group does not exist until after the
 * grant. The role is account-wide and one-of-a-kind, so a stack cannot own it: the lookup fails the
 * preview, before the grant, with the one command that creates it.
 */
export function autoScalingServiceRoleArn(parent: pulumi.Resource, ctx: AwsContext): pulumi.Output<string> {
  const found = getRolesOutput(
    { pathPrefix: AUTO_SCALING_SERVICE_ROLE.path, nameRegex: `^${AUTO_SCALING_SERVICE_ROLE.name}$` },
    { parent },
  );
  return pulumi.all([found.arns, ctx.accountId]).apply(([arns, account]) => {
    const arn = [...arns].sort()[0];
    if (arn === undefined) {
      throw new Error(
        `account ${account} has no ${AUTO_SCALING_SERVICE_ROLE.name} yet (IAM creates it with the account's first Auto Scaling group), and a node group whose volumes a customer managed key encrypts grants that role the key before any group exists; create it once per account with: aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`,
      );
    }
    return arn;
  });
}

/**
 * Grants the account's `AWSServiceRoleForAutoScaling` the use of the node volumes' key. A grant,
 * unlike a key policy statement, works for a key in another account too, as AWS documents for
 * cross-account keys; the deployer needs `kms:CreateGrant` on the key. The grant is revoked when
 * the node group goes (the provider's default).
 */
export function grantDiskKey(
  name: string,
  parent: pulumi.Resource,
  ctx: AwsContext,
  keyArn: pulumi.Input<string>,
): kms.Grant {
  return new kms.Grant(
    childName(name, "disk-key"),
    {
      keyId: keyArn,
      granteePrincipal: autoScalingServiceRoleArn(parent, ctx),
      operations: [...AUTO_SCALING_KEY_OPERATIONS],
    },
    { parent },
  );
}
