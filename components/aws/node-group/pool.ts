import { poolLabels } from "../../facts";
import type { Pool, Trust } from "../../placement";
import { type InstanceShape, smallestShape } from "./instance-shape";
import type { NodeTaint, ResolvedNodeGroupSettings } from "./settings";

/** What a node group is as a placement pool, validated and defaulted: known from config alone. */
export interface NodeGroupPoolPlan {
  /** Pool name: the label value and the placement pool name. */
  pool: string;
  settings: ResolvedNodeGroupSettings;
  shape: InstanceShape;
  trust: Trust;
  /** Extra taints that are part of what the pool is (the GPU taint, the system taint). */
  builtInTaints: NodeTaint[];
}

/**
 * The placement pool a node group provides, from its pool plan alone (no resources), so a stack
 * can place workloads before it declares anything.
 */
export function nodeGroupPool(plan: NodeGroupPoolPlan): Pool {
  const { settings } = plan;
  const smallest = smallestShape(plan.shape);
  const spot = settings.capacityType === "SPOT";
  return {
    name: plan.pool,
    node: {
      cpu: smallest.cpu,
      memoryGiB: smallest.memoryGiB,
      ...(smallest.gpu ? { gpu: smallest.gpu } : {}),
    },
    minNodes: settings.minSize,
    maxNodes: settings.maxSize,
    pricePerNodeHour: settings.pricePerNodeHour,
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels: {
      ...settings.labels,
      ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, gpuModel: smallest.gpu?.model }),
    },
    taints: [...plan.builtInTaints, ...settings.taints],
  };
}
