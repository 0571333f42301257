import { movePenalty, poolComputeCost } from "./cost";
import type { PlacementModel } from "./model";
import { egressOf, nodeShare, type Problem } from "./solver/problem";
import { partsOf, type Solution } from "./solver/solution";
import type { Assignment, PlacementLock, PoolPacking } from "./types";

// Turns a solver's nodes into the contract's rows: assignments, packing, the cost terms and the
// lock, in a fixed order (workload, target, pool) so equal inputs give equal bytes.

/** Money is reported to the micro-dollar; this keeps float noise (0.30000000000000004) out of the bytes. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

export interface Costed {
  readonly assignments: Assignment[];
  readonly packing: PoolPacking[];
  readonly cost: { computePerHour: number; egressPerHour: number; movePenalty: number; total: number };
  readonly lock: PlacementLock;
  /** By workload index: replicas by pool index (empty when unplaced). */
  readonly parts: Map<number, number>[];
  /** By workload index: its share of the total, $/h. */
  readonly workloadCost: number[];
}

export function costSolution(problem: Problem, solution: Solution): Costed {
  const { model } = problem;
  const parts = partsOf(solution, model.workloads.length);
  const assignments: Assignment[] = [];
  for (const w of model.workloads) {
    for (const [p, replicas] of parts[w.index] ?? []) {
      const pool = model.pools[p];
      if (pool !== undefined)
        assignments.push({ workload: w.name, target: pool.targetName, pool: pool.name, replicas });
    }
  }

  const workloadCost = model.workloads.map(() => 0);
  const packing: PoolPacking[] = [];
  let compute = 0;
  for (const pool of model.pools) {
    const nodes = solution.nodes[pool.index] ?? [];
    const poolCost = poolComputeCost(pool, nodes.length);
    compute += poolCost;
    if (nodes.length === 0 && pool.minNodes === 0) continue;
    shareOut(model, pool.index, nodes, poolCost, workloadCost);
    const rows = nodes.map((node) =>
      node.map(([w, replicas]) => ({ workload: model.workloads[w]?.name ?? "", replicas })),
    );
    for (let i = nodes.length; i < pool.minNodes; i++) rows.push([]);
    packing.push({ target: pool.targetName, pool: pool.name, nodes: rows, costPerHour: round(poolCost) });
  }

  let egress = 0;
  let penalty = 0;
  for (const w of model.workloads) {
    const own = parts[w.index] ?? new Map<number, number>();
    let mine = 0;
    for (const [p, k] of own) {
      const pool = model.pools[p];
      if (pool !== undefined) mine += k * egressOf(problem, w.index, pool);
    }
    const moved = movePenalty(model.previous[w.index] ?? null, own.keys(), model.moveCost);
    egress += mine;
    penalty += moved;
    workloadCost[w.index] = round((workloadCost[w.index] ?? 0) + mine + moved);
  }

  return {
    assignments,
    packing,
    cost: {
      computePerHour: round(compute),
      egressPerHour: round(egress),
      movePenalty: round(penalty),
      total: round(compute + egress + penalty),
    },
    lock: { version: 1, assignments: assignments.map((a) => ({ ...a })) },
    parts,
    workloadCost,
  };
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
