import { POOL_FILTERS, TARGET_FILTERS } from "./filters";
import type { PlacementModel, TargetModel, WorkloadModel } from "./model";
import type { Rejection, RejectionRule } from "./types";

// Runs every filter over every (workload, target, pool) once. The solver sees only the feasible
// pools; the explainer reuses the sentences, already in the shape the result carries.

export interface Candidates {
  /** By workload index: the pools that pass every hard rule, in pool order. */
  readonly feasible: readonly (readonly number[])[];
  /** By workload index: the first rule each other target or pool broke, by candidate name. */
  readonly rejected: readonly (readonly Rejection[])[];
}

/** One rule rejection with the indices behind it, for summaries of what a workload is missing. */
export interface RuleRejection {
  /** The target; with `pool` null the whole target is out. */
  readonly target: number;
  readonly pool: number | null;
  readonly rule: RejectionRule;
  readonly reason: string;
}

function firstTargetRejection(
  w: WorkloadModel,
  t: TargetModel,
): { rule: RejectionRule; reason: string } | null {
  for (const filter of TARGET_FILTERS) {
    const reason = filter.check(w, t);
    if (reason !== null) return { rule: filter.rule, reason };
  }
  return null;
}

/** Every rejection of one workload, with indices (the explainer's summaries need them). */
export function ruleRejections(model: PlacementModel, w: WorkloadModel): RuleRejection[] {
  const out: RuleRejection[] = [];
  for (const t of model.targets) {
    const byTarget = firstTargetRejection(w, t);
    if (byTarget !== null) {
      out.push({ target: t.index, pool: null, ...byTarget });
      continue;
    }
    for (const p of t.pools) {
      for (const filter of POOL_FILTERS) {
        const reason = filter.check(w, t, p);
        if (reason !== null) {
          out.push({ target: t.index, pool: p.index, rule: filter.rule, reason });
          break;
        }
      }
    }
  }
  return out;
}

/**
 * What the filters read of a workload. Workloads alike in all of it get the same answer, so it is
 * computed once and shared (a large fleet has thousands of workloads but few distinct shapes).
 */
function signature(w: WorkloadModel): string {
  return JSON.stringify([
    w.classification,
    w.residency,
    w.pinTarget,
    w.pinPool,
    w.gpu,
    w.gpuModels,
    w.spotOk,
    w.cpu,
    w.memoryGiB,
    w.tolerations,
  ]);
}

export function findCandidates(model: PlacementModel): Candidates {
  const feasible: (readonly number[])[] = [];
  const rejected: (readonly Rejection[])[] = [];
  const seen = new Map<string, { ok: readonly number[]; out: readonly Rejection[] }>();
  for (const w of model.workloads) {
    const key = signature(w);
    let known = seen.get(key);
    if (known === undefined) {
      known = evaluate(model, w);
      seen.set(key, known);
    }
    feasible.push(known.ok);
    rejected.push(known.out);
  }
  return { feasible, rejected };
}

function evaluate(model: PlacementModel, w: WorkloadModel): { ok: number[]; out: Rejection[] } {
  const ok: number[] = [];
  const out: Rejection[] = [];
  for (const t of model.targets) {
    const byTarget = firstTargetRejection(w, t);
    if (byTarget !== null) {
      out.push({ candidate: t.name, reason: byTarget.reason, rule: byTarget.rule });
      continue;
    }
    for (const p of t.pools) {
      let broken = false;
      for (const filter of POOL_FILTERS) {
        const reason = filter.check(w, t, p);
        if (reason !== null) {
          out.push({ candidate: p.key, reason, rule: filter.rule });
          broken = true;
          break;
        }
      }
      if (!broken) ok.push(p.index);
    }
  }
  return { ok, out };
}
