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

export function findCandidates(model: PlacementModel): Candidates {
  const feasible: number[][] = [];
  const rejected: Rejection[][] = [];
  for (const w of model.workloads) {
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
    feasible.push(ok);
    rejected.push(out);
  }
  return { feasible, rejected };
}
