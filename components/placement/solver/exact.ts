import loadHighsRuntime, { type Highs } from "highs";
import type { MipSink } from "../cost";
import type { WorkloadModel } from "../model";
import { fitCount, type Problem } from "./problem";
import { packReplicas } from "./repack";
import type { Solution } from "./solution";
import { State } from "./state";

// Exact placement for small inputs with HiGHS: a MIP over node slots (which replicas sit on which
// node of which pool), solved once per priority level to fix the most workloads placed at that
// level, then once more for the least cost. A branch-and-bound node limit, not a clock, bounds it,
// so the answer stays deterministic; when the limit stops it first, the caller keeps the heuristic.

/** Above these sizes `auto` does not try the exact solver. */
export const EXACT_MAX_WORKLOADS = 8;
export const EXACT_MAX_COLUMNS = 4_000;
const NODE_LIMIT = 50_000;

let runtime: Promise<Highs> | null = null;

/** Loads HiGHS once per process: the wasm compiles on first use, never for inputs that do not need it. */
export function loadHighs(): Promise<Highs> {
  runtime ??= loadHighsRuntime();
  return runtime;
}

interface Mip extends MipSink {
  readonly generals: string[];
  /** By priority: the z (placed) variable of each workload at it. */
  readonly placedTerms: Map<number, string[]>;
  /** The replica columns: workload, pool and node slot of each. */
  readonly x: { name: string; w: number; p: number; slot: number }[];
  /** By pool, by slot: the cpu, memory and GPU terms of the replicas that may sit there. */
  readonly slotTerms: { cpu: string[]; mem: string[]; gpu: string[] }[][];
  /** The objective's constant part (nodes and terms no variable carries). */
  constant: number;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(15).replace(/0+$/, "").replace(/\.$/, "");
}

/** Slots per pool: enough for every replica that could go there (packed), within [minNodes, maxNodes]. */
function slotsOf(problem: Problem, state: State): number[] {
  return problem.model.pools.map((pool) => {
    const replicas = new Map<number, number>();
    problem.model.workloads.forEach((w) => {
      if ((problem.feasible[w.index] ?? []).includes(pool.index)) replicas.set(w.index, w.replicas);
    });
    if (replicas.size === 0) return 0;
    const layout = packReplicas(state, pool, replicas, pool.maxNodes);
    return Math.min(pool.maxNodes, Math.max(pool.minNodes, layout?.length ?? pool.maxNodes));
  });
}

export function columnCount(problem: Problem): number {
  const state = new State(problem);
  const slots = slotsOf(problem, state);
  let n = 0;
  for (const w of problem.model.workloads)
    for (const p of problem.feasible[w.index] ?? []) n += slots[p] ?? 0;
  return n;
}

/**
 * The node terms: y_i_s opens slot s of pool i at the pool's price per node; the first minNodes
 * slots are always open, and minNodes beyond the slots are a constant. Slots open in order.
 */
function addNodeSlots(problem: Problem, slots: readonly number[], mip: Mip): void {
  problem.model.pools.forEach((pool, i) => {
    const k = slots[i] ?? 0;
    const price = problem.costs.nodePrice[i] ?? 0;
    for (let s = 0; s < k; s++) {
      const y = `y${i}_${s}`;
      mip.binaries.push(y);
      mip.objective.push({ name: y, cost: price });
      if (s < pool.minNodes) mip.bounds.push(` ${y} = 1`);
      if (s > 0) mip.rows.push(` sym${i}_${s}: y${i}_${s - 1} - ${y} >= 0`);
    }
    if (k < pool.minNodes) mip.constant += (pool.minNodes - k) * price;
  });
}

/**
 * One workload: x_j_p_s replicas on slot s of pool p (at the per-replica terms' rate), z_j placed
 * whole or not at all, u_j_t for its spread, o_j_p for a training world's one pool, then its
 * placement terms' own rows.
 */
function addWorkload(problem: Problem, w: WorkloadModel, slots: readonly number[], mip: Mip): void {
  const { model, costs } = problem;
  const j = w.index;
  const z = `z${j}`;
  mip.binaries.push(z);
  mip.placedTerms.set(w.priority, [...(mip.placedTerms.get(w.priority) ?? []), z]);
  const all: string[] = [];
  const byPool = new Map<number, string[]>();
  const byTarget = new Map<number, string[]>();
  for (const p of problem.feasible[j] ?? []) {
    const pool = model.pools[p];
    if (pool === undefined) continue;
    const most = Math.min(fitCount(w, pool, 0, 0, 0), w.replicas);
    const rate = costs.replica(j, p);
    for (let s = 0; s < (slots[p] ?? 0); s++) {
      const name = `x${j}_${p}_${s}`;
      mip.generals.push(name);
      mip.bounds.push(` 0 <= ${name} <= ${most}`);
      if (rate > 0) mip.objective.push({ name, cost: rate });
      mip.x.push({ name, w: j, p, slot: s });
      all.push(name);
      byPool.set(p, [...(byPool.get(p) ?? []), name]);
      byTarget.set(pool.targetIndex, [...(byTarget.get(pool.targetIndex) ?? []), name]);
      const terms = mip.slotTerms[p]?.[s];
      terms?.cpu.push(`+ ${num(w.cpu)} ${name}`);
      terms?.mem.push(`+ ${num(w.memoryGiB)} ${name}`);
      if (w.gpu > 0) terms?.gpu.push(`+ ${num(w.gpu)} ${name}`);
    }
  }
  mip.rows.push(all.length > 0 ? ` a${j}: ${all.join(" + ")} - ${w.replicas} ${z} = 0` : ` a${j}: ${z} = 0`);
  if (w.minTargets > 1) addSpread(w, byTarget, mip);
  if (w.world > 0) addWorld(w, byPool, mip);
  for (const t of costs.placementTerms)
    mip.constant += t.term.mip(model, w, problem.feasible[j] ?? [], byPool, mip);
}

/** u_j_t: some replica of j on target t; at least minTargets of them when j is placed. */
function addSpread(w: WorkloadModel, byTarget: ReadonlyMap<number, readonly string[]>, mip: Mip): void {
  const j = w.index;
  const z = `z${j}`;
  const us: string[] = [];
  for (const [t, names] of byTarget) {
    const u = `u${j}_${t}`;
    mip.binaries.push(u);
    us.push(u);
    mip.rows.push(` sp${j}_${t}: ${u} - ${names.join(" - ")} <= 0`);
  }
  mip.rows.push(
    us.length > 0 ? ` spr${j}: ${us.join(" + ")} - ${w.minTargets} ${z} >= 0` : ` spr${j}: ${z} = 0`,
  );
}

/** o_j_p: training world j runs on pool p; on at most one pool, all its ranks there. */
function addWorld(w: WorkloadModel, byPool: ReadonlyMap<number, readonly string[]>, mip: Mip): void {
  const j = w.index;
  const os: string[] = [];
  for (const [p, names] of byPool) {
    const o = `o${j}_${p}`;
    mip.binaries.push(o);
    os.push(o);
    mip.rows.push(` wo${j}_${p}: ${names.join(" + ")} - ${w.replicas} ${o} <= 0`);
  }
  if (os.length > 0) mip.rows.push(` w1${j}: ${os.join(" + ")} <= 1`);
}

/** Each open slot holds what a node of its pool holds, less headroom. */
function addCapacity(problem: Problem, mip: Mip): void {
  problem.model.pools.forEach((pool, i) => {
    mip.slotTerms[i]?.forEach((terms, s) => {
      if (terms.cpu.length === 0) return;
      mip.rows.push(` c${i}_${s}: ${terms.cpu.join(" ")} - ${num(pool.cpuCap)} y${i}_${s} <= 0`);
      mip.rows.push(` m${i}_${s}: ${terms.mem.join(" ")} - ${num(pool.memCap)} y${i}_${s} <= 0`);
      if (terms.gpu.length > 0)
        mip.rows.push(` g${i}_${s}: ${terms.gpu.join(" ")} - ${num(pool.nodeGpu)} y${i}_${s} <= 0`);
    });
  });
}

function buildMip(problem: Problem): Mip {
  const slots = slotsOf(problem, new State(problem));
  const mip: Mip = {
    rows: [],
    bounds: [],
    binaries: [],
    objective: [],
    generals: [],
    placedTerms: new Map(),
    x: [],
    slotTerms: problem.model.pools.map((_, i) =>
      Array.from({ length: slots[i] ?? 0 }, () => ({ cpu: [], mem: [], gpu: [] })),
    ),
    constant: 0,
  };
  addNodeSlots(problem, slots, mip);
  for (const w of problem.model.workloads) addWorkload(problem, w, slots, mip);
  addCapacity(problem, mip);
  return mip;
}

/** The MIP in CPLEX LP text: maximise `goal` (a sum of z), or minimise the cost with `goal` "cost". */
function mipText(mip: Mip, goal: string, extra: readonly string[]): string {
  const costText = mip.objective.map((c) => `+ ${num(c.cost)} ${c.name}`).join(" ");
  return [
    goal === "cost" ? "Minimize" : "Maximize",
    ` obj: ${goal === "cost" ? costText : goal}`,
    "Subject To",
    ...mip.rows,
    ...extra,
    "Bounds",
    ...mip.bounds,
    "Binaries",
    ` ${mip.binaries.join(" ")}`,
    ...(mip.generals.length > 0 ? ["Generals", ` ${mip.generals.join(" ")}`] : []),
    "End",
  ].join("\n");
}

export interface ExactResult {
  readonly solution: Solution;
  readonly optimal: boolean;
  /** The MIP's cost at the solution, $/h, constant included: what the result's `cost.total` must say. */
  readonly objective: number;
}

/**
 * Solves exactly. `heuristicCounts` (placed workloads by priority from the heuristic) lets a level
 * that the heuristic already placed entirely skip its solve. Returns null when a solve ends
 * without proof (node limit) or fails.
 */
export async function solveExact(
  problem: Problem,
  upperCounts: ReadonlyMap<number, number>,
  heuristicCounts: ReadonlyMap<number, number>,
): Promise<ExactResult | null> {
  const highs = await loadHighs();
  const mip = buildMip(problem);
  const options = {
    output_flag: false,
    mip_rel_gap: 0,
    mip_abs_gap: 1e-7,
    mip_max_nodes: NODE_LIMIT,
    random_seed: 0,
  };
  const fixed: string[] = [];
  const levels = [...mip.placedTerms.keys()].sort((a, b) => b - a);
  let matchedSoFar = true;
  for (const level of levels) {
    const terms = mip.placedTerms.get(level) ?? [];
    const sum = terms.join(" + ");
    const upper = upperCounts.get(level) ?? 0;
    let best = heuristicCounts.get(level) ?? 0;
    if (!(matchedSoFar && best === upper)) {
      matchedSoFar = false;
      const result = highs.solve(mipText(mip, sum, fixed), options);
      if (result.Status !== "Optimal") return null;
      best = Math.round(result.ObjectiveValue);
    }
    fixed.push(` keep${fixed.length}: ${sum} >= ${best}`);
  }
  const result = highs.solve(mipText(mip, "cost", fixed), options);
  if (result.Status !== "Optimal") return null;
  const nodes: [number, number][][][] = problem.model.pools.map(() => []);
  const slots = new Map<string, [number, number][]>();
  for (const v of mip.x) {
    const k = Math.round(result.Columns[v.name]?.Primal ?? 0);
    if (k <= 0) continue;
    const key = `${v.p}_${v.slot}`;
    const items = slots.get(key) ?? [];
    if (items.length === 0) {
      slots.set(key, items);
      nodes[v.p]?.push(items);
    }
    items.push([v.w, k]);
  }
  return { solution: { nodes }, optimal: true, objective: result.ObjectiveValue + mip.constant };
}
