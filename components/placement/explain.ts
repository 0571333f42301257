import { type Candidates, type RuleRejection, ruleRejections } from "./candidates";
import { type CostTerm, hasMoved, type PlacementEntry, poolCostDelta } from "./cost";
import { POOL_FILTERS, TARGET_FILTERS, worldNeeds } from "./filters";
import type { PoolModel, WorkloadModel } from "./model";
import { beyondCapacity, fitCount, type Problem } from "./solver/problem";
import type { Node, State } from "./solver/state";
import type { Explanation, Rejection, RejectionCode, Unplaced } from "./types";
import { list, money, shape, signedMoney, withCode } from "./words";

// The explainer. Every candidate a workload did not get has one sentence: the first hard rule it
// broke (the filter's own words), or, for pools that pass every rule, what taking it instead would
// add to the total ("more expensive: +$0.42/h") or why it could not (no room, spread). Unplaced
// workloads get what is missing. The numbers come from the final state: the workload is taken out
// once, each other pool is priced for it (nodes to open, egress, move penalty), and it goes back.

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;
const nodeCostDelta = poolCostDelta;

const UNSCHEDULABLE = "Unschedulable" satisfies RejectionCode;
const UNRESOLVABLE = "UnschedulableAndUnresolvable" satisfies RejectionCode;

/** Differences under half a cent are ties. */
const TIE = 0.005;

export interface Explained {
  readonly explanations: Record<string, Explanation>;
  readonly unplaced: Unplaced[];
}

interface Alternative extends Rejection {
  readonly delta: number;
}

export function explain(
  problem: Problem,
  candidates: Candidates,
  state: State,
  workloadCost: readonly number[],
): Explained {
  const explanations: Record<string, Explanation> = {};
  const unplaced: Unplaced[] = [];
  const open = openNodesOf(state);
  // Scratch for pricing one alternative term by term, reused for every workload.
  const terms = new Float64Array(problem.costs.terms.length);
  for (const w of problem.model.workloads) {
    const ruled = candidates.rejected[w.index] ?? [];
    const feasible = problem.feasible[w.index] ?? [];
    if (state.isPlaced(w.index)) {
      const parts = state.parts[w.index] ?? new Map<number, number>();
      const elsewhere = feasible.filter((p) => !parts.has(p));
      const alternatives = alternativesOf(state, open, w, elsewhere, terms);
      const costed = alternatives
        .filter((a) => a.rule === "cost")
        .sort((a, b) => a.delta - b.delta || byName(a, b));
      const others = alternatives.filter((a) => a.rule !== "cost").sort(byName);
      const rejected: Rejection[] = [];
      for (const a of costed) rejected.push({ candidate: a.candidate, reason: a.reason, rule: a.rule });
      for (const a of others)
        rejected.push({ candidate: a.candidate, reason: a.reason, rule: a.rule, code: a.code });
      for (const r of ruled) rejected.push(r);
      explanations[w.name] = {
        chosen: [...parts.keys()].map((p) => state.pool(p).key),
        rejected,
        reason: whyChosen(state, w, costed, ruled.length),
        costPerHour: workloadCost[w.index] ?? 0,
      };
    } else {
      const { reasons, code } = whyUnplaced(problem, state, w);
      // Every pool that passed the rules is named, those the solvers never tried included.
      const rejected = (problem.eligible[w.index] ?? feasible).map((p) => noRoomRejection(state, w, p));
      for (const r of ruled) rejected.push(r);
      explanations[w.name] = {
        chosen: [],
        rejected,
        reason: reasons[0] ?? "not placed",
        costPerHour: workloadCost[w.index] ?? 0,
      };
      unplaced.push({ workload: w.name, reasons, code });
    }
  }
  return { explanations, unplaced };
}

function byName(a: Rejection, b: Rejection): number {
  return a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0;
}

/** By pool: nodes with room for at least the smallest replica of any workload (the rest are full). */
type OpenNodes = readonly (readonly Node[])[];

function openNodesOf(state: State): OpenNodes {
  const { workloads, pools } = state.problem.model;
  let cpu = Number.POSITIVE_INFINITY;
  let mem = Number.POSITIVE_INFINITY;
  for (const w of workloads) {
    cpu = Math.min(cpu, w.cpu);
    mem = Math.min(mem, w.memoryGiB);
  }
  return pools.map((pool) =>
    state
      .poolNodes(pool.index)
      .filter(
        (n) => n.replicas > 0 && pool.cpuCap - n.cpu >= cpu - 1e-9 && pool.memCap - n.mem >= mem - 1e-9,
      ),
  );
}

/**
 * What moving the placed workload `w` to each of `pools` would do: all of it, or (several parts,
 * or spread) one part, whichever is cheapest and keeps the spread. Each option takes the replicas
 * out once, prices every pool, and puts them back.
 */
function alternativesOf(
  state: State,
  open: OpenNodes,
  w: WorkloadModel,
  pools: readonly number[],
  terms: Float64Array,
): Alternative[] {
  if (pools.length === 0) return [];
  const parts = [...(state.parts[w.index] ?? new Map<number, number>())];
  const options: (number | null)[] = w.minTargets <= 1 ? [null] : [];
  if (parts.length > 1) for (const [p] of parts) options.push(p);
  const blocked: ("room" | "spread")[] = pools.map(() => "room");
  // By pool: the cheapest option's change (NaN while none fits), and its terms, `n` a pool.
  const n = state.totals.length;
  const best: number[] = new Array(pools.length).fill(Number.NaN);
  const bestTerms: number[] = new Array(pools.length * n).fill(Number.NaN);

  for (const from of options) {
    const mark = state.mark();
    const moved = takeOut(state, w, parts, from);
    const stayingTargets = new Set(moved.staying.map((p) => state.pool(p).targetIndex));
    pools.forEach((q, i) => {
      const pool = state.pool(q);
      if (
        w.minTargets > 1 &&
        stayingTargets.size + (stayingTargets.has(pool.targetIndex) ? 0 : 1) < w.minTargets
      ) {
        if (Number.isNaN(best[i])) blocked[i] = "spread";
        return;
      }
      const delta = priceMove(state, open[q] ?? [], w, q, moved, terms);
      const known = best[i] ?? Number.NaN;
      if (delta !== null && (Number.isNaN(known) || delta < known)) {
        best[i] = delta;
        for (let t = 0; t < n; t++) bestTerms[i * n + t] = terms[t] ?? 0;
      }
    });
    state.rollback(mark);
  }
  return pools.map((q, i): Alternative => {
    const candidate = state.pool(q).key;
    const delta = best[i] ?? Number.NaN;
    if (!Number.isNaN(delta)) {
      const reason = costSentence(state.problem.costs.terms, delta, bestTerms, i * n);
      return { candidate, rule: "cost", delta, reason };
    }
    if (blocked[i] === "spread") {
      // No capacity here changes how many targets the rest of the workload covers.
      const reason = `moving here would leave replicas on fewer than ${w.minTargets} targets (spread)`;
      return {
        candidate,
        reason: withCode(reason, UNRESOLVABLE),
        rule: "spread",
        code: UNRESOLVABLE,
        delta: 0,
      };
    }
    return { ...noRoomRejection(state, w, q), delta: 0 };
  });
}

interface TakenOut {
  readonly replicas: number;
  /** By cost term: what taking them out changed. */
  readonly freed: readonly number[];
  /** The pools `w` keeps, and what its placement terms charge there. */
  readonly staying: readonly number[];
  readonly stayingCharge: readonly number[];
}

/** Takes `w`'s replicas out (all, or those on pool `from`). */
function takeOut(
  state: State,
  w: WorkloadModel,
  parts: readonly (readonly [number, number])[],
  from: number | null,
): TakenOut {
  const totals = state.totals;
  const freed: number[] = [];
  for (let t = 0; t < totals.length; t++) freed.push(totals[t] ?? 0);
  let replicas = 0;
  for (const [p, k] of parts) {
    if (from !== null && p !== from) continue;
    for (const node of state.poolNodes(p)) {
      const onNode = node.items.get(w.index);
      if (onNode !== undefined) state.add(w.index, p, node, -onNode);
    }
    replicas += k;
  }
  const { model, costs } = state.problem;
  const staying = [...(state.parts[w.index]?.keys() ?? [])];
  const charged = costs.placementApplies(w.index);
  for (let t = 0; t < totals.length; t++) freed[t] = (totals[t] ?? 0) - (freed[t] ?? 0);
  return {
    replicas,
    freed,
    staying,
    stayingCharge: charged ? costs.placementTerms.map((t) => t.term.cost(model, w.index, staying)) : [],
  };
}

/**
 * What putting the replicas taken out on pool `q` would change: the total, or null past maxNodes;
 * term by term (nodes it opens, its per-replica rates, the placement terms of the new set of
 * pools) into `terms`, which the caller copies when it keeps them.
 */
function priceMove(
  state: State,
  open: readonly Node[],
  w: WorkloadModel,
  q: number,
  moved: TakenOut,
  terms: Float64Array,
): number | null {
  const nodes = nodesToAdd(state, open, w, q, moved.replicas);
  if (nodes === null) return null;
  const { model, costs } = state.problem;
  const pool = state.pool(q);
  const used = state.used[q] ?? 0;
  for (let t = 0; t < terms.length; t++) terms[t] = moved.freed[t] ?? 0;
  for (const t of costs.nodeTerms)
    terms[t.index] = nodeCostDelta(pool, used, used + nodes, t.perNode[q] ?? 0) + (terms[t.index] ?? 0);
  for (const t of costs.replicaTerms)
    terms[t.index] = moved.replicas * (t.perReplica[w.index]?.[q] ?? 0) + (terms[t.index] ?? 0);
  // Placement terms that cannot charge `w` change by nothing: what taking it out freed.
  if (moved.stayingCharge.length > 0) {
    const after = moved.staying.includes(q) ? moved.staying : [...moved.staying, q];
    for (let i = 0; i < costs.placementTerms.length; i++) {
      const t = costs.placementTerms[i] as PlacementEntry;
      const change = t.term.cost(model, w.index, after) - (moved.stayingCharge[i] ?? 0);
      terms[t.index] = change + (terms[t.index] ?? 0);
    }
  }
  let delta = terms[0] ?? 0;
  for (let t = 1; t < terms.length; t++) delta += terms[t] ?? 0;
  return delta;
}

/** Nodes pool `q` must open for `k` more replicas of `w` (first fit on its open nodes), or null past maxNodes. */
function nodesToAdd(
  state: State,
  open: readonly Node[],
  w: WorkloadModel,
  q: number,
  k: number,
): number | null {
  const pool = state.pool(q);
  let left = k;
  for (const node of open) {
    if (left <= 0) break;
    if (node.replicas > 0) left -= replicasThatFit(w, pool, node.cpu, node.mem, node.gpu);
  }
  if (left <= 0) return 0;
  const per = replicasThatFit(w, pool, 0, 0, 0);
  if (per === 0) return null;
  const nodes = Math.ceil(left / per);
  return (state.used[q] ?? 0) + nodes > pool.maxNodes ? null : nodes;
}

/** `more expensive: +$0.42/h (compute +$0.77, egress -$0.35)`: a breakdown unless compute alone moved. */
function costSentence(
  terms: readonly CostTerm[],
  delta: number,
  byTerm: readonly number[],
  at: number,
): string {
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

function whyChosen(state: State, w: WorkloadModel, costed: readonly Alternative[], ruledOut: number): string {
  const parts = state.parts[w.index] ?? new Map<number, number>();
  const feasible = state.problem.feasible[w.index]?.length ?? 0;
  const previous = state.problem.model.previous[w.index] ?? null;
  const kept = previous !== null && !hasMoved(previous, parts.keys());
  const dearer = costed.filter((a) => a.delta >= TIE).length;
  const why =
    w.pinTarget !== null
      ? `pinned to ${w.pinPool === null ? w.pinTarget : `${w.pinTarget}/${w.pinPool}`}`
      : feasible === 1
        ? "the only place that passes every rule"
        : dearer === costed.length
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
