import type { PlacementModel, PoolModel, WorkloadModel } from "../model";
import type { PlacementResult } from "../types";

// A cost term is one part of the objective. Each has one of three shapes, and the shape is what the
// solvers know how to price: the heuristic's running totals and deltas, the fluid model, the LP
// guide, the exact MIP and the result all read a term only through its shape, so a new term (a
// licence, carbon) is one file here, a line in the registry (`index.ts`) and its field in the
// result's `cost` (the contract).

/** The field of `PlacementResult["cost"]` that reports a term, $/h. */
export type CostField = Exclude<keyof PlacementResult["cost"], "total">;

interface TermBase {
  readonly field: CostField;
  /** How explanations name it in a breakdown: `compute +$0.77, egress -$0.35`. */
  readonly words: string;
}

/**
 * Charged per node a pool runs, `max(minNodes, nodes used)` of them (compute; carbon per
 * node-hour; a per-node licence). Nodes below `minNodes` run whether used or not.
 */
export interface NodeTerm extends TermBase {
  readonly shape: "node";
  /** $/h per running node of `pool`. */
  readonly perNode: (pool: PoolModel) => number;
}

/** Charged per replica: each replica of a workload on a pool costs a fixed $/h (egress; a per-GPU licence). */
export interface ReplicaTerm extends TermBase {
  readonly shape: "replica";
  /**
   * By workload index: $/h of one replica on each pool (by pool index), or null when zero on every
   * pool. Computed once per input.
   */
  readonly perReplica: (model: PlacementModel) => (Float64Array | null)[];
}

/** What a placement term adds to the exact solver's MIP (CPLEX LP text, one entry a line). */
export interface MipSink {
  readonly rows: string[];
  readonly bounds: string[];
  readonly binaries: string[];
  readonly objective: { readonly name: string; readonly cost: number }[];
}

/**
 * Charged on the set of pools a workload runs on as a whole (empty when it is unplaced): the move
 * penalty. Not linear in anything, so it brings its own MIP rows and an LP stand-in.
 */
export interface PlacementTerm extends TermBase {
  readonly shape: "placement";
  /** False when the term is 0 for `w` wherever it runs: the solvers then skip it. */
  readonly applies: (model: PlacementModel, w: number) => boolean;
  /** $/h for workload `w` running on exactly `pools`. */
  readonly cost: (model: PlacementModel, w: number, pools: Iterable<number>) => number;
  /** A $/h per replica on pool `p` standing in for the term in the linear relaxation. */
  readonly perReplicaEstimate: (model: PlacementModel, w: number, p: number) => number;
  /**
   * Adds the term for `w` to the MIP: its own variables and rows tied to `columns` (the replica
   * columns of `w` by feasible pool). Returns the constant part of the objective.
   */
  readonly mip: (
    model: PlacementModel,
    w: WorkloadModel,
    feasible: readonly number[],
    columns: ReadonlyMap<number, readonly string[]>,
    sink: MipSink,
  ) => number;
}

export type CostTerm = NodeTerm | ReplicaTerm | PlacementTerm;

/** $/h of a pool at `perNode` per running node with `used` nodes in use (fractional for the fluid model). */
export function poolCost(pool: PoolModel, used: number, perNode: number): number {
  return Math.max(pool.minNodes, used) * perNode;
}

/** The change in a pool's node cost when its nodes in use go from `before` to `after`. */
export function poolCostDelta(pool: PoolModel, before: number, after: number, perNode: number): number {
  return (Math.max(pool.minNodes, after) - Math.max(pool.minNodes, before)) * perNode;
}
