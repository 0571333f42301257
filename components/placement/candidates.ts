import { FILTER_READS, POOL_FILTERS, type Status, TARGET_FILTERS } from "./filters";
import type { PlacementModel, PoolModel, TargetModel, WorkloadModel } from "./model";
import type { Rejection, RejectionRule } from "./types";
import { withCode } from "./words";

// Bound once: called for every rejection of every distinct workload shape, and under some module
// loaders (tsx, vitest) every call through an import is a property lookup first.
const sayCode = withCode;

// Runs every filter over every (workload, target, pool) once. The solver sees only the feasible
// pools; the explainer reuses the sentences and codes, already in the shape the result carries.

export interface Candidates {
  /** By workload index: the pools that pass every hard rule, in pool order. */
  readonly feasible: readonly (readonly number[])[];
  /** By workload index: the first rule each other target or pool broke, by candidate name (sentences as the filters say them). */
  readonly rejected: readonly (readonly Rejection[])[];
}

/** One rule rejection with the indices behind it, for summaries of what a workload is missing. */
export interface RuleRejection extends Status {
  /** The target; with `pool` null the whole target is out. */
  readonly target: number;
  readonly pool: number | null;
  /** `target`, or `target/pool`: how explanations name the candidate. */
  readonly candidate: string;
  readonly rule: RejectionRule;
}

/** A filter's status, and the rule that said it. */
export interface Broken extends Status {
  readonly rule: RejectionRule;
}

function firstTargetRejection(w: WorkloadModel, t: TargetModel): Broken | null {
  for (const filter of TARGET_FILTERS) {
    const status = filter.check(w, t);
    if (status !== null) return { rule: filter.rule, code: status.code, reason: status.reason };
  }
  return null;
}

function firstPoolRejection(w: WorkloadModel, t: TargetModel, p: PoolModel): Broken | null {
  for (const filter of POOL_FILTERS) {
    const status = filter.check(w, t, p);
    if (status !== null) return { rule: filter.rule, code: status.code, reason: status.reason };
  }
  return null;
}

/** The first hard rule that keeps `w` off pool `p` of target `t`, or null when it may run there. */
export function firstRejection(w: WorkloadModel, t: TargetModel, p: PoolModel): Broken | null {
  return firstTargetRejection(w, t) ?? firstPoolRejection(w, t, p);
}

/** Every rejection of one workload, with indices (the explainer's summaries need them). */
export function ruleRejections(model: PlacementModel, w: WorkloadModel): RuleRejection[] {
  const out: RuleRejection[] = [];
  for (const t of model.targets) {
    const byTarget = firstTargetRejection(w, t);
    if (byTarget !== null) {
      out.push({
        target: t.index,
        pool: null,
        candidate: t.name,
        rule: byTarget.rule,
        code: byTarget.code,
        reason: byTarget.reason,
      });
      continue;
    }
    for (const p of t.pools) {
      const byPool = firstPoolRejection(w, t, p);
      if (byPool !== null)
        out.push({
          target: t.index,
          pool: p.index,
          candidate: p.key,
          rule: byPool.rule,
          code: byPool.code,
          reason: byPool.reason,
        });
    }
  }
  return out;
}

/**
 * What the filters read of a workload, as they declare it. Workloads alike in all of it get the
 * same answer, so it is computed once and shared (a large fleet has thousands of workloads but few
 * distinct shapes).
 */
function signature(w: WorkloadModel, contested: ReadonlySet<string>): string {
  // Of the datasets, only those some target cannot read can change an answer: keying on all of
  // them would split alike workloads by every dataset name (thousands of shapes, not dozens).
  return JSON.stringify(
    FILTER_READS.map((field) =>
      field === "datasetNames" ? w.datasetNames.filter((d) => contested.has(d)) : w[field],
    ),
  );
}

export function findCandidates(model: PlacementModel): Candidates {
  const feasible: (readonly number[])[] = [];
  const rejected: (readonly Rejection[])[] = [];
  const seen = new Map<string, { ok: readonly number[]; out: readonly Rejection[] }>();
  for (const w of model.workloads) {
    const key = signature(w, model.contestedDatasets);
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

/**
 * One workload's candidates, read off `ruleRejections` (the one filter loop): a pool is feasible
 * when neither it nor its target was rejected.
 */
function evaluate(model: PlacementModel, w: WorkloadModel): { ok: number[]; out: Rejection[] } {
  const rejections = ruleRejections(model, w);
  const out: Rejection[] = [];
  const ruledOut = new Set<number>();
  for (const r of rejections) {
    out.push({ candidate: r.candidate, reason: sayCode(r.reason, r.code), rule: r.rule, code: r.code });
    if (r.pool !== null) ruledOut.add(r.pool);
    else for (const p of model.targets[r.target]?.pools ?? []) ruledOut.add(p.index);
  }
  const ok = model.pools.filter((p) => !ruledOut.has(p.index)).map((p) => p.index);
  return { ok, out };
}
