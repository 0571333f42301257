import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import type * as pulumi from "@pulumi/pulumi";

/** Where a component's AWS children live, read from the provider it inherits. */
export interface AwsContext {
  readonly region: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  /** DNS suffix of the partition, `amazonaws.com` in the commercial one. */
  readonly dnsSuffix: pulumi.Output<string>;
  /** Prefix of the partition's service names, `com.amazonaws` in the commercial one (`cn.com.amazonaws` in China). */
  readonly reverseDnsPrefix: pulumi.Output<string>;
}

export function awsContext(parent: pulumi.Resource): AwsContext {
  const opts = { parent };
  const partition = getPartitionOutput({}, opts);
  return {
    region: getRegionOutput({}, opts).region,
    accountId: getCallerIdentityOutput({}, opts).accountId,
    partition: partition.partition,
    dnsSuffix: partition.dnsSuffix,
    reverseDnsPrefix: partition.reverseDnsPrefix,
  };
}
