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
      granteePrincipal: pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      operations: [...AUTO_SCALING_KEY_OPERATIONS],
    },
    { parent },
  );
}
