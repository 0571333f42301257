import { AgentPool } from "@pulumi/azure-native/containerservice";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Pool, Taint, Trust } from "../placement";
import {
  AZURE_CPU_FAMILIES,
  AZURE_CPU_SIZES,
  AZURE_GPU_FAMILIES,
  AZURE_GPU_SIZES,
  type AzureCpuFacts,
  type AzureGpuFacts,
  duplicateTaintKeys,
  GPU_TAINT,
  labelKeySchema,
  labelValueSchema,
  poolLabels,
  SPOT_PRICE_FACTOR,
  taintSchema,
} from "../pulumi-free";
import { type Common, input } from "../pulumi-kit";
import { RESOURCE_GROUP_NAME, SUBNET_ID } from "./ids";

/** The cluster a pool joins: an `AzurePrivateCluster`, or the same fields read from another stack. */
export interface AzureClusterRef {
  /** The AKS cluster name. */
  clusterName: pulumi.Input<string>;
  /** The cluster's resource group. */
  resourceGroupName: pulumi.Input<string>;
  /** Subnet for the pool's nodes, in the cluster's VNet; the cluster identity must hold Network Contributor on it. */
  nodeSubnetId: pulumi.Input<string>;
}

/** Node pool settings shared by GPU and general-purpose pools. */
export interface AzureNodePoolSettings {
  /** VM size, e.g. Standard_NC24ads_A100_v4 for a GPU pool or Standard_D8ds_v5 for a general one. */
  vmSize: string;
  /** "Regular" (default) or "Spot" (cheaper; Azure evicts and deletes nodes when it needs the capacity). */
  priority?: "Regular" | "Spot";
  /** Spot only: most USD per node-hour to pay; -1 (default) caps at the on-demand price, so only capacity evicts. */
  spotMaxPrice?: number;
  /** Fewest nodes the autoscaler keeps; default 0 for GPU pools, 1 otherwise (`POOL_DEFAULTS`). */
  minCount?: number;
  /** Most nodes the autoscaler adds. */
  maxCount: number;
  /** Node OS: "Ubuntu" (default for GPU pools, widest NVIDIA support) or "AzureLinux" (default otherwise, smaller surface). */
  osSku?: "AzureLinux" | "Ubuntu";
  /** "Ephemeral" (OS disk on the VM's local disk: faster, nothing left behind) or "Managed"; default Ephemeral where the size's local disk holds it. */
  osDiskType?: "Ephemeral" | "Managed";
  /** OS disk size, GiB; it also holds container images. Default 256 for GPU pools, 128 otherwise. */
  osDiskSizeGiB?: number;
  /** Availability zones ("1", "2", "3"); default none for GPU pools (any zone with capacity), the cluster's zones otherwise. */
  availabilityZones?: string[];
  /** Extra node labels. */
  labels?: Record<string, string>;
  /** Extra node taints. */
  taints?: Taint[];
  /** Subnet for the nodes; default the cluster's subnet for this kind of pool. */
  subnetId?: pulumi.Input<string>;
  /** Give nodes public IP addresses. Default false; the policy pack reports it. */
  publicIp?: boolean;
  /** Encrypt temp disks, caches and data in transit to storage on the host. Default true (needs the EncryptionAtHost subscription feature). */
  encryptionAtHost?: boolean;
  /** Pods per node; default AKS's (250 with CNI overlay). It sets the memory AKS reserves on each node (20 MiB a pod), which placement subtracts. */
  maxPods?: number;
  /** Price per node-hour placement uses; default the reference price (spot: a share of it). */
  pricePerNodeHour?: number;
  /** Share of node cpu and memory placement keeps free. Default 0.1. */
  headroom?: number;
}

/** The taint AKS puts on every spot node; listed so placement and `pulumi up` see what AKS does. */
export const AKS_SPOT_TAINT: Taint = {
  key: "kubernetes.azure.com/scalesetpriority",
  value: "spot",
  effect: "NoSchedule",
};

/** MIG profiles AKS accepts as `gpuInstanceProfile`. */
export const MIG_PROFILES = ["MIG1g", "MIG2g", "MIG3g", "MIG4g", "MIG7g"] as const;
export type MigProfile = (typeof MIG_PROFILES)[number];

/**
 * MIG facts: how many instances of a profile one GPU (A100, H100) is split into. AKS applies one
 * profile to every GPU of the pool, and the device plugin then advertises each instance as one
 * `nvidia.com/gpu`, so placement counts instances, not GPUs. Source: the NVIDIA MIG user guide's
 * supported profiles (seven 1g, three 2g, two 3g, one 4g or one 7g instance per GPU).
 */
export const MIG_SLICES_PER_GPU: Readonly<Record<MigProfile, number>> = {
  MIG1g: 7,
  MIG2g: 3,
  MIG3g: 2,
  MIG4g: 1,
  MIG7g: 1,
};

/**
 * The GPUs of a node as placement and the node labels see them: whole GPUs of the size's model,
 * or with MIG its slices, under a model of their own (`A100-MIG1g`), so a workload that asks for
 * an A100 never lands on a slice and one that wants a slice asks for it by name.
 */
export function placementGpu(facts: AzureGpuFacts, mig?: MigProfile): { count: number; model: string } {
  if (mig === undefined) return { count: facts.gpus, model: facts.gpuModel };
  return { count: facts.gpus * MIG_SLICES_PER_GPU[mig], model: `${facts.gpuModel}-${mig}` };
}

/** A pool of GPU VMs or of general-purpose ones: the kind decides every default below. */
export type PoolKind = "gpu" | "cpu";

/** What a pool of each kind gets unless its settings say otherwise. */
interface PoolDefaults {
  /** Fewest nodes the autoscaler keeps. */
  minCount: number;
  /** Node OS. */
  osSku: "Ubuntu" | "AzureLinux";
  /** OS disk, GiB; it also holds container images. */
  osDiskSizeGiB: number;
  /** Upgrade surge of Regular pools (AKS rejects surge settings on Spot pools). */
  maxSurge: string;
  /** Whether a pool declared with a cluster takes the cluster's zones when it names none. */
  clusterZones: boolean;
  /** Taints every node of the kind carries (AKS adds its spot taint to spot nodes). */
  taints: readonly Taint[];
  /** Who installs the NVIDIA driver (`gpuProfile.driver`); none for general-purpose pools. */
  gpuDriver?: "Install";
}

/**
 * The defaults by kind. GPU pools: scale to zero, Ubuntu (the widest NVIDIA support), room for
 * model images, one node surged at a time (expensive, long-running work), any zone with capacity,
 * the GPU taint, AKS-installed drivers. General-purpose pools: one node kept, Azure Linux (a smaller
 * surface), a third surged at once, the cluster's zones.
 */
export const POOL_DEFAULTS: Record<PoolKind, PoolDefaults> = {
  gpu: {
    minCount: 0,
    osSku: "Ubuntu",
    osDiskSizeGiB: 256,
    maxSurge: "1",
    clusterZones: false,
    taints: [GPU_TAINT],
    gpuDriver: "Install",
  },
  cpu: {
    minCount: 1,
    osSku: "AzureLinux",
    osDiskSizeGiB: 128,
    maxSurge: "33%",
    clusterZones: true,
    taints: [],
  },
};

/** The taints a pool carries whatever its settings: its kind's, and AKS's on spot nodes. */
export function builtInTaints(kind: PoolKind, spot: boolean): Taint[] {
  return [...POOL_DEFAULTS[kind].taints, ...(spot ? [AKS_SPOT_TAINT] : [])].map((t) => ({ ...t }));
}

/** Availability zones as AKS names them. */
export const ZONES = z.array(z.enum(["1", "2", "3"]));

/** The zod shape of `AzureNodePoolSettings`, shared by every pool schema. */
export const nodePoolSettingsShape = {
  vmSize: z.string().min(1),
  priority: z.enum(["Regular", "Spot"]).optional(),
  spotMaxPrice: z
    .number()
    .refine((v) => v === -1 || v > 0, {
      error: (issue) =>
        `${String(issue.input)} is not valid; use -1 (cap at the on-demand price) or a price above 0, USD per hour`,
    })
    .optional(),
  minCount: z.number().int().min(0).max(1000).optional(),
  maxCount: z.number().int().min(1).max(1000),
  osSku: z.enum(["AzureLinux", "Ubuntu"]).optional(),
  osDiskType: z.enum(["Ephemeral", "Managed"]).optional(),
  osDiskSizeGiB: z.number().int().min(30).max(2048).optional(),
  availabilityZones: ZONES.optional(),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  taints: z.array(taintSchema).optional(),
  subnetId: input(SUBNET_ID).optional(),
  publicIp: z.boolean().optional(),
  encryptionAtHost: z.boolean().optional(),
  maxPods: z.number().int().min(10).max(250).optional(),
  pricePerNodeHour: z.number().positive().optional(),
  headroom: z.number().min(0).lt(1).optional(),
};

/** The zod shape of `AzureClusterRef`. */
export const clusterRefSchema = z.looseObject({
  clusterName: input(z.string().min(1)),
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  nodeSubnetId: input(SUBNET_ID),
});

/** Pool names as placement and labels see them. */
export const POOL_NAME = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (at most 40), like gpu-spot",
  );

/**
 * The AKS agent pool name for a pool: its name without dashes. AKS allows 1-12 lower-case letters
 * and digits starting with a letter (Linux pools); returns the reason (to follow the quoted pool
 * name) when the pool name cannot make one.
 */
export function agentPoolNameFor(pool: string): string | { problem: string } {
  const candidate = pool.replace(/-/g, "");
  if (/^[a-z][a-z0-9]{0,11}$/.test(candidate)) return candidate;
  return {
    problem: `makes the AKS agent pool name ${JSON.stringify(candidate)}; AKS allows 1-12 lower-case letters and digits starting with a letter (dashes are dropped), so shorten it`,
  };
}

type Facts = { kind: "gpu"; facts: AzureGpuFacts } | { kind: "cpu"; facts: AzureCpuFacts };

/** Pods per node AKS allows by default with Azure CNI overlay. */
export const AKS_DEFAULT_MAX_PODS = 250;

/**
 * What AKS keeps from pods on every node (AKS "node resource reservations", AKS 1.29 and later):
 * kube-reserved cpu by cores on the host, linear between the documented points and past the last
 * (10m per core beyond 4 cores); kube-reserved memory of 20 MiB per pod the node allows plus 50 MiB,
 * at most 25% of the node's memory; and the kubelet's hard eviction threshold, memory.available<100Mi.
 */
const AKS_RESERVED = {
  cpuMillicores: [
    [1, 60],
    [2, 100],
    [4, 140],
    [8, 180],
    [16, 260],
    [32, 420],
    [64, 740],
  ] as const satisfies readonly (readonly [cores: number, millicores: number])[],
  memoryMiBPerPod: 20,
  memoryMiBBase: 50,
  memoryMaxShare: 0.25,
  evictionMiB: 100,
};

/** The kube-reserved cpu of a node with `cores`, millicores: a line through the table's points. */
function reservedMillicores(cores: number): number {
  const points = AKS_RESERVED.cpuMillicores;
  const above = points.findIndex(([c]) => c >= cores);
  const end = above === -1 ? points.length - 1 : Math.max(above, 1);
  const [c0, m0] = points[end - 1] ?? points[0];
  const [c1, m1] = points[end] ?? points[0];
  return m0 + ((m1 - m0) * (cores - c0)) / (c1 - c0);
}

/** The cpu and memory a node of a size leaves to pods, once AKS's reservations are taken. */
export function aksAllocatable(
  size: { vcpu: number; memoryGiB: number },
  maxPods: number,
): { cpu: number; memoryGiB: number } {
  const memoryMiB = size.memoryGiB * 1024;
  const kubeReservedMiB = Math.min(
    AKS_RESERVED.memoryMiBPerPod * maxPods + AKS_RESERVED.memoryMiBBase,
    AKS_RESERVED.memoryMaxShare * memoryMiB,
  );
  return {
    cpu: round(size.vcpu - reservedMillicores(size.vcpu) / 1000),
    memoryGiB: round((memoryMiB - kubeReservedMiB - AKS_RESERVED.evictionMiB) / 1024),
  };
}

/** Checks a VM size against the facts tables for a pool of `kind`; says what is wrong in words. */
export function resolveVmSize(vmSize: string, kind: PoolKind): Facts | { problem: string } {
  const gpu = AZURE_GPU_SIZES.get(vmSize);
  const cpu = AZURE_CPU_SIZES.get(vmSize);
  const gpuChoices = `${AZURE_GPU_FAMILIES.join(", ")} (e.g. Standard_NC24ads_A100_v4)`;
  const cpuChoices = `${AZURE_CPU_FAMILIES.join(", ")} (e.g. Standard_D8ds_v5)`;
  if (kind === "gpu") {
    return gpu
      ? { kind: "gpu", facts: gpu }
      : { problem: `"${vmSize}" has no GPU; pick a size of ${gpuChoices}` };
  }
  if (gpu)
    return { problem: `"${vmSize}" is a GPU size; put it in a GPU pool, or pick a size of ${cpuChoices}` };
  if (!cpu)
    return { problem: `"${vmSize}" is not a known general-purpose size; pick a size of ${cpuChoices}` };
  return { kind: "cpu", facts: cpu };
}

/** Whether a VM size is a GPU size (so a cluster's pool of it becomes an `AzureGpuNodePool`). */
export function isGpuSize(vmSize: string): boolean {
  return AZURE_GPU_SIZES.has(vmSize);
}

/** The kind of pool a VM size makes when declared with a cluster. */
export function poolKindOf(vmSize: string): PoolKind {
  return isGpuSize(vmSize) ? "gpu" : "cpu";
}

/** The OS disk a pool gets: ephemeral where the size's local disk holds it, managed otherwise. */
export function osDiskFor(
  facts: AzureGpuFacts | AzureCpuFacts,
  settings: { osDiskType?: "Ephemeral" | "Managed" | undefined; osDiskSizeGiB?: number | undefined },
  kind: PoolKind,
): { osDiskType: "Ephemeral" | "Managed"; osDiskSizeGB: number } {
  const osDiskSizeGB = settings.osDiskSizeGiB ?? POOL_DEFAULTS[kind].osDiskSizeGiB;
  const fits = facts.localDiskGiB >= osDiskSizeGB;
  return { osDiskType: settings.osDiskType ?? (fits ? "Ephemeral" : "Managed"), osDiskSizeGB };
}

/**
 * Adds every problem with a pool's settings to a zod refinement, under `path`: the VM size against
 * the facts, scaling, spot-only settings, the ephemeral OS disk and (GPU pools) MIG. `wantGpu`
 * says which kind of pool the settings are for.
 */
export function checkPoolSettings(
  args: z.output<z.ZodObject<typeof nodePoolSettingsShape>> & { migProfile?: string | undefined },
  wantGpu: boolean,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  const kind: PoolKind = wantGpu ? "gpu" : "cpu";
  const at = (field: string) => [...path, field];
  const resolved = resolveVmSize(args.vmSize, kind);
  if ("problem" in resolved) {
    ctx.addIssue({ code: "custom", path: at("vmSize"), message: resolved.problem, input: args.vmSize });
  }
  const min = args.minCount ?? POOL_DEFAULTS[kind].minCount;
  if (min > args.maxCount) {
    ctx.addIssue({
      code: "custom",
      path: at("minCount"),
      message: `${min} is above maxCount ${args.maxCount}`,
    });
  }
  for (const { index, key } of duplicateTaintKeys(
    builtInTaints(kind, args.priority === "Spot"),
    args.taints,
  )) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "taints", index, "key"],
      message: `"${key}" is already a taint of this pool; AKS rejects a taint key twice`,
    });
  }
  if (args.spotMaxPrice !== undefined && args.priority !== "Spot") {
    ctx.addIssue({ code: "custom", path: at("spotMaxPrice"), message: 'only applies with priority: "Spot"' });
  }
  if ("problem" in resolved) return;
  const disk = osDiskFor(resolved.facts, args, kind);
  if (args.osDiskType === "Ephemeral" && resolved.facts.localDiskGiB < disk.osDiskSizeGB) {
    ctx.addIssue({
      code: "custom",
      path: at("osDiskType"),
      message:
        resolved.facts.localDiskGiB === 0
          ? `"Ephemeral" needs a local disk, and "${args.vmSize}" has none AKS can use; use "Managed" or a size with a temp disk`
          : `"Ephemeral" needs ${disk.osDiskSizeGB} GiB of local disk, and "${args.vmSize}" has ${resolved.facts.localDiskGiB}; lower osDiskSizeGiB or use "Managed"`,
    });
  }
  if (args.migProfile !== undefined && resolved.kind === "gpu" && !resolved.facts.mig) {
    const migFamilies = [...new Set([...AZURE_GPU_SIZES.values()].filter((f) => f.mig).map((f) => f.family))];
    ctx.addIssue({
      code: "custom",
      path: at("migProfile"),
      message: `"${args.migProfile}" needs a GPU that supports MIG (A100, H100: ${migFamilies.join(", ")}); "${args.vmSize}" has ${resolved.facts.gpuModel}`,
    });
  }
}

/** A Kubernetes taint as AKS writes it: `key=value:Effect`. */
export function taintText(t: Taint): string {
  return `${t.key}${t.value === undefined ? "" : `=${t.value}`}:${t.effect}`;
}

/** Everything `createAgentPool` needs, validated and defaulted. */
export interface AgentPoolPlan {
  /** Pool name: node label and placement pool. */
  pool: string;
  /** The AKS agent pool name derived from it. */
  agentPoolName: string;
  settings: AzureNodePoolSettings;
  facts: Facts;
  trust: Trust;
  /** GPU pools: "Install" (AKS installs the NVIDIA driver) or "None" (a GPU operator does). */
  gpuDriver?: "Install" | "None";
  /** GPU pools: the MIG profile each GPU is split into. */
  migProfile?: MigProfile;
}

/**
 * The placement pool an agent pool provides, from its plan alone (no resources), so a stack can
 * place workloads before it declares anything: node shape from the size's facts less what AKS
 * reserves (so placement does not overpack), GPUs (or MIG slices), labels and taints as the nodes
 * carry them (the GPU taint on GPU pools, AKS's taint on spot pools).
 */
export function agentPoolPlacement(plan: AgentPoolPlan): Pool {
  const { settings, facts } = plan;
  const spot = settings.priority === "Spot";
  const gpu = facts.kind === "gpu" ? placementGpu(facts.facts, plan.migProfile) : undefined;
  const labels = {
    ...settings.labels,
    ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, ...(gpu ? { gpuModel: gpu.model } : {}) }),
  };
  const taints: Taint[] = [...builtInTaints(facts.kind, spot), ...(settings.taints ?? [])];
  const reference = facts.facts.usdPerHour;
  return {
    name: plan.pool,
    node: {
      ...aksAllocatable(facts.facts, settings.maxPods ?? AKS_DEFAULT_MAX_PODS),
      ...(gpu ? { gpu } : {}),
    },
    minNodes: settings.minCount ?? POOL_DEFAULTS[facts.kind].minCount,
    maxNodes: settings.maxCount,
    pricePerNodeHour: round(settings.pricePerNodeHour ?? (spot ? reference * SPOT_PRICE_FACTOR : reference)),
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels,
    taints,
  };
}

/**
 * The plan of a pool whose settings passed validation: its facts and agent pool name resolved.
 * Throws (a programming error) when they did not pass.
 */
export function agentPoolPlanFor(
  pool: string,
  settings: AzureNodePoolSettings,
  trust: Trust,
  kind: PoolKind,
  gpu: { gpuDriver?: "Install" | "None"; migProfile?: MigProfile } = {},
): AgentPoolPlan {
  const facts = resolveVmSize(settings.vmSize, kind);
  const agentPoolName = agentPoolNameFor(pool);
  if ("problem" in facts) throw new Error(`pool ${JSON.stringify(pool)}: ${facts.problem}`);
  if (typeof agentPoolName !== "string")
    throw new Error(`pool ${JSON.stringify(pool)} ${agentPoolName.problem}`);
  return { pool, agentPoolName, settings, facts, trust, ...gpu };
}

/**
 * Declares an AKS user agent pool: autoscaled, encryption at host, no node public IPs unless asked,
 * SSH off, the pool's labels and taints (the GPU taint on GPU pools); returns the placement pool.
 */
export function createAgentPool(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cluster: AzureClusterRef,
  plan: AgentPoolPlan,
): { agentPool: AgentPool; pool: Pool } {
  const { settings, facts } = plan;
  const defaults = POOL_DEFAULTS[facts.kind];
  const spot = settings.priority === "Spot";
  const pool = agentPoolPlacement(plan);
  const minCount = pool.minNodes ?? 0;
  const labels = pool.labels ?? {};
  const taints = pool.taints ?? [];
  const disk = osDiskFor(facts.facts, settings, facts.kind);
  const agentPool = new AgentPool(
    name,
    {
      agentPoolName: plan.agentPoolName,
      resourceName: cluster.clusterName,
      resourceGroupName: cluster.resourceGroupName,
      mode: "User",
      type: "VirtualMachineScaleSets",
      osType: "Linux",
      osSKU: settings.osSku ?? defaults.osSku,
      vmSize: settings.vmSize,
      ...disk,
      vnetSubnetID: settings.subnetId ?? cluster.nodeSubnetId,
      ...(settings.availabilityZones?.length ? { availabilityZones: settings.availabilityZones } : {}),
      enableAutoScaling: true,
      minCount,
      maxCount: settings.maxCount,
      count: minCount,
      ...(settings.maxPods === undefined ? {} : { maxPods: settings.maxPods }),
      enableNodePublicIP: settings.publicIp ?? false,
      enableEncryptionAtHost: settings.encryptionAtHost ?? true,
      securityProfile: { sshAccess: "Disabled" },
      nodeLabels: labels,
      nodeTaints: taints.map(taintText),
      ...(spot
        ? {
            scaleSetPriority: "Spot",
            // Delete, not Deallocate: a deallocated spot node still holds its disk and its quota.
            scaleSetEvictionPolicy: "Delete",
            spotMaxPrice: settings.spotMaxPrice ?? -1,
          }
        : {
            scaleSetPriority: "Regular",
            // AKS rejects surge settings on spot pools.
            upgradeSettings: { maxSurge: defaults.maxSurge },
          }),
      ...(plan.gpuDriver ? { gpuProfile: { driver: plan.gpuDriver } } : {}),
      ...(plan.migProfile ? { gpuInstanceProfile: plan.migProfile } : {}),
      tags: common.tags,
    },
    // The cluster autoscaler owns the node count after creation; a later `pulumi up` must not reset it.
    { parent, ignoreChanges: ["count"] },
  );

  return { agentPool, pool };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
