import { type Candidates, type RuleRejection, ruleRejections } from "./candidates";
import { type CostTerm, hasMoved } from "./cost";
import { POOL_FILTERS, TARGET_FILTERS, worldNeeds } from "./filters";
import type { PoolModel, WorkloadModel } from "./model";
import { AlternativePrices } from "./prices";
import { beyondCapacity, fitCount, type Problem } from "./solver/problem";
import type { State } from "./solver/state";
import type { Explanation, Rejection, RejectionCode, Unplaced } from "./types";
import { list, money, shape, signedMoney, withCode } from "./words";

// The explainer. Every candidate a workload did not get has one sentence: the first hard rule it
// broke (the filter's own words), or, for pools that pass every rule, what taking it instead would
// add to the total ("more expensive: +$0.42/h") or why it could not (no room, spread). Unplaced
// workloads get what is missing. The numbers come from the final state, read without changing it
// (prices.ts: nodes to open, egress, move penalty). The reason and the headline are written at
// once; the list of every rejected candidate (workloads x pools of them) when it is first read.

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;

const UNSCHEDULABLE = "Unschedulable" satisfies RejectionCode;
const UNRESOLVABLE = "UnschedulableAndUnresolvable" satisfies RejectionCode;

/** Differences under half a cent are ties. */
const TIE = 0.005;

export interface Explained {
  readonly explanations: Record<string, Explanation>;
  readonly unplaced: Unplaced[];
}

export function explain(
  problem: Problem,
  candidates: Candidates,
  state: State,
  workloadCost: readonly number[],
): Explained {
  const explanations: Record<string, Explanation> = {};
  const unplaced: Unplaced[] = [];
  const prices = new AlternativePrices(state);
  for (const w of problem.model.workloads) {
    const ruled = candidates.rejected[w.index] ?? [];
    const feasible = problem.feasible[w.index] ?? [];
    const costPerHour = workloadCost[w.index] ?? 0;
    if (state.isPlaced(w.index)) {
      const parts = state.parts[w.index] ?? new Map<number, number>();
      const elsewhere = feasible.filter((p) => !parts.has(p));
      const { costed, dearer } = prices.count(w, feasible, elsewhere, TIE);
      explanations[w.name] = explanation(
        [...parts.keys()].map((p) => state.pool(p).key),
        () => [...alternativesOf(state, prices, w, elsewhere), ...ruled],
        whyChosen(state, w, costed, dearer, ruled.length),
        costPerHour,
      );
    } else {
      const { reasons, code } = whyUnplaced(problem, state, w);
      // Every pool that passed the rules is named, those the solvers never tried included.
      const eligible = problem.eligible[w.index] ?? feasible;
      explanations[w.name] = explanation(
        [],
        () => [...eligible.map((p) => noRoomRejection(state, w, p)), ...ruled],
        reasons[0] ?? "not placed",
        costPerHour,
      );
      unplaced.push({ workload: w.name, reasons, code });
    }
  }
  return { explanations, unplaced };
}

/**
 * An explanation whose `rejected` list (every other candidate of the fleet, the bulk of a large
 * result) is built when first read, then kept. It reads the final state, which nothing changes
 * after the solve, so when it is read does not change what it says; it serialises like any field.
 */
function explanation(
  chosen: string[],
  rejected: () => Rejection[],
  reason: string,
  costPerHour: number,
): Explanation {
  // An accessor written in the literal is an own, enumerable property (JSON and spreads see it),
  // and costs no more to make than a field; the first read turns it into a plain field.
  return {
    chosen,
    get rejected(): Rejection[] {
      const value = rejected();
      keep(this, value);
      return value;
    },
    set rejected(value: Rejection[]) {
      keep(this, value);
    },
    reason,
    costPerHour,
  };
}

function keep(explanation: Explanation, value: Rejection[]): void {
  Object.defineProperty(explanation, "rejected", {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
}

function byName(a: Rejection, b: Rejection): number {
  return a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0;
}

/**
 * Every pool of `pools` the placed workload `w` could have taken instead, in words: the pools it
 * could move to, cheapest first, with what the move would change; then those it could not (no
 * room, or the spread), by name.
 */
function alternativesOf(
  state: State,
  prices: AlternativePrices,
  w: WorkloadModel,
  pools: readonly number[],
): Rejection[] {
  const terms = state.problem.costs.terms;
  const n = terms.length;
  const byTerm = new Float64Array(pools.length * n);
  const { delta, spread } = prices.price(w, pools, byTerm);
  const costed: (Rejection & { delta: number })[] = [];
  const others: Rejection[] = [];
  pools.forEach((q, i) => {
    const candidate = state.pool(q).key;
    const d = delta[i] ?? Number.NaN;
    if (!Number.isNaN(d)) {
      costed.push({ candidate, reason: costSentence(terms, d, byTerm, i * n), rule: "cost", delta: d });
    } else if (spread[i] === 1) {
      // No capacity here changes how many targets the rest of the workload covers.
      const reason = `moving here would leave replicas on fewer than ${w.minTargets} targets (spread)`;
      others.push({ candidate, reason: withCode(reason, UNRESOLVABLE), rule: "spread", code: UNRESOLVABLE });
    } else {
      others.push(noRoomRejection(state, w, q));
    }
  });
  costed.sort((a, b) => a.delta - b.delta || byName(a, b));
  others.sort(byName);
  return [...costed.map(({ candidate, reason, rule }) => ({ candidate, reason, rule })), ...others];
}

/** `more expensive: +$0.42/h (compute +$0.77, egress -$0.35)`: a breakdown unless compute alone moved. */
function costSentence(terms: readonly CostTerm[], delta: number, byTerm: Float64Array, at: number): string {
  const shown: number[] = [];
  for (let t = 0; t < terms.length; t++) if (Math.abs(byTerm[at + t] ?? 0) >= TIE) shown.push(t);
  const detail =
    shown.length > 1 || (shown.length === 1 && shown[0] !== 0)
      ? ` (${shown.map((t) => `${terms[t]?.words} ${signedMoney(byTerm[at + t] ?? 0)}`).join(", ")})`
      : "";
  if (delta >= TIE) return `more expensive: ${signedMoney(delta)}/h${detail}`;
  if (delta > -TIE) return `no cheaper: ${signedMoney(0)}/h${detail}; the chosen place came first`;
  return `cheaper by ${money(-delta)}/h on its own${detail}, but the search ended before taking it`;
}

/** A pool that passes every rule but has no room left: more nodes would fix it. */
function noRoomRejection(state: State, w: WorkloadModel, p: number): Rejection {
  const reason = withCode(noRoom(state, w, p), UNSCHEDULABLE);
  return { candidate: state.pool(p).key, reason, rule: "capacity", code: UNSCHEDULABLE };
}

function noRoom(state: State, w: WorkloadModel, p: number): string {
  const pool = state.pool(p);
  const size = shape(w.cpu, w.memoryGiB, w.gpu, w.gpuModels);
  return `no room: ${state.used[p] ?? 0} of ${pool.maxNodes} nodes (maxNodes) in use, too full for ${w.replicas} x (${size}) more`;
}

/** `costed`: alternatives that could take the workload; `dearer`: those of them that cost more. */
function whyChosen(state: State, w: WorkloadModel, costed: number, dearer: number, ruledOut: number): string {
  const parts = state.parts[w.index] ?? new Map<number, number>();
  const feasible = state.problem.feasible[w.index]?.length ?? 0;
  const previous = state.problem.model.previous[w.index] ?? null;
  const kept = previous !== null && !hasMoved(previous, parts.keys());
  const why =
    w.pinTarget !== null
      ? `pinned to ${w.pinPool === null ? w.pinTarget : `${w.pinTarget}/${w.pinPool}`}`
      : feasible === 1
        ? "the only place that passes every rule"
        : dearer === costed
          ? `cheapest of ${feasible} places that pass every rule`
          : `chosen among ${feasible} places that pass every rule (${dearer} ${dearer === 1 ? "costs" : "cost"} more)`;
  const spread = w.minTargets > 1 ? `; spread over ${state.targetCount(w.index)} targets` : "";
  const lock = kept ? "; kept where the lock put it" : "";
  const ruled = ruledOut > 0 ? `; ${ruledOut} other candidate${ruledOut === 1 ? "" : "s"} broke a rule` : "";
  return `${why}${spread}${lock}${ruled}`;
}

/** What is missing for an unplaced workload: a headline, then a line per rule or full pool. */
function whyUnplaced(
  problem: Problem,
  state: State,
  w: WorkloadModel,
): { reasons: string[]; code: RejectionCode } {
  const feasible = problem.feasible[w.index] ?? [];
  if (beyondCapacity(problem, w)) return beyondEveryPool(problem, w);
  if (feasible.length === 0) {
    const rejections = ruleRejections(problem.model, w);
    // Only when every candidate is the wrong kind can no capacity change help.
    const code =
      rejections.length > 0 && rejections.every((r) => r.code === UNRESOLVABLE)
        ? UNRESOLVABLE
        : UNSCHEDULABLE;
    return {
      code,
      reasons: [
        withCode("no target or pool passes every hard rule", code),
        ...missing(problem, w, rejections),
      ],
    };
  }
  const targets = [...new Set(feasible.map((p) => state.pool(p).targetIndex))];
  if (targets.length < w.minTargets) {
    const names = targets.map((t) => problem.model.targets[t]?.name ?? "");
    const headline = `spread needs ${w.minTargets} targets; only ${targets.length} pass every rule (${list(names)})`;
    return {
      code: UNSCHEDULABLE,
      reasons: [withCode(headline, UNSCHEDULABLE), ...missing(problem, w, ruleRejections(problem.model, w))],
    };
  }
  const pools = feasible.map((p) => state.pool(p));
  const occupants = pools.flatMap((pool) => occupantsOf(state, pool.index));
  const higher = occupants.length > 0 && occupants.every((o) => o.priority > w.priority);
  const where =
    pools.length === 1
      ? "the only pool that passes every rule"
      : `all ${pools.length} pools that pass every rule`;
  const roomiest = w.world > 0 ? roomiestPool(state, w, feasible) : null;
  const headline =
    roomiest !== null && roomiest.room < w.world
      ? `${worldNeeds(w.world)}; the largest has room for ${roomiest.room} (${state.pool(roomiest.p).key})${higher ? ", the rest taken by higher-priority work" : ""}`
      : higher
        ? `capacity exhausted by higher-priority work on ${where}`
        : `capacity exhausted on ${where}`;
  const detail = pools.slice(0, 5).map((pool) => {
    const names = occupantsOf(state, pool.index).map((o) => `${o.name} (priority ${o.priority})`);
    return `${pool.key}: ${noRoom(state, w, pool.index).replace(/^no room: /, "")}; runs ${list(names, 3)}`;
  });
  return { code: UNSCHEDULABLE, reasons: [withCode(headline, UNSCHEDULABLE), ...detail] };
}

/** A workload more replicas than every eligible pool together could hold at maxNodes. */
function beyondEveryPool(problem: Problem, w: WorkloadModel): { reasons: string[]; code: RejectionCode } {
  const pools = (problem.eligible[w.index] ?? [])
    .map((p) => problem.model.pools[p])
    .filter((p) => p !== undefined);
  const most = problem.maxReplicas[w.index] ?? 0;
  const where =
    pools.length === 1
      ? "the only pool that passes every rule holds"
      : `the ${pools.length} pools that pass every rule hold`;
  const headline = `needs ${w.replicas} replicas; ${where} at most ${most} at maxNodes`;
  const detail = pools.slice(0, 5).map((pool) => {
    const perNode = fitCount(w, pool, 0, 0, 0);
    return `${pool.key}: ${pool.maxNodes} nodes (maxNodes) x ${perNode} per node = ${pool.maxNodes * perNode}`;
  });
  return { code: UNSCHEDULABLE, reasons: [withCode(headline, UNSCHEDULABLE), ...detail] };
}

/** Ranks of `w` each pool could still take now (room on its nodes, and nodes it may open); the most. */
function roomiestPool(state: State, w: WorkloadModel, pools: readonly number[]): { p: number; room: number } {
  let best = { p: pools[0] ?? 0, room: -1 };
  for (const p of pools) {
    const pool = state.pool(p);
    let room = Math.max(0, pool.maxNodes - (state.used[p] ?? 0)) * replicasThatFit(w, pool, 0, 0, 0);
    for (const node of state.poolNodes(p))
      if (node.replicas > 0) room += replicasThatFit(w, pool, node.cpu, node.mem, node.gpu);
    if (room > best.room) best = { p, room };
  }
  return best;
}

function occupantsOf(state: State, p: number): WorkloadModel[] {
  const seen = new Set<number>();
  for (const node of state.poolNodes(p)) for (const w of node.items.keys()) seen.add(w);
  return [...seen].sort((a, b) => a - b).map((w) => state.workload(w));
}

/** What each rule that turned candidates down says is missing, in rule order, each with its code in words. */
function missing(problem: Problem, w: WorkloadModel, rejected: readonly RuleRejection[]): string[] {
  const out: string[] = [];
  const order = [...TARGET_FILTERS, ...POOL_FILTERS].map((f) => f.rule);
  for (const rule of order.filter((r, i) => order.indexOf(r) === i)) {
    const mine = rejected.filter((r) => r.rule === rule);
    const first = mine[0];
    if (first === undefined) continue;
    const filter = POOL_FILTERS.find((f) => f.rule === rule);
    const pools = mine
      .map((r) => (r.pool === null ? undefined : problem.model.pools[r.pool]))
      .filter((p): p is PoolModel => p !== undefined);
    if (filter?.missing !== undefined && pools.length > 0) {
      const status = filter.missing(w, pools);
      out.push(withCode(status.reason, status.code));
    } else {
      const reason = mine.length > 1 ? `${first.reason} (and ${mine.length - 1} more like it)` : first.reason;
      const code = mine.some((r) => r.code === UNSCHEDULABLE) ? UNSCHEDULABLE : first.code;
      out.push(withCode(reason, code));
    }
  }
  return out;
}
