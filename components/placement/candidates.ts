import { POOL_FILTERS, TARGET_FILTERS } from "./filters";
import type { PlacementModel, TargetModel, WorkloadModel } from "./model";
import type { RejectionRule } from "./types";

// Runs every filter over every (workload, target, pool) once. The solver sees only the feasible
// pools; the explainer reuses the sentences.

export interface RuleRejection {
  /** A target index when `pool` is null (the whole target is out), else the pool's target. */
  readonly target: number;
  readonly pool: number | null;
  readonly rule: RejectionRule;
  readonly reason: string;
}

export interface Candidates {
  /** By workload index: the pools that pass every hard rule, in pool order. */
  readonly feasible: readonly (readonly number[])[];
  /** By workload index: the first rule each other target or pool broke. */
  readonly rejected: readonly (readonly RuleRejection[])[];
}

export function findCandidates(model: PlacementModel): Candidates {
  const feasible: number[][] = [];
  const rejected: RuleRejection[][] = [];
  for (const w of model.workloads) {
    const ok: number[] = [];
    const out: RuleRejection[] = [];
    for (const t of model.targets) {
      const targetReason = firstTargetRejection(w, t);
      if (targetReason !== null) {
        out.push({ target: t.index, pool: null, rule: targetReason.rule, reason: targetReason.reason });
        continue;
      }
      for (const p of t.pools) {
        let rejection: RuleRejection | null = null;
        for (const filter of POOL_FILTERS) {
          const reason = filter.check(w, t, p);
          if (reason !== null) {
            rejection = { target: t.index, pool: p.index, rule: filter.rule, reason };
            break;
          }
        }
        if (rejection === null) ok.push(p.index);
        else out.push(rejection);
      }
    }
    feasible.push(ok);
    rejected.push(out);
  }
  return { feasible, rejected };
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
