import type { PlacementModel, PoolModel } from "../model";
import { COST_TERMS } from "./registry";
import { type CostTerm, type PlacementTerm, poolCostDelta } from "./term";

// The registry's terms compiled for one input, in the form the solvers read in their hot loops:
// per term (the heuristic's running totals, the result, the explainer's breakdown) and summed by
// shape (what a solver compares: a pool's price per node, a replica's rate on a pool, a
// workload's placement terms).

export interface NodeEntry {
  /** Index in `CostTable.terms`. */
  readonly index: number;
  /** By pool: $/h per running node. */
  readonly perNode: Float64Array;
}

export interface ReplicaEntry {
  readonly index: number;
  /** By workload: $/h per replica by pool, or null when zero everywhere. */
  readonly perReplica: readonly (Float64Array | null)[];
}

export interface PlacementEntry {
  readonly index: number;
  readonly term: PlacementTerm;
}

// Bound once: the solvers call it millions of times, and under some module loaders (tsx, vitest)
// every call through an import is a property lookup first.
const nodeCostDelta = poolCostDelta;

export class CostTable {
  readonly nodeTerms: readonly NodeEntry[];
  readonly replicaTerms: readonly ReplicaEntry[];
  readonly placementTerms: readonly PlacementEntry[];
  /** By pool: $/h per running node, every node term together. */
  readonly nodePrice: Float64Array;
  /** By workload: $/h per replica by pool, every replica term together; null when zero everywhere. */
  readonly replicaRate: readonly (Float64Array | null)[];
  /** By workload: 1 when some placement term can charge it (read in the solvers' hot loops). */
  private readonly applies: Uint8Array;

  constructor(
    readonly model: PlacementModel,
    readonly terms: readonly CostTerm[] = COST_TERMS,
  ) {
    const nodes: NodeEntry[] = [];
    const replicas: ReplicaEntry[] = [];
    const placements: PlacementEntry[] = [];
    terms.forEach((term, index) => {
      if (term.shape === "node")
        nodes.push({ index, perNode: Float64Array.from(model.pools, (p) => term.perNode(p)) });
      else if (term.shape === "replica") replicas.push({ index, perReplica: term.perReplica(model) });
      else placements.push({ index, term });
    });
    this.nodeTerms = nodes;
    this.replicaTerms = replicas;
    this.placementTerms = placements;
    this.nodePrice = new Float64Array(model.pools.length);
    for (const t of nodes)
      for (let p = 0; p < model.pools.length; p++)
        this.nodePrice[p] = (this.nodePrice[p] ?? 0) + (t.perNode[p] ?? 0);
    this.replicaRate = sumRates(model, replicas);
    this.applies = Uint8Array.from(model.workloads, (w) =>
      placements.some((t) => t.term.applies(model, w.index)) ? 1 : 0,
    );
  }

  /** $/h of one replica of workload `w` on pool `p`, every replica term together. */
  replica(w: number, p: number): number {
    return this.replicaRate[w]?.[p] ?? 0;
  }

  /** The change in pool `pool`'s node cost when its nodes in use go from `before` to `after`. */
  nodeDelta(pool: PoolModel, before: number, after: number): number {
    return nodeCostDelta(pool, before, after, this.nodePrice[pool.index] ?? 0);
  }

  /** Whether any placement term can charge workload `w`. */
  placementApplies(w: number): boolean {
    return this.applies[w] === 1;
  }

  /** $/h the placement terms charge workload `w` for running on exactly `pools`. */
  placement(w: number, pools: Iterable<number>): number {
    const list = this.placementTerms.length > 1 ? [...pools] : pools;
    let sum = 0;
    for (const t of this.placementTerms) sum += t.term.cost(this.model, w, list);
    return sum;
  }

  /** What adding pool `p` to the pools `w` runs on changes in its placement terms (0 when it is there already). */
  placementDeltaAdding(w: number, pools: ReadonlyMap<number, number>, p: number): number {
    if (!this.placementApplies(w) || pools.has(p)) return 0;
    return this.placement(w, [...pools.keys(), p]) - this.placement(w, pools.keys());
  }

  /** The placement terms' per-replica stand-in on pool `p` for the linear relaxation. */
  placementEstimate(w: number, p: number): number {
    let sum = 0;
    for (const t of this.placementTerms) sum += t.term.perReplicaEstimate(this.model, w, p);
    return sum;
  }
}

function sumRates(model: PlacementModel, replicas: readonly ReplicaEntry[]): (Float64Array | null)[] {
  const only = replicas[0];
  if (replicas.length === 1 && only !== undefined) return [...only.perReplica];
  return model.workloads.map((w) => {
    let out: Float64Array | null = null;
    for (const t of replicas) {
      const rates = t.perReplica[w.index];
      if (rates === null || rates === undefined) continue;
      out ??= new Float64Array(model.pools.length);
      for (let p = 0; p < rates.length; p++) out[p] = (out[p] ?? 0) + (rates[p] ?? 0);
    }
    return out;
  });
}
