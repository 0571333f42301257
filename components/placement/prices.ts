import { poolCostDelta } from "./cost";
import type { WorkloadModel } from "./model";
import { fitCount } from "./solver/problem";
import type { State } from "./solver/state";

// What moving one placed workload to another pool would change in the total, term by term, read
// off the final state without changing it: the nodes its departure closes (those it runs alone
// on), its per-replica rates, its placement terms; and on the other pool, the room its nodes in
// use have left for the workload's shape (computed once per pool and shape), then the nodes it
// would have to open. Being pure, it can run in any order, and as late as a reader asks.

// Bound once: called for every (workload, pool) pair; under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const replicasThatFit = fitCount;
const nodeCostDelta = poolCostDelta;

/** By pool of a workload's alternatives: the cheapest way to move there, or why there is none. */
export interface Prices {
  /** The change in total of the cheapest option; NaN where no option fits. */
  readonly delta: Float64Array;
  /** 1 where every option broke the spread before any fitted. */
  readonly spread: Uint8Array;
}

export class AlternativePrices {
  /** By shape (`cpu|memory|gpu`): by pool, replicas of it the nodes in use still take (NaN: not yet known). */
  private readonly room = new Map<string, Float64Array>();
  /** By pool: workload index to the number of nodes it runs on alone (they close when it leaves). */
  private readonly alone: Map<number, number>[];
  /** Scratch: one option's change, term by term. */
  private readonly freed: Float64Array;
  private readonly scratch: Float64Array;
  /** Scratch, reused by every call: the result arrays, and one option's staying pools and charges. */
  private delta = new Float64Array(0);
  private spread = new Uint8Array(0);
  private readonly staying: number[] = [];
  private readonly stayingCharge: number[] = [];
  private stayingTargets = new Set<number>();
  /** By list of feasible pools, by shape and size: what `addsFor` found. */
  private readonly adds = new Map<readonly number[], Map<string, Float64Array>>();

  constructor(private readonly state: State) {
    this.alone = state.problem.model.pools.map((pool) => {
      const out = new Map<number, number>();
      for (const node of state.poolNodes(pool.index)) {
        if (node.items.size !== 1) continue;
        for (const w of node.items.keys()) out.set(w, (out.get(w) ?? 0) + 1);
      }
      return out;
    });
    this.freed = new Float64Array(state.totals.length);
    this.scratch = new Float64Array(state.totals.length);
  }

  /**
   * Prices moving placed workload `w` to each of `pools` (none of which it uses): all of it, or
   * (several parts, or a spread) one part, whichever is cheapest and keeps the spread. With
   * `terms` (pools.length x terms), the cheapest option's change by term goes there too. The
   * arrays returned are reused by the next call.
   */
  price(w: WorkloadModel, pools: readonly number[], terms: Float64Array | null): Prices {
    if (
      terms === null &&
      w.minTargets <= 1 &&
      (this.state.parts[w.index]?.size ?? 0) === 1 &&
      !this.state.problem.costs.placementApplies(w.index)
    )
      return this.priceWhole(w, pools);
    const { state } = this;
    const n = this.freed.length;
    if (this.delta.length < pools.length) {
      this.delta = new Float64Array(2 * pools.length);
      this.spread = new Uint8Array(2 * pools.length);
    }
    const delta = this.delta.subarray(0, pools.length).fill(Number.NaN);
    const spread = this.spread.subarray(0, pools.length).fill(0);
    const parts = state.parts[w.index] ?? new Map<number, number>();
    const { model, costs } = state.problem;
    const charged = costs.placementApplies(w.index);
    const room = this.roomFor(w);
    // Options: all of it (unless a spread forbids leaving every target), or one part of several.
    const options = (w.minTargets <= 1 ? 1 : 0) + (parts.size > 1 ? parts.size : 0);
    const all = parts.size > 1 || charged ? [...parts.keys()] : null;
    for (let option = 0; option < options; option++) {
      const from =
        w.minTargets <= 1 ? (option === 0 ? -1 : (all?.[option - 1] ?? -1)) : (all?.[option] ?? -1);
      const freed = this.freed;
      freed.fill(0);
      let moved = 0;
      const staying = this.staying;
      staying.length = 0;
      for (const [p, k] of parts) {
        if (from >= 0 && p !== from) {
          staying.push(p);
          continue;
        }
        moved += k;
        const pool = state.pool(p);
        const used = state.used[p] ?? 0;
        const closing = this.alone[p]?.get(w.index) ?? 0;
        for (const t of costs.nodeTerms)
          freed[t.index] =
            (freed[t.index] ?? 0) + nodeCostDelta(pool, used, used - closing, t.perNode[p] ?? 0);
        for (const t of costs.replicaTerms)
          freed[t.index] = (freed[t.index] ?? 0) - k * (t.perReplica[w.index]?.[p] ?? 0);
      }
      const stayingCharge = this.stayingCharge;
      stayingCharge.length = 0;
      if (charged) {
        for (const t of costs.placementTerms) {
          const now = t.term.cost(model, w.index, staying);
          stayingCharge.push(now);
          freed[t.index] = (freed[t.index] ?? 0) + now - t.term.cost(model, w.index, all ?? []);
        }
      }
      let stayingTargets = 0;
      if (w.minTargets > 1) {
        const seen = new Set<number>();
        for (const p of staying) seen.add(state.pool(p).targetIndex);
        stayingTargets = seen.size;
        this.stayingTargets = seen;
      }
      for (let i = 0; i < pools.length; i++) {
        const q = pools[i] as number;
        const pool = state.pool(q);
        if (
          w.minTargets > 1 &&
          stayingTargets + (this.stayingTargets.has(pool.targetIndex) ? 0 : 1) < w.minTargets
        ) {
          if (Number.isNaN(delta[i])) spread[i] = 1;
          continue;
        }
        const nodes = this.nodesToAdd(w, q, moved, room);
        if (nodes === null) continue;
        const out = this.scratch;
        out.set(freed);
        const used = state.used[q] ?? 0;
        for (const t of costs.nodeTerms)
          out[t.index] = (out[t.index] ?? 0) + nodeCostDelta(pool, used, used + nodes, t.perNode[q] ?? 0);
        for (const t of costs.replicaTerms)
          out[t.index] = (out[t.index] ?? 0) + moved * (t.perReplica[w.index]?.[q] ?? 0);
        if (charged) {
          const after = staying.includes(q) ? staying : [...staying, q];
          costs.placementTerms.forEach((t, j) => {
            out[t.index] = (out[t.index] ?? 0) + t.term.cost(model, w.index, after) - (stayingCharge[j] ?? 0);
          });
        }
        let sum = out[0] ?? 0;
        for (let t = 1; t < n; t++) sum += out[t] ?? 0;
        const known = delta[i] ?? Number.NaN;
        if (Number.isNaN(known) || sum < known) {
          delta[i] = sum;
          if (terms !== null) terms.set(out, i * n);
        }
      }
    }
    return { delta, spread };
  }

  /**
   * Of `elsewhere` (the pools of `feasible` that `w` does not use), how many could take the placed
   * workload `w`, and how many of those would cost at least `tie` more. For the usual workload
   * (one part, no spread, no lock, no per-replica rate) what each pool would add is the same for
   * every workload of its shape and size that can run on the same pools, so it is priced once.
   */
  count(
    w: WorkloadModel,
    feasible: readonly number[],
    elsewhere: readonly number[],
    tie: number,
  ): { costed: number; dearer: number } {
    const { state } = this;
    const parts = state.parts[w.index];
    const { costs } = state.problem;
    let costed = 0;
    let dearer = 0;
    if (
      parts?.size === 1 &&
      w.minTargets <= 1 &&
      !costs.placementApplies(w.index) &&
      costs.replicaRate[w.index] == null
    ) {
      let freed = 0;
      let own = -1;
      for (const [p] of parts) {
        own = p;
        const used = state.used[p] ?? 0;
        freed = costs.nodeDelta(state.pool(p), used, used - (this.alone[p]?.get(w.index) ?? 0));
      }
      const adds = this.addsFor(w, feasible);
      for (let i = 0; i < feasible.length; i++) {
        if (feasible[i] === own) continue;
        const add = adds[i] ?? Number.NaN;
        if (Number.isNaN(add)) continue;
        costed += 1;
        // As `priceWhole` sums it (no rate: + 0), so both say the same of a tie.
        if (freed + add + 0 >= tie) dearer += 1;
      }
      return { costed, dearer };
    }
    const { delta } = this.price(w, elsewhere, null);
    for (const d of delta) {
      if (Number.isNaN(d)) continue;
      costed += 1;
      if (d >= tie) dearer += 1;
    }
    return { costed, dearer };
  }

  /** By pool of `feasible`: the node cost `w`'s replicas would add there (NaN: no room), shared by alike workloads. */
  private addsFor(w: WorkloadModel, feasible: readonly number[]): Float64Array {
    const key = `${w.cpu}|${w.memoryGiB}|${w.gpu}|${w.replicas}`;
    let byShape = this.adds.get(feasible);
    if (byShape === undefined) {
      byShape = new Map();
      this.adds.set(feasible, byShape);
    }
    let adds = byShape.get(key);
    if (adds === undefined) {
      const { state } = this;
      const room = this.roomFor(w);
      adds = new Float64Array(feasible.length);
      for (let i = 0; i < feasible.length; i++) {
        const q = feasible[i] as number;
        const nodes = this.nodesToAdd(w, q, w.replicas, room);
        const used = state.used[q] ?? 0;
        adds[i] =
          nodes === null ? Number.NaN : state.problem.costs.nodeDelta(state.pool(q), used, used + nodes);
      }
      byShape.set(key, adds);
    }
    return adds;
  }

  /**
   * `price` without the breakdown for the usual workload (one part, no spread, no placement
   * term): it moves whole, and each pool's price is the nodes it opens and its per-replica rate.
   */
  private priceWhole(w: WorkloadModel, pools: readonly number[]): Prices {
    const { state } = this;
    const { costs } = state.problem;
    if (this.delta.length < pools.length) {
      this.delta = new Float64Array(2 * pools.length);
      this.spread = new Uint8Array(2 * pools.length);
    }
    const delta = this.delta.subarray(0, pools.length);
    const spread = this.spread.subarray(0, pools.length).fill(0);
    const rates = costs.replicaRate[w.index] ?? null;
    let freed = 0;
    let moved = 0;
    for (const [p, k] of state.parts[w.index] ?? new Map<number, number>()) {
      moved += k;
      const used = state.used[p] ?? 0;
      freed += costs.nodeDelta(state.pool(p), used, used - (this.alone[p]?.get(w.index) ?? 0));
      if (rates !== null) freed -= k * (rates[p] ?? 0);
    }
    const room = this.roomFor(w);
    for (let i = 0; i < pools.length; i++) {
      const q = pools[i] as number;
      const nodes = this.nodesToAdd(w, q, moved, room);
      if (nodes === null) {
        delta[i] = Number.NaN;
        continue;
      }
      const used = state.used[q] ?? 0;
      delta[i] =
        freed +
        costs.nodeDelta(state.pool(q), used, used + nodes) +
        (rates === null ? 0 : moved * (rates[q] ?? 0));
    }
    return { delta, spread };
  }

  /** By pool: what the nodes in use still take of `w`'s shape (filled in as pools are asked). */
  private roomFor(w: WorkloadModel): Float64Array {
    const key = `${w.cpu}|${w.memoryGiB}|${w.gpu}`;
    let room = this.room.get(key);
    if (room === undefined) {
      room = new Float64Array(this.state.problem.model.pools.length).fill(Number.NaN);
      this.room.set(key, room);
    }
    return room;
  }

  /** Nodes pool `q` must open for `k` more replicas of `w` (after the room on its nodes in use), or null past maxNodes. */
  private nodesToAdd(w: WorkloadModel, q: number, k: number, room: Float64Array): number | null {
    const { state } = this;
    const pool = state.pool(q);
    let free = room[q] ?? Number.NaN;
    if (Number.isNaN(free)) {
      free = 0;
      for (const node of state.poolNodes(q))
        if (node.replicas > 0) free += replicasThatFit(w, pool, node.cpu, node.mem, node.gpu);
      room[q] = free;
    }
    const left = k - free;
    if (left <= 0) return 0;
    const per = replicasThatFit(w, pool, 0, 0, 0);
    if (per === 0) return null;
    const nodes = Math.ceil(left / per);
    return (state.used[q] ?? 0) + nodes > pool.maxNodes ? null : nodes;
  }
}
