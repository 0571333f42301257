import { nodeShare, type Problem, unitCost } from "./problem";

/**
 * The order workloads are placed in: with `byPriority`, higher priority first (a lower priority
 * never takes room a higher one needs); then by regret, the extra $/h the workload pays if its cheapest pool is taken
 * (a workload with one pool has unbounded regret and goes first), so those with most to lose choose
 * first; then the largest; then by name.
 */
export function placementOrder(problem: Problem, byPriority: boolean): number[] {
  const { workloads, pools } = problem.model;
  const regret = new Float64Array(workloads.length);
  const size = new Float64Array(workloads.length);
  for (const w of workloads) {
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let smallest = Number.POSITIVE_INFINITY;
    for (const p of problem.feasible[w.index] ?? []) {
      const pool = pools[p];
      if (pool === undefined) continue;
      const share = nodeShare(w, pool);
      smallest = Math.min(smallest, share * w.replicas);
      const unit = unitCost(problem, w, pool, share);
      if (unit < best) {
        second = best;
        best = unit;
      } else if (unit < second) {
        second = unit;
      }
    }
    regret[w.index] =
      second === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : (second - best) * w.replicas;
    size[w.index] = smallest;
  }
  return workloads
    .map((w) => w.index)
    .sort((a, b) => {
      const wa = workloads[a];
      const wb = workloads[b];
      if (wa === undefined || wb === undefined) return a - b;
      const ra = regret[a] ?? 0;
      const rb = regret[b] ?? 0;
      return (
        (byPriority ? wb.priority - wa.priority : 0) ||
        (ra === rb ? 0 : rb > ra ? 1 : -1) ||
        (size[b] ?? 0) - (size[a] ?? 0) ||
        a - b
      );
    });
}
