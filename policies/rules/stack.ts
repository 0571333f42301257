// Rules on the stack as a whole: what one resource cannot show alone.
import type { PolicyResource } from "@pulumi/policy";
import { cidrOverlaps, tryParseCidr } from "../../components/validation";
import { isNonData, NON_DATA_SCHEMA } from "./azure";
import { get, list, type Props, stackRule, strings } from "./kit";
import { CLASSIFICATION_LABEL } from "./kubernetes";

const BUCKET_TYPES = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

/** Each S3 companion a bucket needs, and what makes it the right one. */
const S3_COMPANIONS: { type: string; what: string; ok: (props: Props) => boolean }[] = [
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    what: "default encryption with KMS",
    ok: (p) =>
      list(p.rules).some((r) =>
        String(get(r, "applyServerSideEncryptionByDefault.sseAlgorithm") ?? "").startsWith("aws:kms"),
      ),
  },
  {
    type: "aws:s3/bucketVersioning:BucketVersioning",
    what: "versioning",
    ok: (p) => get(p, "versioningConfiguration.status") === "Enabled",
  },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    what: "all four public-access blocks",
    ok: (p) =>
      ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every(
        (k) => p[k] === true,
      ),
  },
];

/**
 * Whether `companion` configures `bucket`: it names the bucket (its name or id, as a program
 * passes `bucket.id`), or, where the bucket's name is not known yet (a preview of a new bucket
 * with a generated name), it is the only bucket under the same parent.
 */
function configures(companion: PolicyResource, bucket: PolicyResource, buckets: PolicyResource[]): boolean {
  const named = companion.props.bucket;
  const ids = [bucket.props.bucket, bucket.props.id, bucket.name].filter((v) => v !== undefined);
  if (named !== undefined && ids.includes(named)) return true;
  const parent = (r: PolicyResource) => r.parent?.urn;
  return (
    parent(companion) !== undefined &&
    parent(companion) === parent(bucket) &&
    buckets.filter((b) => parent(b) === parent(bucket)).length === 1
  );
}

export const stackBucketCompanions = stackRule({
  name: "stack-storage-companions",
  description:
    "Every S3 bucket has its KMS default encryption, versioning and public-access block; every Azure storage account holding data has blob versioning on.",
  remediation:
    "Declare a BucketServerSideEncryptionConfiguration (aws:kms), BucketVersioning (Enabled) and BucketPublicAccessBlock (all four true) for each bucket, and BlobServiceProperties with isVersioningEnabled for each storage account (AwsEncryptedBucket and AzureEncryptedStorage do).",
  benchmarks: [
    "checkov:CKV_AWS_145",
    "checkov:CKV_AWS_21",
    "checkov:CKV2_AWS_6",
    "aws-fsbp:S3.8",
    "aws-fsbp:S3.14",
    "mcsb:DP-5",
  ],
  enforcementLevel: "mandatory",
  // Log sinks (flow logs) are append-only streams: versions would only multiply their cost.
  configSchema: NON_DATA_SCHEMA,
  check: (resources, config, report) => {
    const buckets = resources.filter((r) => BUCKET_TYPES.has(r.type));
    for (const bucket of buckets) {
      for (const need of S3_COMPANIONS) {
        const found = resources.filter((r) => r.type === need.type && configures(r, bucket, buckets));
        if (found.length === 0)
          report(`bucket ${bucket.name} has no ${need.type.split(":").pop()} (${need.what})`, bucket.urn);
        else if (!found.some((r) => need.ok(r.props)))
          report(
            `bucket ${bucket.name}'s ${need.type.split(":").pop()} does not give ${need.what}`,
            bucket.urn,
          );
      }
    }
    const accounts = resources.filter(
      (r) => r.type === "azure-native:storage:StorageAccount" && !isNonData(r.name, r.props, config),
    );
    const services = resources.filter((r) => r.type === "azure-native:storage:BlobServiceProperties");
    for (const account of accounts) {
      const name = account.props.accountName;
      const mine = services.filter(
        (s) =>
          (name !== undefined && s.props.accountName === name) ||
          (s.parent?.urn !== undefined && s.parent.urn === account.parent?.urn),
      );
      if (!mine.some((s) => get(s.props, "isVersioningEnabled") === true))
        report(
          `storage account ${account.name} has no BlobServiceProperties with isVersioningEnabled: true`,
          account.urn,
        );
    }
  },
});

/** Where a stack's joined networks are declared, by resource type. */
const NETWORK_SOURCES: { type: string; label: string; cidrs: (p: Props) => string[] }[] = [
  { type: "aws:ec2/vpc:Vpc", label: "VPC", cidrs: (p) => strings(p.cidrBlock) },
  {
    type: "azure-native:network:VirtualNetwork",
    label: "VNet",
    cidrs: (p) => strings(get(p, "addressSpace.addressPrefixes")),
  },
  {
    type: "azure-native:containerservice:ManagedCluster",
    label: "AKS overlay",
    cidrs: (p) => strings([get(p, "networkProfile.podCidr"), get(p, "networkProfile.serviceCidr")]),
  },
  {
    type: "azure-native:network:LocalNetworkGateway",
    label: "remote network",
    // A BGP peer's /32 is an address on the link, not a network of its own.
    cidrs: (p) =>
      strings(get(p, "localNetworkAddressSpace.addressPrefixes")).filter((c) => !c.endsWith("/32")),
  },
];

export const stackNoOverlap = stackRule({
  name: "stack-no-overlapping-networks",
  description:
    "No two networks the stack joins (VPCs, VNets, AKS overlay ranges, remote networks of VPN gateways) overlap, or routes become ambiguous.",
  remediation: "Give each site its own address range; move the later one.",
  benchmarks: ["hybrid-ai-infra:networks"],
  enforcementLevel: "mandatory",
  check: (resources, _config, report) => {
    const seen: { cidr: string; where: string }[] = [];
    for (const source of NETWORK_SOURCES) {
      for (const r of resources.filter((x) => x.type === source.type)) {
        for (const cidr of source.cidrs(r.props)) {
          if (typeof tryParseCidr(cidr) === "string") continue;
          const where = `${source.label} ${r.name}`;
          // The same range declared twice for one network (a remote network per tunnel) is not an overlap.
          const clash = seen.find(
            (s) =>
              cidrOverlaps(s.cidr, cidr) &&
              !(s.cidr === cidr && s.where.startsWith("remote network") && source.label === "remote network"),
          );
          if (clash) report(`${where} ${cidr} overlaps ${clash.where} ${clash.cidr}`, r.urn);
          seen.push({ cidr, where });
        }
      }
    }
  },
});

/** Stateful types: deleting one loses data or the keys to it. */
const STATEFUL_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:kms/key:Key",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Key",
  "azure-native:resources:ResourceGroup",
];

export const stackStatefulProtected = stackRule({
  name: "stack-stateful-protected",
  description:
    "Buckets, storage accounts, key vaults, keys and resource groups are protected, so no update deletes them by accident.",
  remediation:
    "Set the `protect` resource option (this library's components do when protectData is on, the default outside dev).",
  benchmarks: ["hybrid-ai-infra:protect-data"],
  enforcementLevel: "mandatory",
  check: (resources, _config, report) => {
    for (const r of resources.filter((x) => STATEFUL_TYPES.includes(x.type)))
      if (!r.opts.protect)
        report(
          `${r.type.split(":").pop()} ${r.name} is not protected; deleting it loses data or the keys to it`,
          r.urn,
        );
  },
});

/** Whether one egress peer lets traffic out to the internet at large. */
function broad(peer: Props): boolean {
  const cidr = get(peer, "ipBlock.cidr");
  if (typeof cidr !== "string") return false;
  const parsed = tryParseCidr(cidr);
  // Anything wider than a /8 (0.0.0.0/0, or a split such as 0.0.0.0/1 and 128.0.0.0/1) is the internet.
  return typeof parsed !== "string" && parsed.prefix < 8;
}

export const stackRestrictedEgress = stackRule({
  name: "stack-restricted-no-internet-egress",
  description:
    "No network policy in a namespace holding restricted data lets pods out to the internet: no egress rule to every destination, and no address block wider than a /8.",
  remediation:
    "Allow egress only to the data's endpoints, DNS and declared peers; remove 0.0.0.0/0 (or its splits) and rules without `to`.",
  benchmarks: ["hybrid-ai-infra:restricted-egress", "cis-k8s:5.3.2", "mcsb:NS-3"],
  enforcementLevel: "mandatory",
  check: (resources, _config, report) => {
    const restricted = new Set(
      resources
        .filter((r) => r.type === "kubernetes:core/v1:Namespace")
        .filter(
          (r) =>
            (get(r.props, "metadata.labels") as Props | undefined)?.[CLASSIFICATION_LABEL] === "restricted",
        )
        .map((r) => String(get(r.props, "metadata.name"))),
    );
    for (const policy of resources.filter(
      (r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    )) {
      const namespace = String(get(policy.props, "metadata.namespace") ?? "default");
      if (!restricted.has(namespace)) continue;
      list(get(policy.props, "spec.egress")).forEach((rule, i) => {
        const to = list(get(rule, "to")) as Props[];
        if (to.length === 0)
          report(
            `${namespace}/${String(get(policy.props, "metadata.name"))} egress[${i}] has no \`to\`: every destination, the internet included`,
            policy.urn,
          );
        for (const peer of to.filter(broad))
          report(
            `${namespace}/${String(get(policy.props, "metadata.name"))} egress[${i}] allows ${String(get(peer, "ipBlock.cidr"))}, the internet`,
            policy.urn,
          );
      });
    }
  },
});

export const STACK_RULES = [
  stackBucketCompanions,
  stackNoOverlap,
  stackStatefulProtected,
  stackRestrictedEgress,
];
