import type * as pulumi from "@pulumi/pulumi";
import { type CommonArgs, childName } from "../../kit";
import type { Trust } from "../../placement";
import { type AwsClusterRef, AwsGpuNodeGroup, AwsNodeGroup } from "../node-group";
import type { ResolvedClusterArgs } from "./args";
import type { ClusterScope } from "./scope";

/** How the cluster's node groups join it: the cluster they join, their trust zone and their options. */
export interface PoolContext {
  cluster: AwsClusterRef;
  trust: Trust;
  /** The common args the cluster was given, handed down as they were. */
  common: CommonArgs;
  /** Parented to the cluster; after the node role's policies and the add-ons nodes need. */
  opts: pulumi.ComponentResourceOptions;
}

/** The small on-demand node group that runs only add-ons (taint CriticalAddonsOnly); no placement pool. */
export function createSystemNodeGroup(
  scope: ClusterScope,
  args: ResolvedClusterArgs,
  pools: PoolContext,
): AwsNodeGroup {
  const { instanceTypes, capacityType, minSize, desiredSize, maxSize } = args.systemNodeGroup;
  return new AwsNodeGroup(
    childName(scope.name, "system"),
    {
      cluster: pools.cluster,
      poolName: "system",
      system: true,
      trust: pools.trust,
      instanceTypes,
      capacityType,
      minSize,
      desiredSize,
      maxSize,
      ...pools.common,
    },
    pools.opts,
  );
}

/** The workload node groups, by pool name: a group of GPU types is an `AwsGpuNodeGroup`, others an `AwsNodeGroup`. */
export function createWorkloadNodeGroups(
  scope: ClusterScope,
  args: ResolvedClusterArgs,
  pools: PoolContext,
): Record<string, AwsGpuNodeGroup | AwsNodeGroup> {
  const nodeGroups: Record<string, AwsGpuNodeGroup | AwsNodeGroup> = {};
  for (const group of args.nodeGroups) {
    const { pricePerNodeHour, ...settings } = group.settings;
    const childArgs = {
      ...settings,
      pricePerNodeHour,
      ...pools.common,
      cluster: pools.cluster,
      poolName: group.name,
      trust: pools.trust,
    };
    nodeGroups[group.name] = group.gpu
      ? new AwsGpuNodeGroup(
          childName(scope.name, group.name),
          {
            ...childArgs,
            gpuDevicePlugin: args.gpuDevicePlugin,
            ...(args.gpuDevicePluginImage ? { gpuDevicePluginImage: args.gpuDevicePluginImage } : {}),
            ...(group.efa ? { efa: true, efaZone: group.efaZone, efaSubnetId: group.efaSubnetId } : {}),
          },
          pools.opts,
        )
      : new AwsNodeGroup(childName(scope.name, group.name), childArgs, pools.opts);
  }
  return nodeGroups;
}
