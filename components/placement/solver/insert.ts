import { fitCount } from "./problem";
import type { State } from "./state";

// Putting one whole workload into the current state: the pool where its replicas add least to the
// total (nodes in use first, then new nodes), split over several pools only when one cannot take
// every replica, and `spread.minTargets` distinct targets covered first. All replicas or none. A
// training world is never split: all its ranks go to one pool (the one it is on, if any).

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;

// What `probe` found, in module scratch rather than an object: `bestPool` probes every feasible
// pool of a workload on every insertion, millions of times in a solve.
/** Replicas that fit (at most the number asked). */
let probedPlaceable = 0;
/** The change in total cost from placing them: nodes to open, per-replica and placement terms. */
let probedScore = 0;

/**
 * Prices putting `k` replicas of `w` on pool `p` (first fit on nodes in use, then new nodes)
 * without changing anything; the answer is in `probedPlaceable` and `probedScore`.
 */
function probe(state: State, w: number, p: number, k: number): void {
  probedPlaceable = 0;
  probedScore = 0;
  // A pool that cannot hold even one more replica, however packed, needs no scan of its nodes.
  if (!state.roomFor(p, w, 1)) return;
  const wl = state.workload(w);
  const pool = state.pool(p);
  let inUse = 0;
  // No node in use with room for one replica: the scan would find none.
  if (state.mayFit(p, wl)) {
    for (const node of state.poolNodes(p)) {
      if (inUse >= k) break;
      state.work += 1;
      if (node.replicas > 0) inUse += replicasThatFit(wl, pool, node.cpu, node.mem, node.gpu);
    }
  }
  inUse = Math.min(inUse, k);
  const used = state.used[p] ?? 0;
  const perNode = replicasThatFit(wl, pool, 0, 0, 0);
  const rest = k - inUse;
  const newNodes = perNode === 0 ? 0 : Math.min(Math.ceil(rest / perNode), pool.maxNodes - used);
  const placeable = Math.min(k, inUse + newNodes * perNode);
  const { costs } = state.problem;
  const nodes = costs.nodeDelta(pool, used, used + newNodes);
  const replicas = placeable * costs.replica(w, p);
  const parts = state.parts[w];
  const placement = parts === undefined ? 0 : costs.placementDeltaAdding(w, parts, p);
  probedPlaceable = placeable;
  probedScore = nodes + replicas + placement;
}

/**
 * The best pool for `k` replicas of `w` (-1: none); with `whole`, only a pool that takes all `k`.
 * Better: takes every replica asked, then lower cost per replica, then lower pool index (name).
 */
function bestPool(
  state: State,
  w: number,
  k: number,
  allowed: (p: number) => boolean,
  whole = false,
): number {
  let best = -1;
  let bestAll = false;
  let bestUnit = 0;
  for (const p of state.problem.feasible[w] ?? []) {
    if (!allowed(p)) continue;
    probe(state, w, p, k);
    const placeable = probedPlaceable;
    if (placeable === 0 || (whole && placeable < k)) continue;
    const all = placeable === k;
    const unit = probedScore / placeable;
    const better =
      best < 0 || (all !== bestAll ? all : Math.abs(unit - bestUnit) > 1e-12 ? unit < bestUnit : p < best);
    if (better) {
      best = p;
      bestAll = all;
      bestUnit = unit;
    }
  }
  return best;
}

/**
 * Places every replica of the unplaced workload `w`, or nothing (the state is rolled back).
 * `allowed` limits the pools it may use.
 */
export function insertWorkload(
  state: State,
  w: number,
  allowed: (p: number) => boolean = () => true,
): boolean {
  const wl = state.workload(w);
  if (wl.world > 0) return insertWorld(state, w, allowed);
  const start = state.mark();
  const covered = new Set<number>();
  for (const p of state.parts[w]?.keys() ?? []) covered.add(state.pool(p).targetIndex);
  // Spread first: one replica on each of the best distinct targets.
  while (covered.size < wl.minTargets && (state.placed[w] ?? 0) < wl.replicas) {
    const choice = bestPool(state, w, 1, (p) => allowed(p) && !covered.has(state.pool(p).targetIndex));
    if (choice < 0 || state.insert(w, choice, 1, true) !== 1) {
      state.rollback(start);
      return false;
    }
    covered.add(state.pool(choice).targetIndex);
  }
  while ((state.placed[w] ?? 0) < wl.replicas) {
    const left = wl.replicas - (state.placed[w] ?? 0);
    const choice = bestPool(state, w, left, allowed);
    if (choice < 0 || state.insert(w, choice, left, true) === 0) {
      state.rollback(start);
      return false;
    }
  }
  return true;
}

/** Places the rest of training world `w` on one pool: the pool it is on already, else the best that takes all. */
function insertWorld(state: State, w: number, allowed: (p: number) => boolean): boolean {
  const left = state.workload(w).replicas - (state.placed[w] ?? 0);
  if (left === 0) return true;
  const parts = state.parts[w];
  const on = parts !== undefined && parts.size > 0 ? [...parts.keys()] : null;
  if (on !== null && on.length > 1) return false;
  const here = on?.[0];
  const choice = bestPool(state, w, left, (p) => allowed(p) && (here === undefined || p === here), true);
  if (choice < 0) return false;
  const start = state.mark();
  if (state.insert(w, choice, left, true) === left) return true;
  state.rollback(start);
  return false;
}
