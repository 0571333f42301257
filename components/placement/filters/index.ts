import { data } from "./data";
import type { PoolFilter, TargetFilter, WorkloadField } from "./filter";
import { fitsNode } from "./fits-node";
import { gpu } from "./gpu";
import { gpuReserved } from "./gpu-reserved";
import { pinPool, pinTarget } from "./pin";
import { residency } from "./residency";
import { spot } from "./spot";
import { taints } from "./taints";
import { trainingWorld } from "./training-world";
import { trust } from "./trust";

// The hard rules, in the order a rejection is reported: the first rule a candidate breaks is the
// one its explanation names. Target rules run first; a rejected target's pools are not examined.

export {
  type PoolFilter,
  type Status,
  type TargetFilter,
  unresolvable,
  unschedulable,
  type WorkloadField,
} from "./filter";
export { worldNeeds, worldRoom } from "./training-world";

export const TARGET_FILTERS: readonly TargetFilter[] = [pinTarget, trust, residency, data];

export const POOL_FILTERS: readonly PoolFilter[] = [
  pinPool,
  gpuReserved,
  gpu,
  taints,
  spot,
  fitsNode,
  trainingWorld,
];

/**
 * Every workload field some filter reads, in filter order: workloads alike in all of them get the
 * same candidates and the same sentences.
 */
export const FILTER_READS: readonly WorkloadField[] = [
  ...new Set([...TARGET_FILTERS, ...POOL_FILTERS].flatMap((f) => f.reads)),
];
