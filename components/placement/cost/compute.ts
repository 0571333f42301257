import type { NodeTerm } from "./term";

// Compute: every node a pool runs, max(minNodes, nodes used), costs the pool's price per node-hour.

export const compute = {
  shape: "node",
  field: "computePerHour",
  words: "compute",
  perNode: (pool) => pool.price,
} satisfies NodeTerm;
