import type { AddonTaint, ClusterAddonsArgs } from "../../kubernetes";
import { poolKindOf } from "../node-pool";
import type { AzurePrivateClusterArgs } from "./args";

/**
 * What the cluster phase must run on this cluster, derived from its pools' config alone. AKS with
 * `gpuDriver: "Install"` (its default) installs the driver but no device plugin, so those GPU pools
 * get NVIDIA's: with the `single` MIG strategy on MIG pools (so each slice is one `nvidia.com/gpu`,
 * as placement counts them) and `none` elsewhere, one DaemonSet each, never two on a node. Pools
 * with `gpuDriver: "None"` get their plugin from the GPU operator that manages their driver. AKS
 * scales its own pools, so no autoscaler is needed.
 */
export function azureClusterAddons(
  args: Pick<AzurePrivateClusterArgs, "nodePools" | "gpuDevicePlugin">,
): ClusterAddonsArgs {
  if (args.gpuDevicePlugin === false) return {};
  const driverPools = (args.nodePools ?? []).filter(
    (p) => poolKindOf(p.vmSize) === "gpu" && p.gpuDriver !== "None",
  );
  const groups = [
    {
      name: "nvidia-device-plugin",
      migStrategy: "none" as const,
      pools: driverPools.filter((p) => !p.migProfile),
    },
    {
      name: "nvidia-device-plugin-mig",
      migStrategy: "single" as const,
      pools: driverPools.filter((p) => p.migProfile),
    },
  ].filter((g) => g.pools.length > 0);
  if (groups.length === 0) return {};
  return {
    nvidiaDevicePlugins: groups.map((g) => ({
      name: g.name,
      migStrategy: g.migStrategy,
      pools: g.pools.map((p) => p.name).sort(),
      // Validated taints: their effects are Kubernetes effects.
      taints: g.pools.flatMap((p) => (p.taints ?? []) as AddonTaint[]),
    })),
  };
}
