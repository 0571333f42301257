import type { Candidates, RuleRejection } from "./candidates";
import { movePenalty } from "./cost";
import { POOL_FILTERS } from "./filters";
import type { PoolModel, WorkloadModel } from "./model";
import { egressOf, type Problem } from "./solver/problem";
import type { State } from "./solver/state";
import type { Explanation, Rejection } from "./types";
import { list, money, shape, signedMoney } from "./words";

// The explainer. Every candidate a workload did not get has one sentence: the first hard rule it
// broke (the filter's own words), or, for pools that pass every rule, what taking it would cost
// more ("more expensive: +$0.42/h") or why it could not (no room, spread). Unplaced workloads get
// what is missing. The numbers come from trying the move on the final state and undoing it.

const TIE = 0.005;

export interface Explained {
  readonly explanations: Record<string, Explanation>;
  readonly unplaced: { workload: string; reasons: string[] }[];
}

function candidateName(problem: Problem, r: RuleRejection): string {
  if (r.pool !== null) return problem.model.pools[r.pool]?.key ?? "";
  return problem.model.targets[r.target]?.name ?? "";
}

function byName(a: Rejection, b: Rejection): number {
  return a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0;
}

export function explain(
  problem: Problem,
  candidates: Candidates,
  state: State,
  workloadCost: readonly number[],
): Explained {
  const explanations: Record<string, Explanation> = {};
  const unplaced: { workload: string; reasons: string[] }[] = [];
  for (const w of problem.model.workloads) {
    const ruled: Rejection[] = (candidates.rejected[w.index] ?? [])
      .map((r) => ({ candidate: candidateName(problem, r), reason: r.reason, rule: r.rule }))
      .sort(byName);
    const feasible = problem.feasible[w.index] ?? [];
    if (state.isPlaced(w.index)) {
      const parts = state.parts[w.index] ?? new Map<number, number>();
      const alternatives = feasible.filter((p) => !parts.has(p)).map((p) => alternative(state, w, p));
      const costed = alternatives.filter((a) => a.rule === "cost").sort((a, b) => a.delta - b.delta || byName(a, b));
      const others = alternatives.filter((a) => a.rule !== "cost").sort(byName);
      explanations[w.name] = {
        chosen: [...parts.keys()].map((p) => state.pool(p).key),
        rejected: [...costed.map(({ candidate, reason, rule }) => ({ candidate, reason, rule })), ...others.map(strip), ...ruled],
        reason: whyChosen(state, w, costed.length, ruled.length),
        costPerHour: workloadCost[w.index] ?? 0,
      };
    } else {
      const reasons = whyUnplaced(problem, candidates, state, w);
      const full = feasible.map((p) => ({ candidate: state.pool(p).key, reason: noRoom(state, w, p), rule: "capacity" as const }));
      explanations[w.name] = {
        chosen: [],
        rejected: [...full, ...ruled],
        reason: reasons[0] ?? "not placed",
        costPerHour: workloadCost[w.index] ?? 0,
      };
      unplaced.push({ workload: w.name, reasons });
    }
  }
  return { explanations, unplaced };
}

function strip(a: Rejection & { delta: number }): Rejection {
  return { candidate: a.candidate, reason: a.reason, rule: a.rule };
}

/** Tries moving the workload (whole, or one part when it has several) to pool `q`, then undoes it. */
function alternative(state: State, w: WorkloadModel, q: number): Rejection & { delta: number } {
  const candidate = state.pool(q).key;
  const parts = [...(state.parts[w.index] ?? new Map<number, number>())];
  const options: (number | null)[] = [];
  if (w.minTargets <= 1) options.push(null);
  if (parts.length > 1) for (const [p] of parts) options.push(p);
  let best: { delta: number; compute: number; egress: number; move: number } | null = null;
  let blockedBySpread = false;
  let blockedByRoom = false;
  for (const from of options) {
    const before = { total: state.total, compute: state.compute, egress: state.egress, move: state.penalty };
    const mark = state.mark();
    let moving = 0;
    for (const [p, k] of parts) {
      if (from !== null && p !== from) continue;
      for (const node of state.poolNodes(p)) {
        const onNode = node.items.get(w.index);
        if (onNode !== undefined) state.add(w.index, p, node, -onNode);
      }
      moving += k;
    }
    const placed = state.insert(w.index, q, moving, true);
    if (placed < moving) blockedByRoom = true;
    else if (!state.spreadOk(w.index)) blockedBySpread = true;
    else {
      const delta = state.total - before.total;
      if (best === null || delta < best.delta) {
        best = {
          delta,
          compute: state.compute - before.compute,
          egress: state.egress - before.egress,
          move: state.penalty - before.move,
        };
      }
    }
    state.rollback(mark);
  }
  if (best !== null) return { candidate, rule: "cost", delta: best.delta, reason: costSentence(best) };
  if (blockedByRoom || !blockedBySpread) return { candidate, rule: "capacity", delta: 0, reason: noRoom(state, w, q) };
  return {
    candidate,
    rule: "spread",
    delta: 0,
    reason: `moving here would leave replicas on fewer than ${w.minTargets} targets (spread)`,
  };
}

function costSentence(d: { delta: number; compute: number; egress: number; move: number }): string {
  const terms = [
    ["compute", d.compute],
    ["egress", d.egress],
    ["move penalty", d.move],
  ] as const;
  const shown = terms.filter(([, v]) => Math.abs(v) >= TIE);
  const detail = shown.length > 1 || (shown.length === 1 && shown[0]?.[0] !== "compute")
    ? ` (${shown.map(([n, v]) => `${n} ${signedMoney(v)}`).join(", ")})`
    : "";
  if (d.delta >= TIE) return `more expensive: ${signedMoney(d.delta)}/h${detail}`;
  if (d.delta > -TIE) return `no cheaper: ${signedMoney(0)}/h; the current place was found first`;
  return `cheaper on its own by ${money(-d.delta)}/h${detail}, but the search stopped before this move`;
}

function noRoom(state: State, w: WorkloadModel, p: number): string {
  const pool = state.pool(p);
  const used = state.used[p] ?? 0;
  const size = shape(w.cpu, w.memoryGiB, w.gpu, w.gpuModels);
  return `no room: ${used} of ${pool.maxNodes} nodes (maxNodes) in use, too full for ${w.replicas} x (${size}) more`;
}

function whyChosen(state: State, w: WorkloadModel, dearer: number, ruledOut: number): string {
  const parts = state.parts[w.index] ?? new Map<number, number>();
  const where = [...parts].map(([p, k]) => `${state.pool(p).key} (${k})`).join(", ");
  const feasible = state.problem.feasible[w.index]?.length ?? 0;
  const previous = state.problem.model.previous[w.index] ?? null;
  const kept = previous !== null && movePenalty(previous, parts.keys(), 1) === 0;
  const why =
    w.pinTarget !== null
      ? `pinned to ${w.pinPool === null ? w.pinTarget : `${w.pinTarget}/${w.pinPool}`}`
      : feasible === 1
        ? "the only place that passes every rule"
        : `cheapest of ${feasible} places that pass every rule${dearer > 0 ? ` (${dearer} cost more)` : ""}`;
  const spread = w.minTargets > 1 ? `; spread over ${state.targetCount(w.index)} targets` : "";
  const lock = kept ? "; kept where the lock put it" : "";
  return `runs on ${where}: ${why}${spread}${lock}; ${ruledOut} candidates broke a rule`;
}

function whyUnplaced(problem: Problem, candidates: Candidates, state: State, w: WorkloadModel): string[] {
  const feasible = problem.feasible[w.index] ?? [];
  const rejected = candidates.rejected[w.index] ?? [];
  if (feasible.length === 0) return ["no target or pool passes every hard rule", ...missing(problem, w, rejected)];
  const targets = [...new Set(feasible.map((p) => state.pool(p).targetIndex))];
  if (targets.length < w.minTargets) {
    const names = targets.map((t) => problem.model.targets[t]?.name ?? "");
    return [
      `spread needs ${w.minTargets} targets; only ${targets.length} pass every rule (${list(names)})`,
      ...missing(problem, w, rejected),
    ];
  }
  const pools = feasible.map((p) => state.pool(p));
  const occupants = pools.flatMap((pool) => occupantsOf(state, pool.index));
  const higher = occupants.length > 0 && occupants.every((o) => o.priority > w.priority);
  const headline = higher
    ? `capacity exhausted by higher-priority work on all ${pools.length} pools that pass every rule`
    : `capacity exhausted on all ${pools.length} pools that pass every rule`;
  const detail = pools.slice(0, 5).map((pool) => {
    const names = occupantsOf(state, pool.index).map((o) => `${o.name} (priority ${o.priority})`);
    return `${pool.key}: ${noRoom(state, w, pool.index).replace(/^no room: /, "")}; runs ${list(names, 3)}`;
  });
  return [headline, ...detail];
}

function occupantsOf(state: State, p: number): WorkloadModel[] {
  const seen = new Set<number>();
  for (const node of state.poolNodes(p)) for (const w of node.items.keys()) seen.add(w);
  return [...seen].sort((a, b) => a - b).map((w) => state.workload(w));
}

/** What each rule that turned candidates down says is missing, in rule order. */
function missing(problem: Problem, w: WorkloadModel, rejected: readonly RuleRejection[]): string[] {
  const out: string[] = [];
  const seenRules: string[] = [];
  for (const r of rejected) if (!seenRules.includes(r.rule)) seenRules.push(r.rule);
  const order = ["pin", "trust", "residency", ...POOL_FILTERS.map((f) => f.rule)];
  for (const rule of order.filter((r, i) => order.indexOf(r) === i && seenRules.includes(r))) {
    const mine = rejected.filter((r) => r.rule === rule);
    const filter = POOL_FILTERS.find((f) => f.rule === rule);
    const pools = mine
      .map((r) => (r.pool === null ? undefined : problem.model.pools[r.pool]))
      .filter((p): p is PoolModel => p !== undefined);
    const first = mine[0];
    if (filter?.missing !== undefined && pools.length > 0) out.push(filter.missing(w, pools));
    else if (first !== undefined) out.push(mine.length > 1 ? `${first.reason} (and ${mine.length - 1} more like it)` : first.reason);
  }
  return out;
}

/** Egress $/h a workload would pay on pool `p`; exported for tests of the sentences. */
export function egressHere(problem: Problem, w: WorkloadModel, p: PoolModel): number {
  return w.replicas * egressOf(problem, w.index, p);
}
