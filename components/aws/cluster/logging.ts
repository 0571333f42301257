import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import { childName } from "../../kit";
import { createKmsKey } from "../kms";
import { createLogGroup } from "../logs";
import type { ClusterScope } from "./scope";

/**
 * The log group of the control-plane logs, under its own KMS key. EKS writes to exactly
 * `/aws/eks/<cluster>/cluster`; creating it first keeps it encrypted and bounded.
 */
export function createControlPlaneLogs(scope: ClusterScope, retentionInDays: number): cloudwatch.LogGroup {
  const { name, parent, clusterName, common, ctx } = scope;
  const { key } = createKmsKey(childName(name, "logs"), parent, common, ctx, {
    description: `Control-plane logs of EKS cluster ${clusterName}`,
    allowCloudWatchLogs: true,
  });
  return createLogGroup(childName(name, "control-plane"), parent, common, {
    logGroupName: `/aws/eks/${clusterName}/cluster`,
    retentionInDays,
    kmsKeyArn: key.arn,
  });
}
