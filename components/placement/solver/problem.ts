import type { Candidates } from "../candidates";
import { datasetSources, egressPerReplica } from "../cost";
import type { PlacementModel, PoolModel, WorkloadModel } from "../model";

// The numbers the solvers read again and again, computed once: feasible pools, egress by target,
// and how much of a node one replica takes.

/** Capacity comparisons allow this much floating-point slack (cpu 0.1 + 0.2 still fits 0.3). */
export const EPSILON = 1e-9;

export interface Problem {
  readonly model: PlacementModel;
  /** By workload: pools passing every hard rule. */
  readonly feasible: readonly (readonly number[])[];
  /** By workload: egress $/h of one replica per target index, or null when always zero. */
  readonly egress: readonly (Float64Array | null)[];
}

export function buildProblem(model: PlacementModel, candidates: Candidates): Problem {
  const sources = datasetSources(model);
  return {
    model,
    feasible: candidates.feasible,
    egress: model.workloads.map((w) => egressPerReplica(model, w, sources)),
  };
}

/** Egress $/h of one replica of workload `w` on pool `p`'s target. */
export function egressOf(problem: Problem, w: number, p: PoolModel): number {
  return problem.egress[w]?.[p.targetIndex] ?? 0;
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
