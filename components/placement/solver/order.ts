import { nodeShare, type Problem, unitCost } from "./problem";

/** The two orders workloads are placed in (see `placementOrder`). */
export interface Orders {
  /** Higher priority first, then as `byRegret`. */
  readonly byPriority: number[];
  /** By regret, then the largest, then by name. */
  readonly byRegret: number[];
}

/**
 * The orders workloads are placed in: with priority, higher priority first (a lower priority
 * never takes room a higher one needs); then by regret, the extra $/h the workload pays if its
 * cheapest pool is taken (a workload with one pool has unbounded regret and goes first), so those
 * with most to lose choose first; then the largest; then by name.
 */
export function placementOrders(problem: Problem): Orders {
  const { workloads, pools } = problem.model;
  const regret = new Float64Array(workloads.length);
  const size = new Float64Array(workloads.length);
  // Workloads sharing their list of feasible pools share their shape (the filters read it): without
  // a per-replica rate, their unit costs are the same, so their regret per replica is too.
  const shared = new Map<readonly number[], { gap: number; smallest: number }>();
  for (const w of workloads) {
    const feasible = problem.feasible[w.index] ?? [];
    const plain = problem.costs.replicaRate[w.index] == null;
    const like = plain ? shared.get(feasible) : undefined;
    if (like !== undefined) {
      regret[w.index] = like.gap === Number.POSITIVE_INFINITY ? like.gap : like.gap * w.replicas;
      size[w.index] = like.smallest * w.replicas;
      continue;
    }
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    let smallest = Number.POSITIVE_INFINITY;
    for (const p of feasible) {
      const pool = pools[p];
      if (pool === undefined) continue;
      const share = nodeShare(w, pool);
      smallest = Math.min(smallest, share);
      const unit = unitCost(problem, w, pool, share);
      if (unit < best) {
        second = best;
        best = unit;
      } else if (unit < second) {
        second = unit;
      }
    }
    const gap = second === Number.POSITIVE_INFINITY ? second : second - best;
    if (plain) shared.set(feasible, { gap, smallest });
    regret[w.index] = gap === Number.POSITIVE_INFINITY ? gap : gap * w.replicas;
    size[w.index] = smallest * w.replicas;
  }
  const order = (byPriority: boolean): number[] =>
    workloads
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
  return { byPriority: order(true), byRegret: order(false) };
}
