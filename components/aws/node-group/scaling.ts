import { getAmiIdsOutput } from "@pulumi/aws/autoscaling/getAmiIds";
import { getGroup } from "@pulumi/aws/autoscaling/getGroup";
import * as pulumi from "@pulumi/pulumi";

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
 * Names Pulumi's auto-naming gives a resource named `name`: the name, a dash, seven hex digits.
 * The pattern is anchored, so pool `gpu` does not match pool `gpu-a`'s groups.
 */
export function autoNamePattern(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-[0-9a-f]{7}$`);
}

/**
 * The desired size to declare for a managed node group. The Cluster Autoscaler changes the count
 * after creation, so declaring the initial count again would fight it; ignoring the count instead
 * (the usual `ignoreChanges`) makes a raised `minSize` fail, as EKS refuses a minimum above the
 * desired size. So the count is read back from the group's Auto Scaling group (EKS tags it with
 * `eks:cluster-name` and `eks:nodegroup-name`) and only moved into the new bounds. On the first
 * `up` there is no group yet and the initial count is used; a lookup that finds nothing never
 * fails.
 */
export function desiredSizeOf(
  name: string,
  parent: pulumi.Resource,
  clusterName: pulumi.Input<string>,
  bounds: ScalingBounds,
): pulumi.Output<number> {
  const opts = { parent };
  const inCluster = getAmiIdsOutput(
    { filters: [{ name: "tag:eks:cluster-name", values: [pulumi.output(clusterName)] }] },
    opts,
  );
  const ours = autoNamePattern(name);
  return inCluster.names.apply(async (groups) => {
    for (const group of groups ?? []) {
      const found = await getGroup({ name: group }, opts);
      const nodeGroup = found.tags.find((t) => t.key === "eks:nodegroup-name")?.value;
      if (nodeGroup !== undefined && ours.test(nodeGroup)) {
        return clampDesiredSize(found.desiredCapacity, bounds);
      }
    }
    return clampDesiredSize(undefined, bounds);
  });
}
