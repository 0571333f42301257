import type * as pulumi from "@pulumi/pulumi";
import { SPOT_PRICE_FACTOR } from "../../facts";
import type { Taint } from "../../placement";
import { AKS_DEFAULT_MAX_PODS, round } from "./allocatable";
import { POOL_DEFAULTS, type PoolKind } from "./defaults";
import type { MigProfile } from "./mig";
import type { AzureNodePoolSettings } from "./settings";
import { osDiskFor, resolveVmSize, type VmSizeFacts } from "./vm-size";

/**
 * A pool's settings with every default applied, once: what its agent pool, its placement pool and
 * the checks of a change read. Built only from settings that passed validation.
 */
export interface ResolvedPoolSettings {
  vmSize: string;
  /** The size's facts, tagged with the kind of pool it makes. */
  size: VmSizeFacts;
  priority: "Regular" | "Spot";
  /** Spot only: the price cap, USD per node-hour; -1 caps at the on-demand price. */
  spotMaxPrice: number;
  minCount: number;
  maxCount: number;
  osSku: "AzureLinux" | "Ubuntu";
  osDiskType: "Ephemeral" | "Managed";
  osDiskSizeGiB: number;
  /** Zones the nodes go in; empty: any zone with capacity. */
  availabilityZones: string[];
  /** Extra node labels (the pool's own come from placement). */
  labels: Record<string, string>;
  /** Extra node taints (the kind's and AKS's come from placement). */
  taints: Taint[];
  /** The pool's own subnet; undefined: the cluster's subnet for its kind. */
  subnetId?: pulumi.Input<string> | undefined;
  publicIp: boolean;
  encryptionAtHost: boolean;
  /** Pods per node: the pool's, or AKS's default (which placement plans with). */
  maxPods: number;
  /** Whether the pool set `maxPods` (only then is it sent: AKS picks the same default itself). */
  maxPodsGiven: boolean;
  /** Upgrade surge of Regular pools (AKS rejects surge settings on Spot pools). */
  maxSurge: string;
  pricePerNodeHour: number;
  headroom?: number | undefined;
  /** GPU pools: who installs the NVIDIA driver. */
  gpuDriver?: "Install" | "None" | undefined;
  /** GPU pools: the MIG profile each GPU is split into. */
  migProfile?: MigProfile | undefined;
}

/**
 * Applies the pool defaults of its kind (`POOL_DEFAULTS`) to settings that passed validation.
 * Throws (a programming error) when the size does not make a pool of `kind`.
 */
export function resolvePoolSettings(
  settings: AzureNodePoolSettings & { gpuDriver?: "Install" | "None"; migProfile?: MigProfile },
  kind: PoolKind,
): ResolvedPoolSettings {
  const size = resolveVmSize(settings.vmSize, kind);
  if ("problem" in size) throw new Error(size.problem);
  const defaults = POOL_DEFAULTS[kind];
  const spot = settings.priority === "Spot";
  const disk = osDiskFor(size.facts, settings, kind);
  const reference = size.facts.usdPerHour;
  const gpuDriver = settings.gpuDriver ?? defaults.gpuDriver;
  return {
    vmSize: settings.vmSize,
    size,
    priority: settings.priority ?? "Regular",
    spotMaxPrice: settings.spotMaxPrice ?? -1,
    minCount: settings.minCount ?? defaults.minCount,
    maxCount: settings.maxCount,
    osSku: settings.osSku ?? defaults.osSku,
    osDiskType: disk.osDiskType,
    osDiskSizeGiB: disk.osDiskSizeGB,
    availabilityZones: settings.availabilityZones ?? [],
    labels: settings.labels ?? {},
    taints: settings.taints ?? [],
    subnetId: settings.subnetId,
    publicIp: settings.publicIp ?? false,
    encryptionAtHost: settings.encryptionAtHost ?? true,
    maxPods: settings.maxPods ?? AKS_DEFAULT_MAX_PODS,
    maxPodsGiven: settings.maxPods !== undefined,
    maxSurge: defaults.maxSurge,
    pricePerNodeHour: round(settings.pricePerNodeHour ?? (spot ? reference * SPOT_PRICE_FACTOR : reference)),
    headroom: settings.headroom,
    ...(kind === "gpu" ? { gpuDriver, migProfile: settings.migProfile } : {}),
  };
}
