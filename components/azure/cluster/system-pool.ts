// The cluster's inline agent pool list over the cluster's life. AKS takes `agentPoolProfiles` in a
// managed cluster PUT as the whole list: a partial list is refused, and a full one updates every
// pool in it (AKS changelog, "Behavior change to empty put following control plane upgrade",
// Azure/AKS#2889: "If you wish to upgrade agentpools please specify ALL agentpools
// orchestratorVersion. Ideally a full GET, mutate and put"). So the list is sent when the cluster
// is created (the system pool), then only when the system pool or the Kubernetes version must
// change: as AKS reports it at deploy time, with those changes made; otherwise it is left out, and
// AKS keeps the pools as they are (what a stored list replayed after a refresh would undo).
import { getManagedCluster } from "@pulumi/azure-native/containerservice";
import type { containerservice as inputs } from "@pulumi/azure-native/types/input";
import type { containerservice as outputs } from "@pulumi/azure-native/types/output";
import * as pulumi from "@pulumi/pulumi";
import type { ConfigIssue } from "../../validation";
import { isNotFound, poolChangeIssues } from "../node-pool";
import type { ResolvedClusterArgs } from "./args";
import { systemPoolProfile } from "./pools";

/** The cluster as AKS runs it, the fields its pool list is judged by. */
export interface LiveCluster {
  kubernetesVersion?: string | undefined;
  agentPoolProfiles?: outputs.ManagedClusterAgentPoolProfileResponse[] | undefined;
}

/** What the cluster sends as its pool list, or the settings AKS cannot change that differ. */
export type PoolListDecision =
  | { profiles: inputs.ManagedClusterAgentPoolProfileArgs[] | undefined }
  | { issues: ConfigIssue[] };

// The writable fields of an agent pool profile (ManagedClusterAgentPoolProfile in the AKS API):
// a live profile sent back carries these, never the read-only ones (state, node image, eTag).
const WRITABLE = [
  "availabilityZones",
  "capacityReservationGroupID",
  "count",
  "creationData",
  "enableAutoScaling",
  "enableEncryptionAtHost",
  "enableFIPS",
  "enableNodePublicIP",
  "enableUltraSSD",
  "gatewayProfile",
  "gpuInstanceProfile",
  "gpuProfile",
  "hostGroupID",
  "kubeletConfig",
  "kubeletDiskType",
  "linuxOSConfig",
  "localDNSProfile",
  "maxCount",
  "maxPods",
  "messageOfTheDay",
  "minCount",
  "mode",
  "name",
  "networkProfile",
  "nodeLabels",
  "nodePublicIPPrefixID",
  "nodeTaints",
  "orchestratorVersion",
  "osDiskSizeGB",
  "osDiskType",
  "osSKU",
  "osType",
  "podIPAllocationMode",
  "podSubnetID",
  "powerState",
  "proximityPlacementGroupID",
  "scaleDownMode",
  "scaleSetEvictionPolicy",
  "scaleSetPriority",
  "securityProfile",
  "spotMaxPrice",
  "tags",
  "type",
  "upgradeSettings",
  "virtualMachineNodesStatus",
  "virtualMachinesProfile",
  "vmSize",
  "vnetSubnetID",
  "windowsProfile",
  "workloadRuntime",
] as const satisfies readonly (keyof inputs.ManagedClusterAgentPoolProfileArgs)[];

function writable(
  live: outputs.ManagedClusterAgentPoolProfileResponse,
): inputs.ManagedClusterAgentPoolProfileArgs {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) {
    const value = (live as unknown as Record<string, unknown>)[key];
    if (value !== undefined && value !== null) out[key] = value;
  }
  return out as unknown as inputs.ManagedClusterAgentPoolProfileArgs;
}

/** The in-place settings of the system pool that differ from the running one. */
function systemPoolUpdates(
  wanted: inputs.ManagedClusterAgentPoolProfileArgs,
  live: outputs.ManagedClusterAgentPoolProfileResponse,
): Partial<inputs.ManagedClusterAgentPoolProfileArgs> {
  const updates: Partial<inputs.ManagedClusterAgentPoolProfileArgs> = {};
  if (wanted.minCount !== live.minCount) updates.minCount = wanted.minCount;
  if (wanted.maxCount !== live.maxCount) updates.maxCount = wanted.maxCount;
  if (wanted.osSKU !== live.osSKU) updates.osSKU = wanted.osSKU;
  if (JSON.stringify(wanted.nodeLabels) !== JSON.stringify(live.nodeLabels ?? {}))
    updates.nodeLabels = wanted.nodeLabels;
  return updates;
}

/** Whether a pool runs an older minor than `version` ("1.34" against "1.33" or "1.33.5"). */
function behind(pool: { orchestratorVersion?: string | undefined }, version: string): boolean {
  const minor = (v: string | undefined) => (v ?? "").split(".").slice(0, 2).join(".");
  return minor(pool.orchestratorVersion) !== version;
}

/**
 * The pool list to send: the system pool when the cluster does not exist yet; nothing when the
 * running pools already match; else the running list with the system pool's in-place changes
 * and, on a version change, every pool's `orchestratorVersion`. A change AKS keeps for a pool's
 * life (its size, disk, zones, encryption at host) is refused by path under `systemPool`.
 */
export function clusterPoolList(
  cluster: ResolvedClusterArgs,
  live: LiveCluster | undefined,
  subnetId: string,
): PoolListDecision {
  const wanted = systemPoolProfile(cluster);
  if (!live) return { profiles: [wanted] };
  const pools = live.agentPoolProfiles ?? [];
  const system = pools.find((p) => p.name === "system");
  if (!system) return { profiles: undefined };
  const issues = poolChangeIssues("system", cluster.systemPool, subnetId, system, ["systemPool"]);
  if (issues.length > 0) return { issues };
  const updates = systemPoolUpdates(wanted, system);
  const version = cluster.kubernetesVersion;
  const upgrade = version !== undefined && pools.some((p) => behind(p, version));
  if (Object.keys(updates).length === 0 && !upgrade) return { profiles: undefined };
  return {
    profiles: pools.map((p) => ({
      ...writable(p),
      ...(p.name === "system" ? updates : {}),
      ...(upgrade ? { orchestratorVersion: version } : {}),
    })),
  };
}

/**
 * The cluster as AKS runs it now, read at deploy time; undefined when it does not exist yet.
 * Other errors (rights, throttling) are raised.
 */
export function readLiveCluster(
  parent: pulumi.Resource,
  resourceGroupName: pulumi.Input<string>,
  clusterName: string,
): pulumi.Output<LiveCluster | undefined> {
  return pulumi.output(resourceGroupName).apply(async (group): Promise<LiveCluster | undefined> => {
    try {
      return await getManagedCluster({ resourceGroupName: group, resourceName: clusterName }, { parent });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  });
}
