import type { Highs } from "highs";
import type { Problem } from "./problem";

// A start for the heuristic from the linear relaxation (HiGHS simplex): replicas and nodes may be
// fractional, every hard rule on pools holds, spread is left to the rounding. Its optimum is the
// lower bound a placement is measured against, so rounding it gives the local search a start that
// already has the right pools carrying the right work. Used where it pays: inputs large enough
// for local search to stall, small enough for the relaxation to solve quickly.

/** `auto` uses the relaxation for inputs up to this many workloads (and above the exact solver's). */
export const GUIDE_MAX_WORKLOADS = 1_000;
export const GUIDE_MAX_COLUMNS = 40_000;
/** Simplex iterations, not seconds, bound the solve: the answer stays deterministic. */
const ITERATION_LIMIT = 200_000;

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(15).replace(/0+$/, "").replace(/\.$/, "");
}

export function guideColumns(problem: Problem): number {
  let n = 0;
  for (const options of problem.feasible) n += options.length;
  return n;
}

/**
 * By workload: replicas by pool, rounded from the relaxation (largest fractions first); empty for
 * a workload whose rounding breaks its spread (the heuristic places it). Null when the solve fails.
 */
export function lpGuide(
  highs: Highs,
  problem: Problem,
  efficiency: Float64Array,
): Map<number, number>[] | null {
  const { model, costs } = problem;
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const load = model.pools.map(() => ({ cpu: [] as string[], mem: [] as string[], gpu: [] as string[] }));
  for (const w of model.workloads) {
    const terms: string[] = [];
    const placement = costs.placementApplies(w.index);
    for (const p of problem.feasible[w.index] ?? []) {
      const pool = model.pools[p];
      if (pool === undefined) continue;
      const x = `x${w.index}_${p}`;
      terms.push(x);
      // The per-replica terms, and a per-replica stand-in for the placement terms (the move penalty
      // spread over the replicas that leave the lock's pools).
      const unit = costs.replica(w.index, p) + (placement ? costs.placementEstimate(w.index, p) : 0);
      if (unit > 0) objective.push(`+ ${num(unit)} ${x}`);
      load[p]?.cpu.push(`+ ${num(w.cpu)} ${x}`);
      load[p]?.mem.push(`+ ${num(w.memoryGiB)} ${x}`);
      if (w.gpu > 0) load[p]?.gpu.push(`+ ${num(w.gpu)} ${x}`);
    }
    if (terms.length > 0) rows.push(` a${w.index}: ${terms.join(" + ")} = ${w.replicas}`);
  }
  model.pools.forEach((pool, p) => {
    const l = load[p];
    if (l === undefined || l.cpu.length === 0) return;
    const n = `n${p}`;
    const eff = efficiency[p] ?? 1;
    objective.push(`+ ${num((costs.nodePrice[p] ?? 0) / eff)} ${n}`);
    bounds.push(
      ` ${num(Math.min(pool.minNodes * eff, pool.maxNodes * eff))} <= ${n} <= ${num(pool.maxNodes * eff)}`,
    );
    rows.push(` c${p}: ${l.cpu.join(" ")} - ${num(pool.cpuCap)} ${n} <= 0`);
    rows.push(` m${p}: ${l.mem.join(" ")} - ${num(pool.memCap)} ${n} <= 0`);
    if (l.gpu.length > 0) rows.push(` g${p}: ${l.gpu.join(" ")} - ${num(pool.nodeGpu)} ${n} <= 0`);
  });
  if (rows.length === 0) return null;
  const text = [
    "Minimize",
    ` obj: ${objective.join(" ").replace(/^\+ /, "") || "0 n0"}`,
    "Subject To",
    ...rows,
    "Bounds",
    ...bounds,
    "End",
  ].join("\n");
  let solution: ReturnType<Highs["solve"]>;
  try {
    solution = highs.solve(text, {
      output_flag: false,
      solver: "simplex",
      simplex_iteration_limit: ITERATION_LIMIT,
      random_seed: 0,
    });
  } catch {
    return null;
  }
  if (solution.Status !== "Optimal") return null;
  return model.workloads.map((w) => {
    const shares = (problem.feasible[w.index] ?? []).map((p) => ({
      p,
      x: solution.Columns[`x${w.index}_${p}`]?.Primal ?? 0,
    }));
    if (w.world > 0) {
      // A training world is rounded to the pool carrying most of it, whole.
      const top = shares.reduce<{ p: number; x: number } | null>(
        (best, s) => (best === null || s.x > best.x + 1e-9 ? s : best),
        null,
      );
      return top === null || top.x < 1e-6 ? new Map<number, number>() : new Map([[top.p, w.replicas]]);
    }
    const parts = new Map<number, number>();
    let placed = 0;
    for (const { p, x } of shares) {
      const k = Math.floor(x + 1e-6);
      if (k > 0) {
        parts.set(p, k);
        placed += k;
      }
    }
    const rest = shares
      .map(({ p, x }) => ({ p, frac: x - Math.floor(x + 1e-6) }))
      .sort((a, b) => b.frac - a.frac || a.p - b.p);
    for (const { p } of rest) {
      if (placed >= w.replicas) break;
      parts.set(p, (parts.get(p) ?? 0) + 1);
      placed += 1;
    }
    const targets = new Set([...parts.keys()].map((p) => model.pools[p]?.targetIndex));
    return placed === w.replicas && targets.size >= w.minTargets ? parts : new Map<number, number>();
  });
}
