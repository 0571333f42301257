import type { PoolModel } from "../model";

/** A pool's node cost per hour: it runs max(minNodes, nodes used) nodes at its price. */
export function poolComputeCost(pool: PoolModel, nodesUsed: number): number {
  return Math.max(pool.minNodes, nodesUsed) * pool.price;
}
