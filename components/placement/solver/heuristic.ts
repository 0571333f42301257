import type { Budget } from "./budget";
import { Fluid, fluidConstruct, fluidSearch } from "./fluid";
import { closeNodes, reinsertWorkloads, relocateWorkloads, shrinkPools } from "./improve";
import { insertWorkload } from "./insert";
import { materialize } from "./materialize";
import { placementOrders } from "./order";
import type { Problem } from "./problem";
import { repackPool } from "./repack";
import { repairUnplaced } from "./repair";
import type { State } from "./state";

// The heuristic, in rounds: build and improve on the fluid model (pools as loads), pack the loads
// into nodes, place what did not fit (repair, by priority), measure how well each pool packed, and
// go again with that knowledge; keep the best round. Then node-level local search polishes the
// best until nothing improves or the work budget is spent, and every pool is packed canonically.
//
// Priorities only matter when not everything fits. Rounds order workloads by regret (what a
// workload loses if its cheapest pool is taken); when that leaves anything out, one more round
// goes strictly by priority, and the better (placed counts by priority, then cost) goes on.
// On a large fleet a round is the costly part of the work and polish the productive one: no round
// is begun that, costing what the last one did, would eat into polish's share of the budget.
// With a lock, the lock itself (new work added where it costs least) is the first candidate; a
// guide (the rounded LP relaxation) starts one more round.

const ROUNDS = 3;
/** A round's fluid search may spend this share of the budget. */
const ROUND_SHARE = 0.25;
/** Rounds stop when less than this share is left: node-level polish needs it. */
const POLISH_SHARE = 0.4;

/**
 * @param guide parts to start one round from (by workload; empty maps are built greedily), e.g.
 * the rounded linear relaxation; the rounds then go on from the better start.
 */
export function solveHeuristic(
  problem: Problem,
  budget: Budget,
  guide: readonly ReadonlyMap<number, number>[] | null = null,
): State {
  const { byPriority, byRegret } = placementOrders(problem);
  const efficiency = new Float64Array(problem.model.pools.length).fill(1);
  const lock = lockParts(problem);
  let best: State | null = null;
  let start: readonly ReadonlyMap<number, number>[] = lock;
  let work = 0;
  let rounds = 0;
  const round = (order: readonly number[]): State => {
    rounds += 1;
    const carrier = materialize(problem, [], work).state;
    const fluid = new Fluid(carrier, efficiency, start);
    fluidConstruct(fluid, order);
    fluidSearch(fluid, budget.slice(carrier, ROUND_SHARE));
    const { state, needed } = materialize(problem, fluid.parts, carrier.work, (w, p) =>
      fluid.leaveCost(w, p),
    );
    if (leftOut(state)) repairUnplaced(state, byPriority, null);
    work = state.work;
    problem.model.pools.forEach((pool, p) => {
      const n = needed[p] ?? 0;
      if (n < 2) return;
      const x = fluid.load(p);
      // A pool that overflowed must carry less next time; otherwise learn gently.
      const measured = Math.min(1, Math.max(0.5, n > pool.maxNodes ? x / n : x / (n - 0.5)));
      efficiency[p] =
        n > pool.maxNodes
          ? Math.min(efficiency[p] ?? 1, measured)
          : 0.5 * (efficiency[p] ?? 1) + 0.5 * measured;
    });
    return state;
  };
  if (problem.model.previous.some((p) => p !== null)) {
    // The lock as it stands, with new work put where it costs least: every other round must beat
    // it including the move penalty, so a change moves only what pays for its move.
    const kept = materialize(problem, lock, work).state;
    for (const w of byRegret) {
      if (!kept.isPlaced(w) && (problem.feasible[w]?.length ?? 0) > 0) {
        insertWorkload(kept, w);
        kept.commit();
      }
    }
    if (leftOut(kept)) repairUnplaced(kept, byPriority, null);
    work = kept.work;
    best = kept;
    start = kept.parts;
  }
  if (guide !== null) {
    const guided = ((): State => {
      const saved = start;
      start = guide;
      const state = round(byRegret);
      start = saved;
      return state;
    })();
    if (best === null || compare(guided, best) < 0) best = guided;
    start = best.parts;
  }
  for (let r = 0; r < ROUNDS && !(best !== null && budget.below(best, POLISH_SHARE)); r++) {
    const before = work;
    const state = round(byRegret);
    if (best === null || compare(state, best) < 0) best = state;
    start = best.parts;
    // On a large fleet a round costs a large share of the budget, and polish gains more with it:
    // no round is begun that, costing what the last one did, would eat into polish's share.
    if (budget.below(state, POLISH_SHARE + (work - before) / budget.limit)) break;
  }
  if (best === null) best = round(byRegret);
  if (leftOut(best)) {
    start = lock;
    const strict = round(byPriority);
    if (compare(strict, best) < 0) best = strict;
  }
  best.work = work;
  best.rounds = rounds;
  polish(best, budget);
  if (leftOut(best) && repairUnplaced(best, byPriority, budget)) polish(best, budget);
  finishState(best);
  return best;
}

/**
 * Packs every pool canonically, so equal assignments always print equal packings. A pool whose
 * nodes are a canonical packing with no change since is left as it is: repacking would give it back.
 */
export function finishState(state: State): void {
  state.problem.model.pools.forEach((_, p) => {
    if (state.dirty[p] === 1) repackPool(state, p);
  });
  state.commit();
}

/** Whether a workload that some pool could run is not placed. */
function leftOut(state: State): boolean {
  return state.problem.model.workloads.some(
    (w) => !state.isPlaced(w.index) && (state.problem.feasible[w.index]?.length ?? 0) > 0,
  );
}

/** Negative when `a` is better: more placed at the highest priority where they differ, then cheaper. */
function compare(a: State, b: State): number {
  const ca = a.placedByPriority();
  const cb = b.placedByPriority();
  const levels = [...new Set([...ca.keys(), ...cb.keys()])].sort((x, y) => y - x);
  for (const level of levels) {
    const d = (cb.get(level) ?? 0) - (ca.get(level) ?? 0);
    if (d !== 0) return d;
  }
  return a.total - b.total;
}

/** Node-level local search: the cheap moves until they stop paying, then the wider ones; again while any pays. */
function polish(state: State, budget: Budget): void {
  for (;;) {
    const closed = closeNodes(state, budget, false) || closeNodes(state, budget, true);
    const shrunk = shrinkPools(state, budget);
    if (budget.spent(state)) return;
    if (closed || shrunk) continue;
    const relocated = relocateWorkloads(state, budget);
    const moved = reinsertWorkloads(state, budget);
    if ((!moved && !relocated) || budget.spent(state)) return;
  }
}

/** The lock's parts on pools that still pass every rule, scaled to each workload's replicas now. */
function lockParts(problem: Problem): Map<number, number>[] {
  const { model, feasible } = problem;
  return model.workloads.map((w) => {
    const previous = model.previous[w.index];
    if (previous === null || previous === undefined) return new Map<number, number>();
    const allowed = new Set(feasible[w.index] ?? []);
    let kept = [...previous.parts].filter(([p]) => allowed.has(p));
    // A training world the lock split (an older engine did) starts whole on its largest part.
    if (w.world > 0 && kept.length > 1) kept = [largestPart(kept)];
    const parts = scaleParts(kept, w.replicas);
    const targets = new Set(parts.map(([p]) => model.pools[p]?.targetIndex));
    return targets.size >= w.minTargets ? new Map(parts) : new Map<number, number>();
  });
}

/** The part holding most replicas (the lower pool index on a tie). */
function largestPart(parts: readonly [number, number][]): [number, number] {
  return parts.reduce((best, part) =>
    part[1] > best[1] || (part[1] === best[1] && part[0] < best[0]) ? part : best,
  );
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
