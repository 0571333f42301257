import * as cloudwatch from "@pulumi/aws/cloudwatch";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, statefulOptions } from "../kit";

/** CloudWatch retention values the API accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A KMS-encrypted log group with retention; audit trails are data, so it is protected like data. */
export function createLogGroup(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  args: { logGroupName?: pulumi.Input<string>; retentionInDays: number; kmsKeyArn: pulumi.Input<string> },
): cloudwatch.LogGroup {
  return new cloudwatch.LogGroup(
    name,
    {
      ...(args.logGroupName === undefined ? {} : { name: args.logGroupName }),
      retentionInDays: args.retentionInDays,
      kmsKeyId: args.kmsKeyArn,
      deletionProtectionEnabled: common.protectData,
      tags: common.tags,
    },
    statefulOptions(parent, common),
  );
}
