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

export function materialize(problem: Problem, parts: readonly ReadonlyMap<number, number>[], work: number): Materialized {
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
    if (layout === null) {
      layout = packReplicas(state, pool, replicas, Number.MAX_SAFE_INTEGER) ?? [];
      for (const items of layout.slice(pool.maxNodes)) for (const [w] of items) overflow.add(w);
    }
    needed[pool.index] = layout.length;
    const nodes = state.poolNodes(pool.index);
    for (const items of layout.slice(0, pool.maxNodes)) {
      const node = new Node();
      nodes.push(node);
      for (const [w, k] of items) state.add(w, pool.index, node, k);
    }
  }
  for (const w of [...overflow].sort((a, b) => a - b)) {
    state.removeWorkload(w);
    insertWorkload(state, w, "marginal");
  }
  state.commit();
  return { state, needed };
}
