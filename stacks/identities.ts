import type * as pulumi from "@pulumi/pulumi";
import { type AwsEncryptedBucket, type AwsPrivateCluster, AwsWorkloadIdentity } from "../components/aws";
import { namespaceOf, serviceAccountOf } from "../components/kubernetes";
import type { CommonArgs } from "../components/pulumi-kit";
import type { PlatformConfig } from "./config";
import type { PlatformWorkloads } from "./program";

/** The AWS site's parts a workload identity refers to. */
export interface AwsIdentityParts {
  cluster: AwsPrivateCluster;
  buckets: { name: string; bucket: AwsEncryptedBucket }[];
  opts: pulumi.ComponentResourceOptions;
}

/**
 * A cloud identity per workload placed on EKS that reads datasets hosted in the site's buckets:
 * EKS Pod Identity for its ServiceAccount, reading only those datasets' prefixes. Datasets hosted
 * elsewhere get no grant here. Returns the roles' ARNs by workload.
 */
export function declareAwsWorkloadIdentities(
  config: PlatformConfig,
  common: CommonArgs,
  workloads: PlatformWorkloads,
  aws: AwsIdentityParts | undefined,
): Record<string, pulumi.Output<string>> {
  const { catalog, decision } = workloads;
  if (!aws || !config.aws || !catalog || !decision) return {};
  const target = config.aws.cluster.name;
  const home = new Map<string, AwsEncryptedBucket>();
  for (const b of config.aws.buckets ?? []) {
    const declared = aws.buckets.find((x) => x.name === b.name)?.bucket;
    for (const dataset of b.datasets ?? []) if (declared) home.set(dataset, declared);
  }
  const roles: Record<string, pulumi.Output<string>> = {};
  for (const w of catalog) {
    const onEks = decision.assignments.some((a) => a.workload === w.name && a.target === target);
    const account = serviceAccountOf(w);
    const grants = (w.datasets ?? []).flatMap((d) => {
      const bucket = home.get(d.name);
      return bucket ? [{ bucketArn: bucket.bucketArn, kmsKeyArn: bucket.kmsKeyArn, prefix: d.name }] : [];
    });
    if (!onEks || !account || grants.length === 0) continue;
    const identity = new AwsWorkloadIdentity(
      `${target}-${w.name}`,
      {
        ...common,
        clusterName: aws.cluster.clusterName,
        namespace: namespaceOf(w),
        serviceAccount: account,
        datasets: grants,
      },
      aws.opts,
    );
    roles[w.name] = identity.roleArn;
  }
  return roles;
}
