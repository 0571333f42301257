import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verify } from "../../bench/placement";
import { generate } from "../../bench/placement/generator";
import { type PlacementInput, type PlacementResult, place } from "../../components/placement";
import { inputArb } from "./arbitraries";

// Properties over random inputs, checked by the benchmark's independent verifier (which re-reads
// the hard rules from DESIGN.md and never uses the engine's filters).

const TINY = inputArb({ targets: [1, 3], workloads: [1, 6] });
const SMALL = inputArb({ targets: [2, 4], workloads: [9, 24] });

function heuristic(value: PlacementInput): PlacementInput {
  return { ...value, options: { ...value.options, solver: "heuristic" } };
}

function sets(result: PlacementResult): Record<string, string> {
  const out = new Map<string, string[]>();
  for (const a of result.assignments)
    out.set(a.workload, [...(out.get(a.workload) ?? []), `${a.target}/${a.pool}`]);
  return Object.fromEntries([...out].map(([w, keys]) => [w, keys.sort().join(",")]));
}

/** Positive when `a` places more at the highest priority where the two differ, 0 when alike. */
function comparePlaced(value: PlacementInput, a: PlacementResult, b: PlacementResult): number {
  const count = (r: PlacementResult): Map<number, number> => {
    const placed = new Set(r.assignments.map((x) => x.workload));
    const out = new Map<number, number>();
    for (const w of value.workloads)
      if (placed.has(w.name)) out.set(w.priority ?? 0, (out.get(w.priority ?? 0) ?? 0) + 1);
    return out;
  };
  const ca = count(a);
  const cb = count(b);
  for (const level of [...new Set([...ca.keys(), ...cb.keys()])].sort((x, y) => y - x)) {
    const d = (ca.get(level) ?? 0) - (cb.get(level) ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function checkResult(value: PlacementInput, result: PlacementResult): void {
  const verdict = verify(value, result);
  expect(verdict.violations).toEqual([]);
  expect(verdict.missed).toEqual([]);
  expect(result.cost.total).toBeCloseTo(verdict.cost.total, 5);
  expect(result.cost.computePerHour).toBeCloseTo(verdict.cost.compute, 5);
  expect(result.cost.egressPerHour).toBeCloseTo(verdict.cost.egress, 5);
  const placed = new Set(result.assignments.map((a) => a.workload));
  const unplaced = new Set(result.unplaced.map((u) => u.workload));
  for (const w of value.workloads) {
    // Placed or unplaced (with reasons), never both; and explained either way.
    expect(placed.has(w.name)).not.toBe(unplaced.has(w.name));
    const e = result.explanations[w.name];
    expect(e).toBeDefined();
    const named = new Set([...(e?.chosen ?? []), ...(e?.rejected ?? []).map((r) => r.candidate)]);
    // Every pool is named once: by itself, or through its target when the whole target is out.
    for (const t of value.targets) {
      for (const p of t.pools) expect(named.has(`${t.name}/${p.name}`) || named.has(t.name)).toBe(true);
    }
    expect(e?.reason.length).toBeGreaterThan(0);
  }
  for (const u of result.unplaced) expect(u.reasons.length).toBeGreaterThan(0);
  // The reason is written at once, the rejected list when first read: they agree on how many
  // places that pass every rule cost more.
  for (const [name, e] of Object.entries(result.explanations)) {
    const costed = e.rejected.filter((r) => r.rule === "cost");
    const dearer = costed.filter((r) => r.reason.startsWith("more expensive")).length;
    const said = /\((\d+) costs? more\)/.exec(e.reason)?.[1];
    if (said !== undefined) expect([name, Number(said)]).toEqual([name, dearer]);
    if (e.reason.startsWith("cheapest of")) expect([name, dearer]).toEqual([name, costed.length]);
  }
}

describe("placement properties", () => {
  it("tiny inputs (exact): every hard rule holds, all or none, priority first, costs add up", async () => {
    await fc.assert(
      fc.asyncProperty(TINY, async (value) => checkResult(value, await place(value))),
      { numRuns: 60, seed: 7 },
    );
  });

  it("larger inputs (heuristic): every hard rule holds, all or none, priority first, costs add up", async () => {
    await fc.assert(
      fc.asyncProperty(SMALL, async (value) => checkResult(value, await place(heuristic(value)))),
      { numRuns: 40, seed: 11 },
    );
  });

  it("a generated fleet (split workloads, spread, egress): rules hold, costs add up, reasons agree with the lists", async () => {
    const fleet = generate({ name: "fleet", workloads: 100, targets: 5, seed: 4, roomForAll: true });
    const result = await place(fleet);
    checkResult(fleet, result);
    // Some workloads run split over pools: their reasons price moving one part, too.
    expect(result.assignments.length).toBeGreaterThan(
      new Set(result.assignments.map((a) => a.workload)).size,
    );
  });

  it("deterministic: the same input gives the same bytes, whatever its order", async () => {
    await fc.assert(
      fc.asyncProperty(SMALL, async (value) => {
        const once = JSON.stringify(await place(heuristic(value)));
        const twice = JSON.stringify(await place(heuristic(structuredClone(value))));
        // Every list reversed, the lists inside a workload, a target and a pool included.
        const shuffled = heuristic({
          ...value,
          workloads: [...value.workloads].reverse().map((w) => ({
            ...w,
            ...(w.residency ? { residency: [...w.residency].reverse() } : {}),
            ...(w.gpu?.models ? { gpu: { ...w.gpu, models: [...w.gpu.models].reverse() } } : {}),
            ...(w.datasets ? { datasets: [...w.datasets].reverse() } : {}),
          })),
          targets: [...value.targets].reverse().map((t) => ({
            ...t,
            ...(t.datasets ? { datasets: [...t.datasets].reverse() } : {}),
            pools: [...t.pools]
              .reverse()
              .map((p) => ({ ...p, ...(p.taints ? { taints: [...p.taints].reverse() } : {}) })),
          })),
        });
        expect(twice).toBe(once);
        expect(JSON.stringify(await place(shuffled))).toBe(once);
      }),
      { numRuns: 20, seed: 3 },
    );
  });

  it("lock round trip (exact): the lock, through JSON and back as previous, keeps every placement", async () => {
    await fc.assert(
      fc.asyncProperty(TINY, async (value) => {
        const first = await place(value);
        const again = await place({ ...value, previous: JSON.parse(JSON.stringify(first.lock)) });
        expect(sets(again)).toEqual(sets(first));
        expect(again.cost.movePenalty).toBe(0);
        expect(again.cost.total).toBeCloseTo(first.cost.total, 6);
      }),
      { numRuns: 30, seed: 5 },
    );
  });

  it("lock round trip (heuristic): never worse, and a move only where it pays for itself", async () => {
    await fc.assert(
      fc.asyncProperty(SMALL, async (value) => {
        const first = await place(heuristic(value));
        const again = await place(heuristic({ ...value, previous: JSON.parse(JSON.stringify(first.lock)) }));
        const order = comparePlaced(value, again, first);
        expect(order).toBeGreaterThanOrEqual(0);
        if (order === 0) {
          expect(again.cost.total).toBeLessThanOrEqual(first.cost.total + 1e-6);
          if (again.cost.movePenalty > 0) expect(again.cost.total).toBeLessThan(first.cost.total);
          else expect(sets(again)).toEqual(sets(first));
        }
      }),
      { numRuns: 30, seed: 5 },
    );
  });
});
