import type { Budget } from "./budget";
import { closeNodes, reinsertWorkloads, shrinkPools } from "./improve";
import { insertWorkload } from "./insert";
import { placementOrder } from "./order";
import type { Problem } from "./problem";
import { repackPool } from "./repack";
import { repairUnplaced } from "./repair";
import { State } from "./state";

// The heuristic: start from the lock, build the rest greedily, place what is left out, then improve
// by local search until nothing improves or the work budget is spent, and finish with every pool
// packed canonically.
//
// Priorities only matter when not everything fits. So the first build ignores them and orders by
// regret (what a workload loses if its cheapest pool is taken); if that leaves anything out, a
// second build goes strictly by priority, and the better of the two (placed counts by priority,
// then cost) goes on.

const DEBUG = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.PLACEMENT_DEBUG;
function trace(state: State, what: string): void {
  if (!DEBUG) return;
  let placed = 0;
  for (const w of state.problem.model.workloads) if (state.isPlaced(w.index)) placed += 1;
  console.log(what.padEnd(12), state.total.toFixed(2), placed, state.work, Math.round(performance.now()));
}

export function solveHeuristic(problem: Problem, budget: Budget): State {
  const byPriority = placementOrder(problem, true);
  let state = build(problem, placementOrder(problem, false), byPriority);
  if (leftOut(state)) {
    const strict = build(problem, byPriority, byPriority);
    strict.work += state.work;
    if (compare(strict, state) < 0) state = strict;
    else state.work = strict.work;
  }
  trace(state, "built");
  improve(state, budget);
  if (leftOut(state) && repairUnplaced(state, byPriority, budget)) improve(state, budget);
  repackAll(state);
  trace(state, "done");
  return state;
}

function build(problem: Problem, order: readonly number[], repairOrder: readonly number[]): State {
  const state = new State(problem);
  restoreLock(state, repairOrder);
  repackAll(state);
  for (const w of order) {
    if (!state.isPlaced(w) && (problem.feasible[w]?.length ?? 0) > 0) {
      insertWorkload(state, w, "unit");
      state.commit();
    }
  }
  repackAll(state);
  if (leftOut(state)) repairUnplaced(state, repairOrder, null);
  return state;
}

/** Whether a workload that some pool could run is not placed. */
function leftOut(state: State): boolean {
  return state.problem.model.workloads.some(
    (w) => !state.isPlaced(w.index) && (state.problem.feasible[w.index]?.length ?? 0) > 0,
  );
}

/** Negative when `a` is better: more placed at the highest priority where they differ, then cheaper. */
function compare(a: State, b: State): number {
  const count = (s: State): Map<number, number> => {
    const out = new Map<number, number>();
    for (const w of s.problem.model.workloads) {
      if (s.isPlaced(w.index)) out.set(w.priority, (out.get(w.priority) ?? 0) + 1);
    }
    return out;
  };
  const ca = count(a);
  const cb = count(b);
  const levels = [...new Set([...ca.keys(), ...cb.keys()])].sort((x, y) => y - x);
  for (const level of levels) {
    const d = (cb.get(level) ?? 0) - (ca.get(level) ?? 0);
    if (d !== 0) return d;
  }
  return a.total - b.total;
}

function improve(state: State, budget: Budget): void {
  for (;;) {
    const closed = closeNodes(state, budget, false) || closeNodes(state, budget, true);
    trace(state, "closed");
    const shrunk = shrinkPools(state, budget);
    trace(state, "shrunk");
    const moved = reinsertWorkloads(state, budget);
    trace(state, "reinserted");
    if ((!closed && !moved && !shrunk) || budget.spent(state)) return;
  }
}

function repackAll(state: State): void {
  state.problem.model.pools.forEach((_, p) => {
    repackPool(state, p);
  });
  state.commit();
}

/** Puts each workload back on the pools the lock names, scaled to its replicas now, or leaves it out. */
function restoreLock(state: State, order: readonly number[]): void {
  const { model, feasible } = state.problem;
  for (const w of order) {
    const previous = model.previous[w];
    if (previous === null || previous === undefined) continue;
    const allowed = new Set(feasible[w] ?? []);
    const parts = [...previous.parts].filter(([p]) => allowed.has(p));
    if (parts.length === 0) continue;
    const replicas = state.workload(w).replicas;
    const scaled = scaleParts(parts, replicas);
    const start = state.mark();
    let ok = true;
    for (const [p, k] of scaled) {
      if (state.insert(w, p, k, true) !== k) {
        ok = false;
        break;
      }
    }
    if (ok && state.spreadOk(w)) state.commit();
    else state.rollback(start);
  }
}

/** Scales the lock's replica counts to `replicas`: growth goes to the largest part, shrinking takes from the smallest. */
function scaleParts(parts: [number, number][], replicas: number): [number, number][] {
  const out = parts.map(([p, k]): [number, number] => [p, k]).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  let total = out.reduce((sum, [, k]) => sum + k, 0);
  const first = out[0];
  if (first !== undefined && total < replicas) {
    first[1] += replicas - total;
    total = replicas;
  }
  for (let i = out.length - 1; i >= 0 && total > replicas; i--) {
    const part = out[i];
    if (part === undefined) continue;
    const take = Math.min(part[1], total - replicas);
    part[1] -= take;
    total -= take;
  }
  return out.filter(([, k]) => k > 0);
}
