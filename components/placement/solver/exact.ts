import loadHighsRuntime, { type Highs } from "highs";
import { egressOf, fitCount, type Problem } from "./problem";
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

interface Column {
  readonly name: string;
  readonly cost: number;
}

interface Mip {
  readonly text: (objective: string, extra: readonly string[]) => string;
  readonly placedTerms: Map<number, string[]>;
  readonly x: { name: string; w: number; p: number; slot: number }[];
  readonly constant: number;
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

function buildMip(problem: Problem): Mip {
  const { model } = problem;
  const state = new State(problem);
  const slots = slotsOf(problem, state);
  const rows: string[] = [];
  const objective: Column[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  const x: Mip["x"] = [];
  const placedTerms = new Map<number, string[]>();
  let constant = 0;

  model.pools.forEach((pool, i) => {
    const k = slots[i] ?? 0;
    for (let s = 0; s < k; s++) {
      const y = `y${i}_${s}`;
      binaries.push(y);
      objective.push({ name: y, cost: pool.price });
      if (s < pool.minNodes) bounds.push(` ${y} = 1`);
      if (s > 0) rows.push(` sym${i}_${s}: y${i}_${s - 1} - ${y} >= 0`);
    }
    if (k < pool.minNodes) constant += (pool.minNodes - k) * pool.price;
  });

  const slotTerms = model.pools.map((_, i) =>
    Array.from({ length: slots[i] ?? 0 }, () => ({
      cpu: [] as string[],
      mem: [] as string[],
      gpu: [] as string[],
    })),
  );
  for (const w of model.workloads) {
    const j = w.index;
    const z = `z${j}`;
    binaries.push(z);
    placedTerms.set(w.priority, [...(placedTerms.get(w.priority) ?? []), z]);
    const all: string[] = [];
    const byPool = new Map<number, string[]>();
    const byTarget = new Map<number, string[]>();
    for (const p of problem.feasible[j] ?? []) {
      const pool = model.pools[p];
      if (pool === undefined) continue;
      const fit = fitCount(w, pool, 0, 0, 0);
      const egress = egressOf(problem, j, pool);
      for (let s = 0; s < (slots[p] ?? 0); s++) {
        const name = `x${j}_${p}_${s}`;
        generals.push(name);
        bounds.push(` 0 <= ${name} <= ${Math.min(fit, w.replicas)}`);
        if (egress > 0) objective.push({ name, cost: egress });
        x.push({ name, w: j, p, slot: s });
        all.push(name);
        byPool.set(p, [...(byPool.get(p) ?? []), name]);
        byTarget.set(pool.targetIndex, [...(byTarget.get(pool.targetIndex) ?? []), name]);
        const terms = slotTerms[p]?.[s];
        terms?.cpu.push(`+ ${num(w.cpu)} ${name}`);
        terms?.mem.push(`+ ${num(w.memoryGiB)} ${name}`);
        if (w.gpu > 0) terms?.gpu.push(`+ ${num(w.gpu)} ${name}`);
      }
    }
    rows.push(all.length > 0 ? ` a${j}: ${all.join(" + ")} - ${w.replicas} ${z} = 0` : ` a${j}: ${z} = 0`);
    if (w.minTargets > 1) {
      const us: string[] = [];
      for (const [t, names] of byTarget) {
        const u = `u${j}_${t}`;
        binaries.push(u);
        us.push(u);
        rows.push(` sp${j}_${t}: ${u} - ${names.join(" - ")} <= 0`);
      }
      rows.push(
        us.length > 0 ? ` spr${j}: ${us.join(" + ")} - ${w.minTargets} ${z} >= 0` : ` spr${j}: ${z} = 0`,
      );
    }
    const previous = model.previous[j] ?? null;
    if (previous !== null) {
      const allowed = new Set(problem.feasible[j] ?? []);
      const unreachable = previous.lost || [...previous.parts.keys()].some((p) => !allowed.has(p));
      if (unreachable) {
        constant += model.moveCost;
      } else {
        const m = `mv${j}`;
        bounds.push(` 0 <= ${m} <= 1`);
        objective.push({ name: m, cost: model.moveCost });
        for (const [p, names] of byPool) {
          const v = `v${j}_${p}`;
          binaries.push(v);
          if (previous.parts.has(p)) {
            rows.push(` vu${j}_${p}: ${v} - ${names.join(" - ")} <= 0`);
            rows.push(` mk${j}_${p}: ${m} + ${v} >= 1`);
          } else {
            rows.push(` vn${j}_${p}: ${names.join(" + ")} - ${w.replicas} ${v} <= 0`);
            rows.push(` mn${j}_${p}: ${m} - ${v} >= 0`);
          }
        }
      }
    }
  }
  model.pools.forEach((pool, i) => {
    slotTerms[i]?.forEach((terms, s) => {
      if (terms.cpu.length === 0) return;
      rows.push(` c${i}_${s}: ${terms.cpu.join(" ")} - ${num(pool.cpuCap)} y${i}_${s} <= 0`);
      rows.push(` m${i}_${s}: ${terms.mem.join(" ")} - ${num(pool.memCap)} y${i}_${s} <= 0`);
      if (terms.gpu.length > 0)
        rows.push(` g${i}_${s}: ${terms.gpu.join(" ")} - ${num(pool.nodeGpu)} y${i}_${s} <= 0`);
    });
  });
  const costText = objective.map((c) => `+ ${num(c.cost)} ${c.name}`).join(" ");
  return {
    text: (goal, extra) =>
      [
        goal === "cost" ? "Minimize" : "Maximize",
        ` obj: ${goal === "cost" ? costText : goal}`,
        "Subject To",
        ...rows,
        ...extra,
        "Bounds",
        ...bounds,
        "Binaries",
        ` ${binaries.join(" ")}`,
        ...(generals.length > 0 ? ["Generals", ` ${generals.join(" ")}`] : []),
        "End",
      ].join("\n"),
    placedTerms,
    x,
    constant,
  };
}

export interface ExactResult {
  readonly solution: Solution;
  readonly optimal: boolean;
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
      const result = highs.solve(mip.text(sum, fixed), options);
      if (result.Status !== "Optimal") return null;
      best = Math.round(result.ObjectiveValue);
    }
    fixed.push(` keep${fixed.length}: ${sum} >= ${best}`);
  }
  const result = highs.solve(mip.text("cost", fixed), options);
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
  return { solution: { nodes }, optimal: true };
}
