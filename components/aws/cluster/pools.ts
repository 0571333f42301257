import type * as pulumi from "@pulumi/pulumi";
import { childName, commonArgsOf } from "../../kit";
import type { Trust } from "../../placement";
import { type AwsClusterRef, AwsGpuNodeGroup, AwsNodeGroup, isGpuGroup } from "../node-group";
import { CLUSTER_DEFAULTS, type ParsedClusterArgs } from "./args";
import type { ClusterScope } from "./scope";

/** How the cluster's node groups join it: the cluster they join, their trust zone and their options. */
export interface PoolContext {
  cluster: AwsClusterRef;
  trust: Trust;
  /** Parented to the cluster; after the node role's policies and the add-ons nodes need. */
  opts: pulumi.ComponentResourceOptions;
}

/** The small on-demand node group that runs only add-ons (taint CriticalAddonsOnly); no placement pool. */
export function createSystemNodeGroup(
  scope: ClusterScope,
  args: ParsedClusterArgs,
  pools: PoolContext,
): AwsNodeGroup {
  const system = args.systemNodeGroup ?? {};
  const defaults = CLUSTER_DEFAULTS.systemNodeGroup;
  return new AwsNodeGroup(
    childName(scope.name, "system"),
    {
      cluster: pools.cluster,
      poolName: "system",
      system: true,
      trust: pools.trust,
      instanceTypes: system.instanceTypes ?? [...defaults.instanceTypes],
      capacityType: "ON_DEMAND",
      minSize: system.minSize ?? defaults.minSize,
      desiredSize: system.desiredSize ?? system.minSize ?? defaults.minSize,
      maxSize: system.maxSize ?? defaults.maxSize,
      ...commonArgsOf(args),
    },
    pools.opts,
  );
}

/** The workload node groups, by pool name: a group of GPU types is an `AwsGpuNodeGroup`, others an `AwsNodeGroup`. */
export function createWorkloadNodeGroups(
  scope: ClusterScope,
  args: ParsedClusterArgs,
  pools: PoolContext,
): Record<string, AwsGpuNodeGroup | AwsNodeGroup> {
  const nodeGroups: Record<string, AwsGpuNodeGroup | AwsNodeGroup> = {};
  for (const group of args.nodeGroups ?? []) {
    const { name: pool, efa, efaZone, efaSubnetId, ...settings } = group;
    const gpu = isGpuGroup(settings.instanceTypes);
    const childArgs = {
      ...settings,
      ...commonArgsOf(args),
      cluster: pools.cluster,
      poolName: pool,
      trust: pools.trust,
    };
    nodeGroups[pool] = gpu
      ? new AwsGpuNodeGroup(
          childName(scope.name, pool),
          { ...childArgs, ...(efa ? { efa, efaZone, efaSubnetId } : {}) },
          pools.opts,
        )
      : new AwsNodeGroup(childName(scope.name, pool), childArgs, pools.opts);
  }
  return nodeGroups;
}
