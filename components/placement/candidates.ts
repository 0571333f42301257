import {
  FILTER_READS,
  POOL_FILTERS,
  type PoolFilter,
  type Status,
  TARGET_FILTERS,
  type TargetFilter,
  type WorkloadField,
} from "./filters";
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
 * What `fields` hold for a workload, as one string: workloads alike in it get the same answers from
 * a filter that reads only those fields.
 */
function signature(
  w: WorkloadModel,
  fields: readonly WorkloadField[],
  contested: ReadonlySet<string>,
): string {
  let key = "";
  for (const field of fields) {
    // Of the datasets, only those some target cannot read can change an answer: keying on all of
    // them would split alike workloads by every dataset name (thousands of shapes, not dozens).
    const value =
      field === "datasetNames"
        ? contested.size === 0
          ? null
          : w.datasetNames.filter((d) => contested.has(d))
        : w[field];
    // Numbers and flags as they print; the rest as JSON, which escapes the separator.
    key +=
      typeof value === "number"
        ? `${value}\u0001`
        : typeof value === "boolean"
          ? `${value ? 1 : 0}\u0001`
          : `${value === null ? "~" : JSON.stringify(value)}\u0001`;
  }
  return key;
}

/** By filter (target filters, then pool filters): by what it reads, its answer per candidate (undefined: not asked yet). */
type Answers = Map<string, (Rejection | null | undefined)[]>;

/**
 * Every filter runs once per candidate and distinct value of the fields it declares (a fleet has
 * thousands of workloads but few distinct GPU asks, sizes, classifications...), and its rejection,
 * sentence included, is shared by every workload that earns it. A workload's candidates are
 * assembled from those answers once per distinct value of every field some filter reads.
 */
export function findCandidates(model: PlacementModel): Candidates {
  const feasible: (readonly number[])[] = [];
  const rejected: (readonly Rejection[])[] = [];
  const targetAnswers: Answers[] = TARGET_FILTERS.map(() => new Map());
  const poolAnswers: Answers[] = POOL_FILTERS.map(() => new Map());
  const seen = new Map<string, { ok: readonly number[]; out: readonly Rejection[] }>();
  for (const w of model.workloads) {
    const key = signature(w, FILTER_READS, model.contestedDatasets);
    let known = seen.get(key);
    if (known === undefined) {
      const answers = (
        filters: readonly { reads: readonly WorkloadField[] }[],
        all: Answers[],
        size: number,
      ) =>
        filters.map((f, i) => {
          const byValue = all[i] as Answers;
          const value = signature(w, f.reads, model.contestedDatasets);
          let list = byValue.get(value);
          if (list === undefined) {
            list = new Array<Rejection | null | undefined>(size);
            byValue.set(value, list);
          }
          return list;
        });
      known = assemble(
        model,
        w,
        answers(TARGET_FILTERS, targetAnswers, model.targets.length),
        answers(POOL_FILTERS, poolAnswers, model.pools.length),
      );
      seen.set(key, known);
    }
    feasible.push(known.ok);
    rejected.push(known.out);
  }
  return { feasible, rejected };
}

function asRejection(candidate: string, rule: RejectionRule, status: Status | null): Rejection | null {
  return status === null
    ? null
    : { candidate, reason: sayCode(status.reason, status.code), rule, code: status.code };
}

/**
 * One shape's candidates, in the order the filters name them (each target, or each of its pools,
 * by the first rule it breaks): a pool is feasible when neither it nor its target was rejected.
 * The answer lists (one per filter, for this shape's value of what the filter reads) fill in as
 * candidates are first asked about.
 */
function assemble(
  model: PlacementModel,
  w: WorkloadModel,
  targetAnswers: (Rejection | null | undefined)[][],
  poolAnswers: (Rejection | null | undefined)[][],
): { ok: number[]; out: Rejection[] } {
  const ok: number[] = [];
  const out: Rejection[] = [];
  for (const t of model.targets) {
    let byTarget: Rejection | null = null;
    for (let f = 0; f < TARGET_FILTERS.length && byTarget === null; f++) {
      const list = targetAnswers[f] as (Rejection | null | undefined)[];
      let answer = list[t.index];
      if (answer === undefined) {
        const filter = TARGET_FILTERS[f] as TargetFilter;
        answer = asRejection(t.name, filter.rule, filter.check(w, t));
        list[t.index] = answer;
      }
      byTarget = answer;
    }
    if (byTarget !== null) {
      out.push(byTarget);
      continue;
    }
    for (const p of t.pools) {
      let byPool: Rejection | null = null;
      for (let f = 0; f < POOL_FILTERS.length && byPool === null; f++) {
        const list = poolAnswers[f] as (Rejection | null | undefined)[];
        let answer = list[p.index];
        if (answer === undefined) {
          const filter = POOL_FILTERS[f] as PoolFilter;
          answer = asRejection(p.key, filter.rule, filter.check(w, t, p));
          list[p.index] = answer;
        }
        byPool = answer;
      }
      if (byPool === null) ok.push(p.index);
      else out.push(byPool);
    }
  }
  return { ok, out };
}
