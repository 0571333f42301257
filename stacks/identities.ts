import { getPrefixListOutput } from "@pulumi/aws/ec2/getPrefixList";
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

/** An egress rule the cluster phase adds to a workload's catalog entry: where its data is. */
export interface DataPath {
  toCidrs: string[];
  ports: number[];
}

/** The EKS Pod Identity agent, which hands pods their role's credentials (node-local, port 80). */
export const POD_IDENTITY_AGENT: DataPath = { toCidrs: ["169.254.170.23/32"], ports: [80] };

/** What the workload identities give: each role's ARN, and each workload's paths to its data. */
export interface WorkloadIdentities {
  roles: Record<string, pulumi.Output<string>>;
  dataPaths: Record<string, pulumi.Output<DataPath[]>>;
}

/**
 * A cloud identity per workload placed on EKS that reads datasets hosted in the site's buckets:
 * EKS Pod Identity for its ServiceAccount, reading only those datasets' prefixes. Datasets hosted
 * elsewhere get no grant here. Each such workload also gets its data paths: S3 on 443 (through
 * the VPC's gateway endpoint, to the region's S3 prefix list, read at deploy time) and the Pod
 * Identity agent; the namespace's default-deny blocks everything else.
 */
export function declareAwsWorkloadIdentities(
  config: PlatformConfig,
  common: CommonArgs,
  workloads: PlatformWorkloads,
  aws: AwsIdentityParts | undefined,
): WorkloadIdentities {
  const { catalog, decision } = workloads;
  const none: WorkloadIdentities = { roles: {}, dataPaths: {} };
  if (!aws || !config.aws || !catalog || !decision) return none;
  const provider = (aws.opts.providers as Record<string, pulumi.ProviderResource> | undefined)?.aws;
  const s3 = getPrefixListOutput(
    { name: `com.amazonaws.${config.aws.region}.s3` },
    provider ? { provider } : {},
  );
  const target = config.aws.cluster.name;
  const home = new Map<string, AwsEncryptedBucket>();
  for (const b of config.aws.buckets ?? []) {
    const declared = aws.buckets.find((x) => x.name === b.name)?.bucket;
    for (const dataset of b.datasets ?? []) if (declared) home.set(dataset, declared);
  }
  const roles: Record<string, pulumi.Output<string>> = {};
  const dataPaths: Record<string, pulumi.Output<DataPath[]>> = {};
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
    dataPaths[w.name] = s3.cidrBlocks.apply((cidrs) => [
      { toCidrs: [...cidrs].sort(), ports: [443] },
      POD_IDENTITY_AGENT,
    ]);
  }
  return { roles, dataPaths };
}
