import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allowedPools, capacity, egressPerReplica } from "../../bench/placement";
import { type PlacementInput, type Pool, place } from "../../components/placement";
import { inputArb } from "./arbitraries";

// Tiny inputs: the engine's answer equals brute force (every split of every workload over its
// allowed pools, or left out; exact bin packing per pool), first on workloads placed by priority,
// then on cost.

interface Best {
  placed: number[];
  cost: number;
}

/** The fewest nodes of `pool` that hold `items` ([cpu, mem, gpu] per replica), or Infinity. */
function nodesFor(pool: Pool, items: [number, number, number][]): number {
  const cap = capacity(pool);
  const sorted = [...items].sort((a, b) => b[0] - a[0] || b[1] - a[1] || b[2] - a[2]);
  let best = Number.POSITIVE_INFINITY;
  const bins: [number, number, number][] = [];
  const go = (i: number): void => {
    if (bins.length >= best) return;
    if (i === sorted.length) {
      best = bins.length;
      return;
    }
    const [c, m, g] = sorted[i] as [number, number, number];
    for (const bin of bins) {
      if (bin[0] + c <= cap.cpu + 1e-9 && bin[1] + m <= cap.mem + 1e-9 && bin[2] + g <= cap.gpu + 1e-9) {
        bin[0] += c;
        bin[1] += m;
        bin[2] += g;
        go(i + 1);
        bin[0] -= c;
        bin[1] -= m;
        bin[2] -= g;
      }
    }
    if (bins.length < pool.maxNodes) {
      bins.push([c, m, g]);
      go(i + 1);
      bins.pop();
    }
  };
  go(0);
  return best;
}

function splits(n: number, parts: number): number[][] {
  if (parts === 0) return n === 0 ? [[]] : [];
  const out: number[][] = [];
  for (let k = 0; k <= n; k++) for (const rest of splits(n - k, parts - 1)) out.push([k, ...rest]);
  return out;
}

function bruteForce(value: PlacementInput): Best {
  const levels = [...new Set(value.workloads.map((w) => w.priority ?? 0))].sort((a, b) => b - a);
  const pools = value.targets.flatMap((t) => t.pools.map((p) => ({ key: `${t.name}/${p.name}`, pool: p })));
  const options = value.workloads.map((w) => {
    const allowed = allowedPools(w, value.targets);
    const out: { parts: Map<string, number>; egress: number }[] = [];
    for (const split of splits(w.replicas, allowed.length)) {
      const parts = new Map<string, number>();
      let egress = 0;
      split.forEach((k, i) => {
        const a = allowed[i];
        if (k > 0 && a !== undefined) {
          parts.set(`${a.target.name}/${a.pool.name}`, k);
          egress += k * egressPerReplica(w, a.target, value.targets);
        }
      });
      if (new Set([...parts.keys()].map((k) => k.split("/")[0])).size >= (w.spread?.minTargets ?? 1)) {
        out.push({ parts, egress });
      }
    }
    return out;
  });
  let best: Best = { placed: levels.map(() => -1), cost: Number.POSITIVE_INFINITY };
  const chosen: (Map<string, number> | null)[] = [];
  const visit = (i: number, egress: number): void => {
    if (i === value.workloads.length) {
      let compute = 0;
      for (const { key, pool } of pools) {
        const items: [number, number, number][] = [];
        value.workloads.forEach((w, j) => {
          for (let r = 0; r < (chosen[j]?.get(key) ?? 0); r++)
            items.push([w.cpu, w.memoryGiB, w.gpu?.count ?? 0]);
        });
        const n = items.length === 0 ? 0 : nodesFor(pool, items);
        if (n === Number.POSITIVE_INFINITY) return;
        compute += Math.max(pool.minNodes ?? 0, n) * pool.pricePerNodeHour;
      }
      const placed = levels.map(
        (l) => value.workloads.filter((w, j) => (w.priority ?? 0) === l && chosen[j] !== null).length,
      );
      const diff = placed.map((n, k) => n - (best.placed[k] ?? 0)).find((d) => d !== 0) ?? 0;
      if (diff > 0 || (diff === 0 && compute + egress < best.cost - 1e-9))
        best = { placed, cost: compute + egress };
      return;
    }
    for (const option of options[i] ?? []) {
      chosen.push(option.parts);
      visit(i + 1, egress + option.egress);
      chosen.pop();
    }
    chosen.push(null);
    visit(i + 1, egress);
    chosen.pop();
  };
  visit(0, 0);
  return best;
}

const TINY = inputArb({ targets: [1, 2], workloads: [1, 4] }).filter((v) =>
  v.targets.every((t) => t.pools.every((p) => p.maxNodes <= 3)),
);

describe("tiny inputs are solved to optimality", () => {
  it("equals brute force on placed-by-priority, then cost", async () => {
    await fc.assert(
      fc.asyncProperty(TINY, async (value) => {
        const result = await place(value);
        const best = bruteForce(value);
        const levels = [...new Set(value.workloads.map((w) => w.priority ?? 0))].sort((a, b) => b - a);
        const placed = new Set(result.assignments.map((a) => a.workload));
        expect(
          levels.map(
            (l) => value.workloads.filter((w) => (w.priority ?? 0) === l && placed.has(w.name)).length,
          ),
        ).toEqual(best.placed);
        expect(result.cost.total).toBeCloseTo(best.cost, 6);
        expect(result.solver).toMatchObject({ method: "exact", optimal: true });
      }),
      { numRuns: 40, seed: 21 },
    );
  });
});
