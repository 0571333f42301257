import * as kms from "@pulumi/aws/kms";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName, statefulOptions } from "../kit";
import type { AwsContext } from "./context";

export interface KmsKeyOptions {
  /** Shown in the console and on the key. */
  description: string;
  /** Lets CloudWatch Logs in this region use the key for log groups of this account. */
  allowCloudWatchLogs?: boolean;
  /** Further key-policy statements, e.g. a service that encrypts with the key on the account's behalf. */
  statements?: pulumi.Input<Record<string, unknown>>[];
}

/**
 * A customer-managed symmetric key with yearly rotation and the longest deletion window. The key
 * policy keeps administration with the account (so IAM policies decide who uses it) and adds
 * only the service grants a caller asks for.
 */
export function createKmsKey(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  ctx: AwsContext,
  options: KmsKeyOptions,
): { key: kms.Key; alias: kms.Alias } {
  const statements: pulumi.Input<Record<string, unknown>>[] = [
    {
      Sid: "AccountAdministration",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ];
  if (options.allowCloudWatchLogs) {
    statements.push({
      Sid: "CloudWatchLogsUse",
      Effect: "Allow",
      Principal: { Service: pulumi.interpolate`logs.${ctx.region}.${ctx.dnsSuffix}` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: {
          "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*`,
        },
      },
    });
  }
  statements.push(...(options.statements ?? []));
  const key = new kms.Key(
    name,
    {
      description: options.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
      tags: common.tags,
    },
    statefulOptions(parent, common),
  );
  const alias = new kms.Alias(
    childName(name, "alias"),
    { namePrefix: `alias/${name}-`, targetKeyId: key.keyId },
    { parent },
  );
  return { key, alias };
}
