import { GPU_TAINT } from "../../facts";
import type { Taint } from "../../placement";

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

/** The taint AKS puts on every spot node; listed so placement and `pulumi up` see what AKS does. */
export const AKS_SPOT_TAINT: Taint = {
  key: "kubernetes.azure.com/scalesetpriority",
  value: "spot",
  effect: "NoSchedule",
};

/** The taints a pool carries whatever its settings: its kind's, and AKS's on spot nodes. */
export function builtInTaints(kind: PoolKind, spot: boolean): Taint[] {
  return [...POOL_DEFAULTS[kind].taints, ...(spot ? [AKS_SPOT_TAINT] : [])].map((t) => ({ ...t }));
}

/** A Kubernetes taint as AKS writes it: `key=value:Effect`. */
export function taintText(t: Taint): string {
  return `${t.key}${t.value === undefined ? "" : `=${t.value}`}:${t.effect}`;
}
