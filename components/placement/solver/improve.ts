import type { Budget } from "./budget";
import { insertWorkload } from "./insert";
import { fitCount, nodeShare, type Problem, unitCost as replicaUnitCost } from "./problem";
import { packReplicas } from "./repack";
import type { Node, State } from "./state";

// Local search on the true cost, node by node. Each move is tried, measured and kept only when the
// total drops: closing a node by moving its replicas into room already paid for (or, when cheaper
// overall, onto new nodes elsewhere); shrinking a pool by one node by moving out the replicas
// cheapest to run elsewhere; moving a workload onto its cheapest pool even when full, pushing out
// the work that loses least (an ejection); and taking a workload out and putting it back where it
// is now cheapest.

// Bound once: hot loops call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;
const unitCostOf = replicaUnitCost;

const GAIN = 1e-9;

/** Tries to close `node` of pool `p` by moving its replicas to other nodes that are already paid for. */
function closeNode(state: State, p: number, node: Node, openNodes: boolean): boolean {
  const pool = state.pool(p);
  if ((state.used[p] ?? 0) <= pool.minNodes) return false;
  const before = state.total;
  const start = state.mark();
  // Largest replicas first; each share worked out once, not twice per comparison.
  const items = [...node.items]
    .map(([w, k]) => ({ w, k, share: nodeShare(state.workload(w), pool) }))
    .sort((a, b) => b.share - a.share || a.w - b.w);
  for (const { w, k } of items) {
    state.add(w, p, node, -k);
    let left = k - state.insert(w, p, k, false, node);
    if (left > 0 && state.workload(w).world > 0) {
      // A training world leaves the pool whole or not at all: all its ranks to one other pool.
      state.removeWorkload(w);
      if (insertWorkload(state, w, (q) => q !== p)) left = 0;
    }
    if (left > 0 && state.workload(w).world === 0) {
      for (const q of poolsByExtraCost(state, w)) {
        if (q === p) continue;
        const room = (state.used[q] ?? 0) < state.pool(q).minNodes;
        left -= state.insert(w, q, left, room);
        if (left === 0) break;
      }
    }
    if (left > 0 && openNodes && state.workload(w).world === 0) {
      // A node elsewhere may be worth opening to close this one (a few T4 nodes for an H100 node).
      for (const q of poolsByUnitCost(state, w)) {
        if (q === p) continue;
        left -= state.insert(w, q, left, true);
        if (left === 0) break;
      }
    }
    if (left > 0 || !state.spreadOk(w)) {
      state.rollback(start);
      return false;
    }
  }
  return keepIfCheaper(state, before, start);
}

/** Keeps every change since `start` when `valid` and the total fell below `before`; else undoes them. */
function keepIfCheaper(state: State, before: number, start: number, valid = true): boolean {
  if (valid && state.total < before - GAIN) {
    state.commit();
    return true;
  }
  state.rollback(start);
  return false;
}

/**
 * Puts back, on pools other than `p`, every workload of `workloads` that is not whole: false when
 * one does not fit or breaks its spread (the caller rolls back).
 */
function placeElsewhere(state: State, workloads: Iterable<number>, p: number): boolean {
  for (const w of workloads) {
    if (state.isPlaced(w)) continue;
    if (!insertWorkload(state, w, (q) => q !== p) || !state.spreadOk(w)) return false;
  }
  return true;
}

/** By problem, by workload: its feasible pools in a fixed order (see `poolsByUnitCost`, `poolsByRate`). */
const byUnitCost = new WeakMap<Problem, (readonly number[] | undefined)[]>();
const byRate = new WeakMap<Problem, (readonly number[] | undefined)[]>();

/** `pools` ordered by `cost` (ties to the lower index). */
function ordered(pools: readonly number[], cost: (q: number) => number): number[] {
  return pools
    .map((q) => ({ q, cost: cost(q) }))
    .sort((a, b) => a.cost - b.cost || a.q - b.q)
    .map((c) => c.q);
}

/** `w`'s order in `cache`, computed on first use: closing nodes asks it again and again. */
function memo(
  cache: WeakMap<Problem, (readonly number[] | undefined)[]>,
  state: State,
  w: number,
  build: () => readonly number[],
): readonly number[] {
  let lists = cache.get(state.problem);
  if (lists === undefined) {
    lists = [];
    cache.set(state.problem, lists);
  }
  let out = lists[w];
  if (out === undefined) {
    out = build();
    lists[w] = out;
  }
  return out;
}

/**
 * `w`'s feasible pools, the cheapest per replica on a new node (node share, egress) first: fixed
 * for the problem, so ordered once (callers skip the pool they are leaving).
 */
function poolsByUnitCost(state: State, w: number): readonly number[] {
  return memo(byUnitCost, state, w, () => {
    const wl = state.workload(w);
    return ordered(state.problem.feasible[w] ?? [], (q) => unitCostOf(state.problem, wl, state.pool(q)));
  });
}

/**
 * `w`'s feasible pools, the cheapest to add a replica to first: its per-replica rate there, plus,
 * for a pool it does not use yet, what its placement terms charge once it does (which depends on
 * where it runs now; without placement terms the order is fixed, so ordered once).
 */
function poolsByExtraCost(state: State, w: number): readonly number[] {
  const { costs } = state.problem;
  const feasible = state.problem.feasible[w] ?? [];
  if (!costs.placementApplies(w))
    return memo(byRate, state, w, () => ordered(feasible, (q) => costs.replica(w, q)));
  const parts = state.parts[w];
  return ordered(feasible, (q) => {
    let cost = costs.replica(w, q);
    if (parts !== undefined && !parts.has(q)) cost += costs.placement(w, [...parts.keys(), q]);
    return cost;
  });
}

/**
 * One sweep of node closing, emptiest nodes first; with `openNodes`, replicas may also go to new
 * nodes of other pools when that is cheaper overall. Returns true when any node closed.
 */
export function closeNodes(state: State, budget: Budget, openNodes: boolean): boolean {
  const queue: { p: number; node: Node; fill: number }[] = [];
  state.problem.model.pools.forEach((pool, p) => {
    if ((state.used[p] ?? 0) <= pool.minNodes) return;
    for (const node of state.poolNodes(p)) {
      if (node.replicas > 0) queue.push({ p, node, fill: state.fill(p, node) });
    }
  });
  queue.sort((a, b) => a.fill - b.fill || a.p - b.p);
  let improved = false;
  for (const { p, node } of queue) {
    if (budget.spent(state)) break;
    if (node.replicas === 0) continue;
    // It failed before, and nothing it reads has changed since: it would fail the same way.
    const failed = openNodes ? node.failedCloseOpening : node.failedClose;
    if (failed >= 0 && !state.changedSince(failed, p, node.items.keys())) continue;
    if (closeNode(state, p, node, openNodes)) improved = true;
    else if (openNodes) node.failedCloseOpening = state.stamp;
    else node.failedClose = state.stamp;
  }
  return improved;
}

/** One sweep of take-out-and-put-back over placed workloads. Returns true when any improved. */
export function reinsertWorkloads(state: State, budget: Budget): boolean {
  let improved = false;
  for (const w of state.problem.model.workloads) {
    if (budget.spent(state)) break;
    if (!state.isPlaced(w.index) || (state.problem.feasible[w.index]?.length ?? 0) < 2) continue;
    // Taken out and put back, it reads only the pools it may run on: unchanged, it lands the same.
    const failed = state.reinsertFailed[w.index] ?? -1;
    if (failed >= 0 && !state.changedSince(failed, -1, [w.index])) continue;
    const before = state.total;
    const start = state.mark();
    state.removeWorkload(w.index);
    if (keepIfCheaper(state, before, start, insertWorkload(state, w.index))) improved = true;
    else state.reinsertFailed[w.index] = state.stamp;
  }
  return improved;
}

const REPACK_TRIES = 6;

/**
 * Tries to run pool `p` on one node fewer: takes out the replicas that are cheapest to run
 * elsewhere until the rest packs onto the smaller pool, then puts them where they now cost least.
 * This finds what closing one node cannot: every node is full, but some of the load is cheaper on
 * another pool (inference spilled onto H100 nodes that L4 nodes could carry).
 */
function shrinkPool(state: State, p: number): boolean {
  const pool = state.pool(p);
  const used = state.used[p] ?? 0;
  if (used <= pool.minNodes || used === 0) return false;
  const held = state.heldOn(p);
  const movable = [...held.keys()]
    .filter((w) => (state.problem.feasible[w]?.length ?? 0) > 1)
    .map((w) => ({ w, gain: unitCost(state, w, p) - bestOtherUnitCost(state, w, p) }))
    .sort((a, b) => b.gain - a.gain || a.w - b.w);
  const remaining = new Map(held);
  const load = { cpu: 0, mem: 0, gpu: 0 };
  for (const [w, k] of held) {
    const wl = state.workload(w);
    load.cpu += k * wl.cpu;
    load.mem += k * wl.memoryGiB;
    load.gpu += k * wl.gpu;
  }
  const target = used - 1;
  let tries = 0;
  let layout: [number, number][][] | null = null;
  outer: for (const { w } of movable) {
    const wl = state.workload(w);
    while ((remaining.get(w) ?? 0) > 0) {
      // One replica at a time; a training world all at once (it moves whole).
      const take = wl.world > 0 ? (remaining.get(w) ?? 0) : 1;
      const k = (remaining.get(w) ?? 0) - take;
      if (k === 0) remaining.delete(w);
      else remaining.set(w, k);
      load.cpu -= take * wl.cpu;
      load.mem -= take * wl.memoryGiB;
      load.gpu -= take * wl.gpu;
      const fits =
        load.cpu <= target * pool.cpuCap + 1e-9 &&
        load.mem <= target * pool.memCap + 1e-9 &&
        load.gpu <= target * pool.nodeGpu + 1e-9;
      if (!fits) continue;
      tries += 1;
      layout = packReplicas(state, pool, remaining, target);
      if (layout !== null) break outer;
      if (tries >= REPACK_TRIES) return false;
    }
  }
  if (layout === null) return false;
  const before = state.total;
  const start = state.mark();
  state.relayout(p, layout);
  if (!placeElsewhere(state, held.keys(), p)) {
    state.rollback(start);
    return false;
  }
  return keepIfCheaper(state, before, start);
}

/** $/h of one replica of `w` on pool `q` at full nodes. */
function unitCost(state: State, w: number, q: number): number {
  return unitCostOf(state.problem, state.workload(w), state.pool(q));
}

/** The cheapest unit cost of `w` on another pool that still has room for one of its replicas. */
function bestOtherUnitCost(state: State, w: number, p: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (const q of state.problem.feasible[w] ?? []) {
    if (q === p) continue;
    const u = unitCost(state, w, q);
    if (u < best && hasRoom(state, w, q)) best = u;
  }
  return best;
}

/** Whether pool `q` can take one more replica of `w` (a node to open, or room on one in use). */
function hasRoom(state: State, w: number, q: number): boolean {
  const pool = state.pool(q);
  if ((state.used[q] ?? 0) < pool.maxNodes) return true;
  const wl = state.workload(w);
  if (!state.mayFit(q, wl)) return false;
  for (const node of state.poolNodes(q)) {
    state.work += 1;
    if (node.replicas > 0 && replicasThatFit(wl, pool, node.cpu, node.mem, node.gpu) > 0) return true;
  }
  return false;
}

function nodePrice(state: State, pool: { index: number }): number {
  return state.problem.costs.nodePrice[pool.index] ?? 0;
}

/** One sweep of pool shrinking, most expensive nodes first. Returns true when any pool shrank. */
export function shrinkPools(state: State, budget: Budget): boolean {
  const pools = state.problem.model.pools
    .filter((pool) => (state.used[pool.index] ?? 0) > pool.minNodes)
    .sort((a, b) => nodePrice(state, b) - nodePrice(state, a) || a.index - b.index);
  let improved = false;
  for (const pool of pools) {
    if (budget.spent(state)) break;
    const p = pool.index;
    const failed = state.shrinkFailed[p] ?? -1;
    // It failed before, and nothing it reads has changed since: it would fail the same way.
    if (failed >= 0 && !state.changedSince(failed, p, state.heldOn(p).keys())) continue;
    while (shrinkPool(state, p)) {
      improved = true;
      if (budget.spent(state)) break;
    }
    state.shrinkFailed[p] = state.stamp;
  }
  return improved;
}

const EJECT_LIMIT = 12;
/** Relocations tried per sweep, the largest expected gains first. */
const RELOCATE_TRIES = 64;

function fitsFractionally(
  state: State,
  p: number,
  held: ReadonlyMap<number, number>,
  nodes: number,
): boolean {
  const pool = state.pool(p);
  let cpu = 0;
  let mem = 0;
  let gpu = 0;
  for (const [w, k] of held) {
    const wl = state.workload(w);
    cpu += k * wl.cpu;
    mem += k * wl.memoryGiB;
    gpu += k * wl.gpu;
  }
  return (
    cpu <= nodes * pool.cpuCap + 1e-9 &&
    mem <= nodes * pool.memCap + 1e-9 &&
    gpu <= nodes * pool.nodeGpu + 1e-9
  );
}

/**
 * Moves workload `w` whole onto pool `q` (its cheapest by unit cost) even when `q` is full: the
 * workloads on `q` that lose least by leaving are pushed to their next-cheapest pools until `w`
 * packs in. Kept only when the total drops. This is what moving one workload cannot do: a batch
 * job that reads its dataset locally takes the place of a service that runs as cheaply anywhere.
 */
function relocateWithEjection(state: State, w: number, q: number): boolean {
  const wl = state.workload(w);
  const pool = state.pool(q);
  const held = state.heldOn(q);
  held.set(w, wl.replicas);
  const loss = (v: number): number => bestOtherUnitCost(state, v, q) - unitCost(state, v, q);
  const candidates = [...held.keys()]
    .filter((v) => v !== w && (state.problem.feasible[v]?.length ?? 0) > 1)
    .map((v) => ({ v, loss: loss(v) }))
    .sort((a, b) => a.loss - b.loss || a.v - b.v);
  const ejected: number[] = [];
  let layout: [number, number][][] | null = null;
  for (let i = 0; i <= Math.min(candidates.length, EJECT_LIMIT); i++) {
    if (fitsFractionally(state, q, held, pool.maxNodes)) {
      layout = packReplicas(state, pool, held, pool.maxNodes);
      if (layout !== null) break;
    }
    const next = candidates[i];
    if (next === undefined) break;
    held.delete(next.v);
    ejected.push(next.v);
  }
  if (layout === null) return false;
  const before = state.total;
  const start = state.mark();
  state.removeWorkload(w);
  state.relayout(q, layout);
  if (!placeElsewhere(state, ejected, q)) {
    state.rollback(start);
    return false;
  }
  return keepIfCheaper(state, before, start, state.spreadOk(w));
}

/**
 * One sweep of relocation with ejection, for workloads whose cheapest pool by unit cost is not
 * where they run, largest expected gain first. Returns true when any improved.
 */
export function relocateWorkloads(state: State, budget: Budget): boolean {
  const wanted: { w: number; q: number; gain: number }[] = [];
  for (const w of state.problem.model.workloads) {
    const parts = state.parts[w.index];
    if (!state.isPlaced(w.index) || parts === undefined || w.minTargets > 1) continue;
    let best = -1;
    let bestUnit = Number.POSITIVE_INFINITY;
    for (const q of state.problem.feasible[w.index] ?? []) {
      const u = unitCost(state, w.index, q);
      if (u < bestUnit - 1e-12) {
        bestUnit = u;
        best = q;
      }
    }
    if (best < 0 || parts.has(best)) continue;
    let current = 0;
    for (const [p, k] of parts) current += k * unitCost(state, w.index, p);
    const gain = current - bestUnit * w.replicas;
    if (gain > 0.01) wanted.push({ w: w.index, q: best, gain });
  }
  wanted.sort((a, b) => b.gain - a.gain || a.w - b.w);
  let improved = false;
  // The largest expected gains only: each try repacks a full pool, and on the benchmark's fleets
  // fewer than one in fifty pays (for cents).
  for (const { w, q } of wanted.slice(0, RELOCATE_TRIES)) {
    if (budget.spent(state)) break;
    if (!state.isPlaced(w) || (state.parts[w]?.has(q) ?? false)) continue;
    // It reads pool q, the pools its workloads (and w) may run on: unchanged, it fails the same way.
    const failed = state.relocateFailed[w] ?? -1;
    if (failed >= 0 && !state.changedSince(failed, q, [w, ...state.heldOn(q).keys()])) continue;
    if (relocateWithEjection(state, w, q)) improved = true;
    else state.relocateFailed[w] = state.stamp;
  }
  return improved;
}
