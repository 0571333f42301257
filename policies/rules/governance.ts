// Rules an organisation tunes to itself: the tags every resource it pays for carries, and which GPU
// families it lets teams buy. Both read their knobs from the pack's config.
import { entries, family, get, resourceRule, strings } from "../kit";
import { awsFamily, NVIDIA_INSTANCE_FAMILIES } from "./aws-compute";
import { AGENT_POOL, hasNvidiaGpu, MANAGED_CLUSTER } from "./azure-aks";

/** Resources whose tags carry cost and ownership: the ones a bill or an incident is traced by. */
const TAGGED_TYPES = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/vpc:Vpc",
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "azure-native:resources:ResourceGroup",
  MANAGED_CLUSTER,
  AGENT_POOL,
  "azure-native:network:VirtualNetwork",
  "azure-native:storage:StorageAccount",
  "azure-native:keyvault:Vault",
];

export const requiredTags = resourceRule({
  name: "required-tags",
  description:
    "Clusters, pools, networks, buckets, storage accounts, keys and vaults carry the tags the organisation requires (any casing of the key).",
  remediation:
    "Add the missing tags (the library's components take them as `tags`, and add environment and data-classification themselves).",
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
  check: (ctx) => {
    const tags = ctx.props.tags;
    if (!ctx.known(tags, "tags") || (tags === undefined && !ctx.judgesAbsent)) return;
    const present = entries(tags)
      .filter(([, v]) => v !== "" && v !== undefined && v !== null)
      .map(([k]) => k.toLowerCase());
    const missing = strings(ctx.config.tags).filter((k) => !present.includes(k.toLowerCase()));
    if (missing.length > 0)
      ctx.report(`tags lack ${missing.join(", ")}; required: ${strings(ctx.config.tags).join(", ")}`);
  },
});

/** An Azure size's family: its name without the vCPU count (`Standard_NCads_A100_v4` of `Standard_NC24ads_A100_v4`). */
const azureFamily = (size: string) => size.replace(/^(Standard_[A-Za-z]+)\d+/, "$1");

export const gpuFamiliesAllowed = resourceRule({
  name: "gpu-families-allowed",
  description:
    "GPU node pools use only the GPU families the organisation allows (none listed: any): EKS node groups, launch templates, AKS pools and a cluster's inline pools.",
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
    AGENT_POOL,
    MANAGED_CLUSTER,
  ],
  check: (ctx) => {
    const allowed = strings(ctx.config.allowedFamilies);
    if (allowed.length === 0) return;
    const known = new Set(allowed.map((f) => f.toLowerCase()));
    const sizes =
      ctx.type === AGENT_POOL
        ? strings(ctx.props.vmSize)
        : ctx.type === MANAGED_CLUSTER
          ? (Array.isArray(ctx.props.agentPoolProfiles) ? ctx.props.agentPoolProfiles : []).flatMap((p) =>
              strings(get(p, "vmSize")),
            )
          : [];
    const asked = [
      ...sizes.filter(hasNvidiaGpu).map((s) => ({ asked: s, family: azureFamily(s) })),
      ...[...strings(ctx.props.instanceTypes), ...strings(ctx.props.instanceType)]
        .filter((t) => NVIDIA_INSTANCE_FAMILIES.has(awsFamily(t)))
        .map((t) => ({ asked: t, family: awsFamily(t) })),
    ];
    for (const { asked: a, family } of asked)
      if (!known.has(family.toLowerCase()))
        ctx.report(
          `${a} is of GPU family ${family}, which allowedFamilies (${allowed.join(", ")}) does not list`,
        );
  },
});

export const FAMILY = family("governance", "Governance", [requiredTags, gpuFamiliesAllowed]);
