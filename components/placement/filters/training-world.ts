import type { PoolModel, WorkloadModel } from "../model";
import { poolFilter, unschedulable } from "./filter";

// A multi-replica training workload is one world: its ranks rendezvous and exchange gradients
// with each other, and each part of a split would become its own Indexed Job with its own rank 0
// (a job that never makes progress). So the whole world runs on one pool: a pool that could not
// hold every rank even with all its nodes (maxNodes) is no candidate. Why one pool and not one
// cluster: a placement part is what the renderer turns into one Job on one pool's nodes, and a
// world over unlike nodes runs at the pace of its slowest GPUs. A larger maxNodes (or larger
// nodes) fixes it.

const EPSILON = 1e-9;

type World = Pick<WorkloadModel, "world" | "cpu" | "memoryGiB" | "gpu">;

/** Ranks of `w` one empty node of `p` holds (cpu and memory after headroom, and GPUs). */
function perNode(w: World, p: PoolModel): number {
  let n = Math.floor((p.cpuCap + EPSILON) / w.cpu);
  n = Math.min(n, Math.floor((p.memCap + EPSILON) / w.memoryGiB));
  if (w.gpu > 0) n = Math.min(n, Math.floor((p.nodeGpu + EPSILON) / w.gpu));
  return Math.max(n, 0);
}

/** Ranks of `w` the pool holds with every node it may run. */
export function worldRoom(w: World, p: PoolModel): number {
  return p.maxNodes * perNode(w, p);
}

/** `a training world of 3 ranks needs one pool with room for all 3`. */
export function worldNeeds(ranks: number): string {
  return `a training world of ${ranks} ranks needs one pool with room for all ${ranks}`;
}

export const trainingWorld = poolFilter({
  rule: "training-world",
  reads: ["world", "cpu", "memoryGiB", "gpu"],
  check: (w, _t, p) => {
    if (w.world === 0) return null;
    const holds = worldRoom(w, p);
    return holds >= w.world
      ? null
      : unschedulable(
          `${worldNeeds(w.world)}; ${p.key} holds ${holds} at maxNodes (${p.maxNodes} x ${perNode(w, p)} per node)`,
        );
  },
  missing: (w, rejected) => {
    const largest = rejected.reduce((best, p) => (worldRoom(w, p) > worldRoom(w, best) ? p : best));
    return unschedulable(
      `${worldNeeds(w.world)}; the largest (${largest.key}) holds ${worldRoom(w, largest)} at maxNodes`,
    );
  },
});
