import * as pulumi from "@pulumi/pulumi";
import { eksRegistry } from "../../facts";
import type { AddonTaint, ClusterAddonsArgs } from "../../kit";

/** AWS's EFA device plugin release in the regional EKS registry. */
export const EFA_PLUGIN = "eks/aws-efa-k8s-device-plugin:v0.5.20";

/** What the add-ons need to know of one GPU pool. */
export interface GpuPoolAddonInputs {
  /** Pool name (the `hybrid-ai-infra.io/pool` label). */
  pool: string;
  /** Node image: Bottlerocket's NVIDIA images ship their own device plugin. */
  os: "al2023" | "bottlerocket";
  efa: boolean;
  /** The pool's extra taints (the GPU taint is always tolerated). */
  taints: AddonTaint[];
}

/** How the device plugin is run for these pools. */
export interface DevicePluginChoice {
  /** Run NVIDIA's device plugin where the image lacks one; false where a GPU operator manages it. */
  enabled: boolean;
  /** DaemonSet name, unique in the cluster. */
  name: string;
  /** Pinned image; default NVIDIA's release. */
  image?: string | undefined;
}

/**
 * The device plugins GPU pools need, as plain data for `ClusterAddons`: NVIDIA's plugin on the
 * AL2023 pools (Bottlerocket's NVIDIA images ship their own, so those never get a second) and the
 * EFA plugin, from the pools' region's EKS registry, on EFA pools. Without the NVIDIA plugin no
 * pod can request `nvidia.com/gpu`, and the autoscaler grows a pool for pods that never fit.
 */
export function gpuPoolAddons(
  pools: readonly GpuPoolAddonInputs[],
  plugin: DevicePluginChoice,
  where: { region: pulumi.Input<string>; dnsSuffix: pulumi.Input<string> },
): Pick<ClusterAddonsArgs, "nvidiaDevicePlugins" | "efaDevicePlugin"> {
  const pluginPools = plugin.enabled ? pools.filter((p) => p.os !== "bottlerocket") : [];
  const efa = pools.filter((p) => p.efa);
  return {
    ...(pluginPools.length > 0
      ? {
          nvidiaDevicePlugins: [
            {
              name: plugin.name,
              migStrategy: "none" as const,
              pools: pluginPools.map((p) => p.pool).sort(),
              taints: pluginPools.flatMap((p) => p.taints),
              ...(plugin.image ? { image: plugin.image } : {}),
            },
          ],
        }
      : {}),
    ...(efa.length > 0
      ? {
          efaDevicePlugin: {
            pools: efa.map((p) => p.pool).sort(),
            image: pulumi
              .all([where.region, where.dnsSuffix])
              .apply(([r, d]) => `${eksRegistry(r, d)}/${EFA_PLUGIN}`),
            taints: efa.flatMap((p) => p.taints),
          },
        }
      : {}),
  };
}
