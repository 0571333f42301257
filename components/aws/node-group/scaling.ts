import { getNodeGroup } from "@pulumi/aws/eks/getNodeGroup";
import { getNodeGroups } from "@pulumi/aws/eks/getNodeGroups";
import * as pulumi from "@pulumi/pulumi";
import { LABEL_POOL } from "../../facts";

/** What the node count of a group may be, and what it starts at. */
export interface ScalingBounds {
  /** Nodes at creation. */
  initial: number;
  minSize: number;
  maxSize: number;
}

/** The desired node count: what runs now (or the initial count), kept within the bounds. */
export function clampDesiredSize(live: number | undefined, bounds: ScalingBounds): number {
  return Math.min(bounds.maxSize, Math.max(bounds.minSize, live ?? bounds.initial));
}

/**
 * How many nodes the pool's managed node group runs now, as EKS reports it (the autoscaler's
 * count: EKS mirrors its Auto Scaling group's desired capacity), or `undefined` when no group of
 * the cluster carries the pool's label. Found by the `hybrid-ai-infra.io/pool` label every group
 * of the library carries, never by the group's name, which Pulumi's auto-naming (and a project's
 * `pulumi:autonaming` pattern) decides. While a replacement runs two groups carry the label: the
 * larger count wins, so a replacement starts as large as the group it replaces.
 */
export async function liveDesiredSize(
  clusterName: string,
  pool: string,
  opts: pulumi.InvokeOptions,
): Promise<number | undefined> {
  const { names } = await getNodeGroups({ clusterName }, opts);
  const counts: number[] = [];
  for (const nodeGroupName of [...names].sort()) {
    const group = await getNodeGroup({ clusterName, nodeGroupName }, opts);
    const desired = group.scalingConfigs[0]?.desiredSize;
    if (group.labels[LABEL_POOL] === pool && desired !== undefined) counts.push(desired);
  }
  return counts.length > 0 ? Math.max(...counts) : undefined;
}

/**
 * The desired size to declare for a managed node group. The Cluster Autoscaler changes the count
 * after creation, so declaring the initial count again would undo its work; ignoring the count
 * (the usual `ignoreChanges`) lets the provider send the count it last stored whenever the bounds
 * change, which undoes a scale-up it never saw, or fails when the new minimum is above it (EKS
 * refuses a minimum above the desired size). So the count is read from EKS at each update (after
 * `after`, as late as the update allows) and only moved into the new bounds: with the stack
 * refreshed first (`options.refresh: always`), an update that changes no bound sends no count at
 * all, and one that does sends the count that runs. On the first `up` the cluster has no such
 * group and the initial count is used.
 */
export function desiredSizeOf(
  parent: pulumi.Resource,
  clusterName: pulumi.Input<string>,
  pool: string,
  bounds: ScalingBounds,
  after: pulumi.Input<unknown>[] = [],
): pulumi.Output<number> {
  return pulumi
    .all([pulumi.output(clusterName), pulumi.all(after)])
    .apply(async ([cluster]) => clampDesiredSize(await liveDesiredSize(cluster, pool, { parent }), bounds));
}
