import { type CostTable, poolCost, type ReportedField } from "./cost";
import type { PlacementModel } from "./model";
import { nodeShare, type Problem } from "./solver/problem";
import { partsOf, type Solution } from "./solver/solution";
import type { Assignment, PlacementLock, PlacementResult, PoolPacking } from "./types";

// Turns a solver's nodes into the contract's rows: assignments, packing, the cost terms (each by
// its shape, from the same table the solvers priced with) and the lock, in a fixed order
// (workload, target, pool) so equal inputs give equal bytes.

/** Money is reported to the micro-dollar; this keeps float noise (0.30000000000000004) out of the bytes. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

export interface Costed {
  readonly assignments: Assignment[];
  readonly packing: PoolPacking[];
  readonly cost: PlacementResult["cost"];
  readonly lock: PlacementLock;
  /** By workload index: replicas by pool index (empty when unplaced). */
  readonly parts: Map<number, number>[];
  /** By workload index: its share of the total, $/h. */
  readonly workloadCost: number[];
}

export function costSolution(problem: Problem, solution: Solution): Costed {
  const { model, costs } = problem;
  const parts = partsOf(solution, model.workloads.length);
  const assignments: Assignment[] = [];
  for (const w of model.workloads) {
    for (const [p, replicas] of parts[w.index] ?? []) {
      const pool = model.pools[p];
      if (pool !== undefined)
        assignments.push({ workload: w.name, target: pool.targetName, pool: pool.name, replicas });
    }
  }
  const totals = new Float64Array(costs.terms.length);
  const workloadCost = model.workloads.map(() => 0);
  const packing = packPools(problem, solution, totals, workloadCost);
  chargeWorkloads(problem, parts, totals, workloadCost);
  return {
    assignments,
    packing,
    cost: costOf(costs, totals),
    lock: { version: 1, assignments: assignments.map((a) => ({ ...a })) },
    parts,
    workloadCost,
  };
}

/**
 * The node terms, pool by pool (into `totals`), shared out over each pool's workloads by the node
 * share their replicas take; and the packing rows of every pool that runs a node.
 */
function packPools(
  problem: Problem,
  solution: Solution,
  totals: Float64Array,
  workloadCost: number[],
): PoolPacking[] {
  const { model, costs } = problem;
  const packing: PoolPacking[] = [];
  for (const pool of model.pools) {
    const nodes = solution.nodes[pool.index] ?? [];
    let nodeCost = 0;
    for (const t of costs.nodeTerms) {
      const cost = poolCost(pool, nodes.length, t.perNode[pool.index] ?? 0);
      totals[t.index] = (totals[t.index] ?? 0) + cost;
      nodeCost += cost;
    }
    if (nodes.length === 0 && pool.minNodes === 0) continue;
    shareOut(model, pool.index, nodes, nodeCost, workloadCost);
    const rows = nodes.map((node) =>
      node.map(([w, replicas]) => ({ workload: model.workloads[w]?.name ?? "", replicas })),
    );
    for (let i = nodes.length; i < pool.minNodes; i++) rows.push([]);
    packing.push({ target: pool.targetName, pool: pool.name, nodes: rows, costPerHour: round(nodeCost) });
  }
  return packing;
}

/** The replica and placement terms, workload by workload: into `totals` and each workload's share. */
function chargeWorkloads(
  problem: Problem,
  parts: readonly Map<number, number>[],
  totals: Float64Array,
  workloadCost: number[],
): void {
  const { model, costs } = problem;
  const charge = (term: number, cost: number): void => {
    totals[term] = (totals[term] ?? 0) + cost;
  };
  for (const w of model.workloads) {
    const own = parts[w.index] ?? new Map<number, number>();
    let mine = workloadCost[w.index] ?? 0;
    for (const t of costs.replicaTerms) {
      const rates = t.perReplica[w.index];
      let cost = 0;
      for (const [p, k] of own) cost += k * (rates?.[p] ?? 0);
      charge(t.index, cost);
      mine += cost;
    }
    for (const t of costs.placementTerms) {
      const cost = t.term.cost(model, w.index, own.keys());
      charge(t.index, cost);
      mine += cost;
    }
    workloadCost[w.index] = round(mine);
  }
}

/** The result's `cost`: each term in its field, and the total, to the micro-dollar. */
function costOf(costs: CostTable, totals: Float64Array): Costed["cost"] {
  const fields = {} as Record<ReportedField, number>;
  costs.terms.forEach((term, t) => {
    fields[term.field as ReportedField] = round(totals[t] ?? 0);
  });
  let total = totals[0] ?? 0;
  for (let t = 1; t < totals.length; t++) total += totals[t] ?? 0;
  return { ...fields, total: round(total) };
}

/** Splits a pool's node cost over its workloads by the node share their replicas take. */
function shareOut(
  model: PlacementModel,
  p: number,
  nodes: readonly (readonly (readonly [number, number])[])[],
  poolCost: number,
  into: number[],
): void {
  const pool = model.pools[p];
  if (pool === undefined) return;
  const usage = new Map<number, number>();
  let total = 0;
  for (const node of nodes) {
    for (const [w, k] of node) {
      const wl = model.workloads[w];
      if (wl === undefined) continue;
      const share = k * nodeShare(wl, pool);
      usage.set(w, (usage.get(w) ?? 0) + share);
      total += share;
    }
  }
  if (total === 0) return;
  for (const [w, share] of usage) into[w] = (into[w] ?? 0) + (poolCost * share) / total;
}
