import type { Candidates } from "../candidates";
import { CostTable } from "../cost";
import type { PlacementModel, PoolModel, WorkloadModel } from "../model";

// The numbers the solvers read again and again, computed once: feasible pools, the cost terms
// compiled for this input, and how much of a node one replica takes.

/** Capacity comparisons allow this much floating-point slack (cpu 0.1 + 0.2 still fits 0.3). */
export const EPSILON = 1e-9;

export interface Problem {
  readonly model: PlacementModel;
  /**
   * By workload: pools passing every hard rule, the ones the solvers try. Empty for a workload
   * that these pools could not hold even all at maxNodes (`beyondCapacity`).
   */
  readonly feasible: readonly (readonly number[])[];
  /** By workload: pools passing every hard rule, whether or not they could hold it. */
  readonly eligible: readonly (readonly number[])[];
  /** By workload: the most replicas its eligible pools could hold, empty, at maxNodes. */
  readonly maxReplicas: readonly number[];
  /** The cost terms, compiled: every solver prices through it. */
  readonly costs: CostTable;
  /**
   * By workload: an id shared by the workloads of equal cpu, memory and GPUs per replica. The
   * packer groups replicas by it on every packing, so it is worked out once here.
   */
  readonly shapeOf: Int32Array;
}

/** Whether no placement can hold workload `w`: the solvers never try it, the explainer says why. */
export function beyondCapacity(problem: Problem, w: WorkloadModel): boolean {
  // With no eligible pool at all, the rules' own sentences say why; this is about capacity.
  return (problem.eligible[w.index]?.length ?? 0) > 0 && (problem.maxReplicas[w.index] ?? 0) < w.replicas;
}

export function buildProblem(model: PlacementModel, candidates: Candidates): Problem {
  // A typo of a few zeros (1 000 000 replicas) would otherwise have the solvers pack replicas
  // until memory runs out: what the pools could hold at most bounds the work.
  // A training world runs on one pool: what the largest holds, not what they hold together.
  const maxReplicas = model.workloads.map((w) =>
    (candidates.feasible[w.index] ?? []).reduce((most, p) => {
      const pool = model.pools[p];
      if (pool === undefined) return most;
      const holds = pool.maxNodes * fitCount(w, pool, 0, 0, 0);
      return w.world > 0 ? Math.max(most, holds) : most + holds;
    }, 0),
  );
  const feasible = candidates.feasible.map((pools, i) =>
    (maxReplicas[i] ?? 0) < (model.workloads[i]?.replicas ?? 0) ? [] : pools,
  );
  return {
    model,
    feasible,
    eligible: candidates.feasible,
    maxReplicas,
    costs: new CostTable(model),
    shapeOf: shapeIds(model),
  };
}

function shapeIds(model: PlacementModel): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(model.workloads, (w) => {
    const key = `${w.cpu}|${w.memoryGiB}|${w.gpu}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  });
}

/** The largest share of a node (cpu, memory or GPUs, after headroom) one replica uses. */
export function nodeShare(w: WorkloadModel, p: PoolModel): number {
  const cpu = w.cpu / p.cpuCap;
  const mem = w.memoryGiB / p.memCap;
  const gpu = p.nodeGpu > 0 ? w.gpu / p.nodeGpu : 0;
  return Math.max(cpu, mem, gpu);
}

/** How many more replicas of `w` fit on a node of `p` that already holds the given load. */
export function fitCount(w: WorkloadModel, p: PoolModel, cpu: number, mem: number, gpu: number): number {
  let n = Math.floor((p.cpuCap - cpu + EPSILON) / w.cpu);
  const byMem = Math.floor((p.memCap - mem + EPSILON) / w.memoryGiB);
  if (byMem < n) n = byMem;
  if (w.gpu > 0) {
    const byGpu = Math.floor((p.nodeGpu - gpu + EPSILON) / w.gpu);
    if (byGpu < n) n = byGpu;
  }
  return Math.max(n, 0);
}

/**
 * $/h of one replica of `w` on pool `p` at full nodes: its node share of the pool's price per node,
 * plus its per-replica rate (`share` when the caller has it already).
 */
export function unitCost(problem: Problem, w: WorkloadModel, p: PoolModel, share = nodeShare(w, p)): number {
  return share * (problem.costs.nodePrice[p.index] ?? 0) + problem.costs.replica(w.index, p.index);
}
