// What AKS does with a change of each pool setting over the pool's life, as a table, and the
// comparison of a pool's wanted settings with the pool that runs. AKS changes some settings of a
// running pool in place; the others it keeps for the pool's life (sources: AKS "Manage node
// pools", limitations: "You can't change the VM size of a node pool after you create it"; "GPU
// instance profile can't be changed after node pool creation"; the AKS agent pool API, whose
// create-only settings terraform-provider-azurerm marks ForceNew or cycles through a temporary
// pool: host encryption, OS disk, zones, max pods, node public IP, subnet, priority, eviction
// policy, spot price, GPU driver and instance profile). A change of one of those to a running pool
// is refused here, by setting, before AKS rejects it mid-update or pulumi-azure-native deletes the
// pool before its replacement exists (it replaces an explicitly named resource delete-first).
import { getAgentPool } from "@pulumi/azure-native/containerservice";
import * as pulumi from "@pulumi/pulumi";
import { type ConfigIssue, formatPath } from "../../validation";
import type { ResolvedPoolSettings } from "./resolved";

/** How AKS takes a change of a setting on a running pool. */
export type PoolChange = "in-place" | "new-pool" | "placement-only";

/** The pool as AKS reports it (`GET .../agentPools/<name>`), the fields a change is judged by. */
export interface LivePool {
  vmSize?: string | undefined;
  osDiskType?: string | undefined;
  osDiskSizeGB?: number | undefined;
  availabilityZones?: string[] | undefined;
  maxPods?: number | undefined;
  enableNodePublicIP?: boolean | undefined;
  enableEncryptionAtHost?: boolean | undefined;
  scaleSetPriority?: string | undefined;
  spotMaxPrice?: number | undefined;
  vnetSubnetID?: string | undefined;
  gpuProfile?: { driver?: string | undefined } | undefined;
  gpuInstanceProfile?: string | undefined;
  orchestratorVersion?: string | undefined;
  currentOrchestratorVersion?: string | undefined;
}

/** A pool setting's AKS value, wanted (from the settings) and running (from AKS), normalised alike. */
interface SettingRule {
  change: PoolChange;
  /** What AKS keeps, in words, for the refusal. */
  what?: string;
  /** The wanted value, or undefined when the settings leave it to AKS (not compared). */
  wanted?: (s: ResolvedPoolSettings, subnetId: string) => unknown;
  running?: (live: LivePool) => unknown;
}

const sorted = (zones: readonly string[] | undefined) => [...(zones ?? [])].sort().join(",");

/** Every setting of a pool and what AKS does when it changes on a running pool. */
export const POOL_SETTING_CHANGES: Readonly<
  Record<keyof ResolvedPoolSettings | "kubernetesVersion", SettingRule>
> = {
  vmSize: { change: "new-pool", what: "the VM size", wanted: (s) => s.vmSize, running: (l) => l.vmSize },
  size: { change: "new-pool" },
  priority: {
    change: "new-pool",
    what: "the priority (Regular or Spot)",
    wanted: (s) => s.priority,
    running: (l) => l.scaleSetPriority ?? "Regular",
  },
  spotMaxPrice: {
    change: "new-pool",
    what: "the spot price cap",
    wanted: (s) => (s.priority === "Spot" ? s.spotMaxPrice : undefined),
    running: (l) => l.spotMaxPrice,
  },
  osDiskType: {
    change: "new-pool",
    what: "the OS disk type",
    wanted: (s) => s.osDiskType,
    running: (l) => l.osDiskType,
  },
  osDiskSizeGiB: {
    change: "new-pool",
    what: "the OS disk size",
    wanted: (s) => s.osDiskSizeGiB,
    running: (l) => l.osDiskSizeGB,
  },
  availabilityZones: {
    change: "new-pool",
    what: "the zones",
    wanted: (s) => sorted(s.availabilityZones),
    running: (l) => sorted(l.availabilityZones),
  },
  maxPods: {
    change: "new-pool",
    what: "the pods per node",
    wanted: (s) => (s.maxPodsGiven ? s.maxPods : undefined),
    running: (l) => l.maxPods,
  },
  maxPodsGiven: { change: "new-pool" },
  publicIp: {
    change: "new-pool",
    what: "whether nodes have public IPs",
    wanted: (s) => s.publicIp,
    running: (l) => l.enableNodePublicIP ?? false,
  },
  encryptionAtHost: {
    change: "new-pool",
    what: "encryption at host",
    wanted: (s) => s.encryptionAtHost,
    running: (l) => l.enableEncryptionAtHost ?? false,
  },
  subnetId: {
    change: "new-pool",
    what: "the subnet",
    wanted: (_s, subnetId) => subnetId.toLowerCase(),
    running: (l) => l.vnetSubnetID?.toLowerCase(),
  },
  gpuDriver: {
    change: "new-pool",
    what: "who installs the GPU driver",
    wanted: (s) => s.gpuDriver,
    running: (l) => l.gpuProfile?.driver ?? "Install",
  },
  migProfile: {
    change: "new-pool",
    what: "the MIG profile",
    wanted: (s) => (s.size.kind === "gpu" ? (s.migProfile ?? "none") : undefined),
    running: (l) => l.gpuInstanceProfile ?? "none",
  },
  minCount: { change: "in-place" },
  maxCount: { change: "in-place" },
  // AKS migrates a pool between Ubuntu and Azure Linux in place (a rolling reimage).
  osSku: { change: "in-place" },
  labels: { change: "in-place" },
  taints: { change: "in-place" },
  maxSurge: { change: "in-place" },
  kubernetesVersion: { change: "in-place" },
  pricePerNodeHour: { change: "placement-only" },
  headroom: { change: "placement-only" },
};

/**
 * The settings AKS keeps for a pool's life that differ between `wanted` and the running pool, as
 * issues at `path` + the setting; none when the pool does not run yet.
 */
export function poolChangeIssues(
  pool: string,
  wanted: ResolvedPoolSettings,
  subnetId: string,
  live: LivePool | undefined,
  path: readonly (string | number)[] = [],
): ConfigIssue[] {
  if (!live) return [];
  const issues: ConfigIssue[] = [];
  for (const [setting, rule] of Object.entries(POOL_SETTING_CHANGES)) {
    if (rule.change !== "new-pool" || !rule.wanted || !rule.running) continue;
    const want = rule.wanted(wanted, subnetId);
    const run = rule.running(live);
    if (want === undefined || run === undefined || want === run) continue;
    issues.push({
      path: formatPath([...path, setting]),
      message: `${JSON.stringify(want)} differs from ${JSON.stringify(run)}, which pool "${pool}" runs with, and AKS keeps ${rule.what} for a pool's life; declare a new pool under another name with the new setting (it is created before "${pool}" is removed, so workloads move over), or keep ${JSON.stringify(run)}`,
    });
  }
  return issues;
}

/**
 * The agent pool as AKS runs it now, read at deploy time; undefined when it does not exist yet (a
 * first `up`, or a pool new to the cluster). Other errors (rights, throttling) are raised.
 */
export function readLivePool(
  parent: pulumi.Resource,
  cluster: { resourceGroupName: pulumi.Input<string>; clusterName: pulumi.Input<string> },
  agentPoolName: string,
): pulumi.Output<LivePool | undefined> {
  return pulumi
    .all([cluster.resourceGroupName, cluster.clusterName])
    .apply(async ([resourceGroupName, resourceName]): Promise<LivePool | undefined> => {
      try {
        return await getAgentPool({ resourceGroupName, resourceName, agentPoolName }, { parent });
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    });
}

/** Whether an ARM read failed because the resource (or its cluster or group) does not exist. */
export function isNotFound(e: unknown): boolean {
  const text = e instanceof Error ? e.message : String(e);
  return /\bNotFound\b|ResourceNotFound|ResourceGroupNotFound|\b404\b/.test(text);
}
