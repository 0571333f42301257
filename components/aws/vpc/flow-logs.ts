import type * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { createKmsKey } from "../kms";
import { createLogGroup } from "../logs";
import type { VpcScope } from "./scope";

/**
 * The role VPC flow logs deliver through: only flow logs of this account may assume it, and it may
 * only write to `group`.
 */
function createDeliveryRole(scope: VpcScope, group: cloudwatch.LogGroup): iam.Role {
  const { name, parent, common, ctx } = scope;
  const role = new iam.Role(
    childName(name, "flow-logs"),
    {
      description: `Delivers flow logs of VPC ${name} to CloudWatch Logs`,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "vpc-flow-logs.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only flow logs of this account may assume the role.
            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
          },
        ],
      }),
      tags: common.tags,
    },
    { parent },
  );
  new iam.RolePolicy(
    childName(name, "flow-logs"),
    {
      role: role.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
          },
        ],
      }),
    },
    { parent },
  );
  return role;
}

/** All traffic of the VPC, aggregated each minute, to a KMS-encrypted log group with retention. */
export function createFlowLogs(
  scope: VpcScope,
  vpcId: pulumi.Input<string>,
  retentionInDays: number,
): cloudwatch.LogGroup {
  const { name, parent, common, ctx } = scope;
  const { key } = createKmsKey(childName(name, "flow-logs"), parent, common, ctx, {
    description: `Flow logs of VPC ${name}`,
    allowCloudWatchLogs: true,
  });
  const group = createLogGroup(childName(name, "flow-logs"), parent, common, {
    retentionInDays,
    kmsKeyArn: key.arn,
  });
  const role = createDeliveryRole(scope, group);
  new ec2.FlowLog(
    childName(name, "flow-logs"),
    {
      vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: scope.tag("flow-logs"),
    },
    { parent },
  );
  return group;
}
