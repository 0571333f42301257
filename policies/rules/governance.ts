// Rules an organisation tunes to itself: the tags every resource it pays for carries, and which GPU
// families it lets teams buy. Both read their knobs from the pack's config.
import { NVIDIA_INSTANCE_FAMILIES } from "./aws";
import { hasNvidiaGpu } from "./azure";
import { get, type Props, resourceRule, strings } from "./kit";

/** Resources whose tags carry cost and ownership: the ones a bill or an incident is traced by. */
const TAGGED_TYPES = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/vpc:Vpc",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:kms/key:Key",
  "azure-native:resources:ResourceGroup",
  "azure-native:containerservice:ManagedCluster",
  "azure-native:containerservice:AgentPool",
  "azure-native:network:VirtualNetwork",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
];

export const requiredTags = resourceRule({
  name: "required-tags",
  description:
    "Clusters, pools, networks, buckets, storage accounts, keys and vaults carry the tags the organisation requires.",
  remediation:
    "Add the missing tags (this library's components take them as `tags`, and add environment and data-classification themselves).",
  benchmarks: ["hybrid-ai-infra:required-tags"],
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      tags: {
        type: "array",
        items: { type: "string" },
        default: ["environment", "data-classification"],
        description: "Tag keys every listed resource must carry.",
      },
    },
  },
  types: TAGGED_TYPES,
  check: ({ props, config }, report) => {
    const tags = (props.tags ?? {}) as Record<string, unknown>;
    const missing = strings(config.tags).filter((k) => tags[k] === undefined || tags[k] === "");
    if (missing.length > 0)
      report(`tags lack ${missing.join(", ")}; required: ${strings(config.tags).join(", ")}`);
  },
});

/** An AWS instance type's family (`g5` of `g5.xlarge`). */
const awsFamily = (type: string) => type.split(".")[0]?.toLowerCase() ?? "";
/** An Azure size's family: its name without the vCPU count (`Standard_NCads_A100_v4` of `Standard_NC24ads_A100_v4`). */
const azureFamily = (size: string) => size.replace(/^(Standard_[A-Za-z]+)\d+/, "$1");

/** The NVIDIA GPU instance types or sizes a resource asks for, with their families. */
function gpuFamilies(type: string, props: Props): { asked: string; family: string }[] {
  if (type === "azure-native:containerservice:AgentPool") {
    const size = String(props.vmSize ?? "");
    return hasNvidiaGpu(size) ? [{ asked: size, family: azureFamily(size) }] : [];
  }
  const types = [...strings(props.instanceTypes), ...strings(get(props, "instanceType"))];
  return types
    .filter((t) => NVIDIA_INSTANCE_FAMILIES.has(awsFamily(t)))
    .map((t) => ({ asked: t, family: awsFamily(t) }));
}

export const gpuFamiliesAllowed = resourceRule({
  name: "gpu-families-allowed",
  description: "GPU node pools use only the GPU families the organisation allows (none listed: any).",
  remediation: "Use an allowed family, or add the family to the rule's allowedFamilies in the pack config.",
  benchmarks: ["hybrid-ai-infra:gpu-families"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedFamilies: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Allowed GPU families: AWS instance families (g6e, p5) and Azure size families (Standard_NCads_A100_v4); empty allows every family.",
      },
    },
  },
  types: [
    "aws:eks/nodeGroup:NodeGroup",
    "aws:ec2/launchTemplate:LaunchTemplate",
    "azure-native:containerservice:AgentPool",
  ],
  check: ({ type, props, config }, report) => {
    const allowed = strings(config.allowedFamilies);
    if (allowed.length === 0) return;
    const known = new Set(allowed.map((f) => f.toLowerCase()));
    for (const { asked, family } of gpuFamilies(type, props))
      if (!known.has(family.toLowerCase()))
        report(
          `${asked} is of GPU family ${family}, which allowedFamilies (${allowed.join(", ")}) does not list`,
        );
  },
});

export const GOVERNANCE_RULES = [requiredTags, gpuFamiliesAllowed];
