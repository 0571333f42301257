import { insertWorkload } from "./insert";
import type { Problem } from "./problem";
import { packReplicas } from "./repack";
import { Node, State } from "./state";

// Turns pool-level parts (from the fluid model or the lock) into nodes: each pool gets its
// fewest-node layout. Work a pool cannot hold within maxNodes is taken out and put back wherever
// it fits now; what fits nowhere is left for repair.

export interface Materialized {
  readonly state: State;
  /** By pool: nodes its share of the parts needed, even beyond maxNodes. */
  readonly needed: Int32Array;
}

/**
 * @param leaveCost what moving a replica of `w` off pool `p` costs (unit costs); a pool that cannot
 * hold its parts sheds those that lose least first. Without it, the last nodes' replicas go.
 */
export function materialize(
  problem: Problem,
  parts: readonly ReadonlyMap<number, number>[],
  work: number,
  leaveCost: ((w: number, p: number) => number) | null = null,
): Materialized {
  const state = new State(problem);
  state.work = work;
  const { model } = problem;
  const needed = new Int32Array(model.pools.length);
  const held = model.pools.map(() => new Map<number, number>());
  parts.forEach((mine, w) => {
    for (const [p, k] of mine) if (k > 0) held[p]?.set(w, k);
  });
  const overflow = new Set<number>();
  for (const pool of model.pools) {
    const replicas = held[pool.index];
    if (replicas === undefined || replicas.size === 0) continue;
    let layout = packReplicas(state, pool, replicas, pool.maxNodes);
    let canonical = layout !== null;
    if (layout === null) {
      const all = packReplicas(state, pool, replicas, Number.MAX_SAFE_INTEGER) ?? [];
      needed[pool.index] = all.length;
      layout = leaveCost === null ? null : shed(state, pool.index, replicas, leaveCost, overflow);
      canonical = layout !== null;
      if (layout === null) {
        layout = all;
        for (const items of all.slice(pool.maxNodes)) for (const [w] of items) overflow.add(w);
      }
    } else {
      needed[pool.index] = layout.length;
    }
    const nodes = state.poolNodes(pool.index);
    for (const items of layout.slice(0, pool.maxNodes)) {
      const node = new Node();
      nodes.push(node);
      for (const [w, k] of items) state.add(w, pool.index, node, k);
    }
    if (canonical) state.dirty[pool.index] = 0;
  }
  for (const w of [...overflow].sort((a, b) => a - b)) {
    state.removeWorkload(w);
    insertWorkload(state, w);
  }
  state.commit();
  return { state, needed };
}

/**
 * Takes parts off an overfull pool, those that lose least by leaving first, until the rest packs
 * within maxNodes; the parts taken go to `overflow`. Null when that takes too many tries.
 */
function shed(
  state: State,
  p: number,
  replicas: ReadonlyMap<number, number>,
  leaveCost: (w: number, p: number) => number,
  overflow: Set<number>,
): [number, number][][] | null {
  const pool = state.pool(p);
  const keep = new Map(replicas);
  const order = [...replicas.keys()]
    .map((w) => ({ w, loss: leaveCost(w, p) }))
    .filter((x) => Number.isFinite(x.loss))
    .sort((a, b) => a.loss - b.loss || a.w - b.w);
  const taken: number[] = [];
  for (const { w } of order.slice(0, SHED_TRIES)) {
    keep.delete(w);
    taken.push(w);
    const layout = packReplicas(state, pool, keep, pool.maxNodes);
    if (layout !== null) {
      for (const t of taken) overflow.add(t);
      return layout;
    }
  }
  return null;
}

const SHED_TRIES = 12;
