import type { Budget } from "./budget";
import { insertWorkload } from "./insert";
import { nodeShare } from "./problem";
import { packReplicas } from "./repack";
import type { State } from "./state";

// Places what construction left out, highest priority first. Four tries per workload: plain
// insertion (room may have opened since); re-packing one of its pools from scratch with it added,
// after evicting lower-priority work from that pool (put back wherever it fits), which is always a
// gain because priorities compare before anything else; moving one workload of equal or higher
// priority elsewhere to make room; and, last, trading one workload of the same priority for two
// or more that fit in its place (more placed at that priority is the first objective).

const EJECTION_TRIES = 200;
const TRADE_TRIES = 30;

/** `budget` null: repair is part of building and runs to the end of its own fixed tries. */
export function repairUnplaced(state: State, order: readonly number[], budget: Budget | null): boolean {
  let any = false;
  for (const w of order) {
    if (state.isPlaced(w) || (state.problem.feasible[w]?.length ?? 0) === 0) continue;
    if (
      insertWorkload(state, w) ||
      evictLower(state, w) ||
      eject(state, w, budget) ||
      trade(state, w, order, budget)
    ) {
      state.commit();
      any = true;
    }
  }
  return any;
}

/** The load the given workloads put on pool `p`. */
function loadOf(
  state: State,
  workloads: readonly number[],
  p: number,
): { cpu: number; mem: number; gpu: number } {
  const load = { cpu: 0, mem: 0, gpu: 0 };
  for (const v of workloads) {
    const k = state.parts[v]?.get(p) ?? 0;
    const wl = state.workload(v);
    load.cpu += k * wl.cpu;
    load.mem += k * wl.memoryGiB;
    load.gpu += k * wl.gpu;
  }
  return load;
}

function workloadsOn(state: State, p: number): number[] {
  const seen = new Set<number>();
  for (const node of state.poolNodes(p)) for (const w of node.items.keys()) seen.add(w);
  return [...seen].sort((a, b) => a - b);
}

function byPriorityDesc(state: State): (a: number, b: number) => number {
  return (a, b) => state.workload(b).priority - state.workload(a).priority || a - b;
}

function evictLower(state: State, w: number): boolean {
  const wl = state.workload(w);
  for (const q of state.problem.feasible[w] ?? []) {
    const lower = workloadsOn(state, q).filter((v) => state.workload(v).priority < wl.priority);
    if (!state.roomFor(q, w, wl.replicas, loadOf(state, lower, q))) continue;
    const start = state.mark();
    for (const v of lower) state.removeWorkload(v);
    const placedHere = wl.minTargets <= 1 ? placeByRepacking(state, w, q) : insertWorkload(state, w);
    if (!placedHere) {
      state.rollback(start);
      continue;
    }
    for (const v of lower.sort(byPriorityDesc(state))) insertWorkload(state, v);
    return true;
  }
  return false;
}

/** Re-packs pool `q` with every replica of `w` added, when the pool's node limit allows it. */
function placeByRepacking(state: State, w: number, q: number): boolean {
  const pool = state.pool(q);
  const held = state.heldOn(q);
  held.set(w, state.workload(w).replicas);
  const layout = packReplicas(state, pool, held, pool.maxNodes);
  if (layout === null) return false;
  state.relayout(q, layout);
  return true;
}

function eject(state: State, w: number, budget: Budget | null): boolean {
  let tries = 0;
  for (const q of state.problem.feasible[w] ?? []) {
    const pool = state.pool(q);
    const size = (v: number): number => nodeShare(state.workload(v), pool) * state.workload(v).replicas;
    // Only workloads with somewhere else to go can make room; the largest make the most.
    const others = workloadsOn(state, q)
      .filter((v) => v !== w && (state.problem.feasible[v]?.length ?? 0) > 1)
      .sort((a, b) => size(b) - size(a) || a - b);
    for (const v of others) {
      if (!state.roomFor(q, w, state.workload(w).replicas, loadOf(state, [v], q))) continue;
      if (tries >= EJECTION_TRIES || budget?.spent(state)) return false;
      tries += 1;
      const start = state.mark();
      state.removeWorkload(v);
      if (insertWorkload(state, w) && insertWorkload(state, v)) return true;
      state.rollback(start);
    }
  }
  return false;
}

/**
 * Takes out one workload of `w`'s priority from one of `w`'s pools, places `w`, then every other
 * left-out workload of that priority that now fits, and the one taken out if it still fits; kept
 * only when more workloads of that priority run than before.
 */
function trade(state: State, w: number, order: readonly number[], budget: Budget | null): boolean {
  const priority = state.workload(w).priority;
  const waiting = order.filter(
    (x) =>
      x !== w &&
      !state.isPlaced(x) &&
      state.workload(x).priority === priority &&
      (state.problem.feasible[x]?.length ?? 0) > 0,
  );
  let tries = 0;
  for (const q of state.problem.feasible[w] ?? []) {
    for (const v of workloadsOn(state, q)) {
      if (state.workload(v).priority !== priority) continue;
      if (!state.roomFor(q, w, state.workload(w).replicas, loadOf(state, [v], q))) continue;
      if (tries >= TRADE_TRIES || budget?.spent(state)) return false;
      tries += 1;
      const start = state.mark();
      state.removeWorkload(v);
      if (!insertWorkload(state, w)) {
        state.rollback(start);
        continue;
      }
      let gained = 1;
      for (const x of waiting) if (x !== v && insertWorkload(state, x)) gained += 1;
      if (!insertWorkload(state, v)) gained -= 1;
      if (gained > 0) return true;
      state.rollback(start);
    }
  }
  return false;
}
