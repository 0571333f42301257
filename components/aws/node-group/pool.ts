import { AWS_CPU_INSTANCES, AWS_GPU_INSTANCES, poolLabels, SPOT_PRICE_FACTOR } from "../../facts";
import type { Pool, Taint, Trust } from "../../placement";
import { type InstanceShape, smallestShape } from "./instance-shape";
import type { AwsNodeGroupSettings } from "./settings";

/** What a node group is as a placement pool, validated and defaulted: known from config alone. */
export interface NodeGroupPoolPlan {
  /** Pool name: the label value and the placement pool name. */
  pool: string;
  settings: AwsNodeGroupSettings;
  shape: InstanceShape;
  trust: Trust;
  /** Extra taints that are part of what the pool is (the GPU taint, the system taint). */
  builtInTaints: Taint[];
}

/**
 * The placement pool a node group provides, from its pool plan alone (no resources), so a stack
 * can place workloads before it declares anything.
 */
export function nodeGroupPool(plan: NodeGroupPoolPlan): Pool {
  const { settings, shape } = plan;
  const gpu = shape.kind === "gpu";
  const smallest = smallestShape(shape);
  const spot = settings.capacityType === "SPOT";
  const reference = settings.instanceTypes[0] ?? "";
  const referencePrice =
    (gpu ? AWS_GPU_INSTANCES.get(reference) : AWS_CPU_INSTANCES.get(reference))?.usdPerHour ?? 0;
  return {
    name: plan.pool,
    node: {
      cpu: smallest.cpu,
      memoryGiB: smallest.memoryGiB,
      ...(smallest.gpu ? { gpu: smallest.gpu } : {}),
    },
    minNodes: settings.minSize ?? (gpu ? 0 : 1),
    maxNodes: settings.maxSize,
    pricePerNodeHour: round(
      settings.pricePerNodeHour ?? (spot ? referencePrice * SPOT_PRICE_FACTOR : referencePrice),
    ),
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels: {
      ...settings.labels,
      ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, gpuModel: smallest.gpu?.model }),
    },
    taints: [...plan.builtInTaints, ...(settings.taints ?? [])],
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
