import { describe, expect, it } from "vitest";
import { verify } from "../../bench/placement";
import { generate } from "../../bench/placement/generator";
import { type PlacementInput, place } from "../../components/placement";

// The heuristic's rounds (fluid model, then packing) are its costly part on a large fleet and
// node-level polish its productive one: no round is begun that, costing what the last one did,
// would eat into the share of the budget kept for polish. A small time limit on a generated fleet
// stands in for a large fleet under the default one (the rule reads shares of the budget only).

function fleet(workloads: number, targets: number, seed: number, timeLimitMs: number): PlacementInput {
  const value = generate({ name: "rounds", workloads, targets, seed, roomForAll: true });
  return { ...value, options: { ...value.options, timeLimitMs, solver: "heuristic" } };
}

describe("heuristic rounds", () => {
  it.each([
    // [workloads, targets, seed, timeLimitMs]: the first round spends between a third and
    // three fifths of the budget, so one more would have run before this rule.
    [300, 8, 3, 10],
    [600, 12, 12, 20],
  ])(
    "stops after one round when the next would eat into polish's share (%i x %i)",
    async (w, t, seed, ms) => {
      const value = fleet(w, t, seed, ms);
      const result = await place(value);
      expect(result.solver.rounds).toBe(1);
      const verdict = verify(value, result);
      expect(verdict.violations).toEqual([]);
      expect(new Set(result.assignments.map((a) => a.workload)).size).toBe(w);
    },
  );

  it("runs every round when they are cheap beside the budget", async () => {
    const result = await place(fleet(300, 8, 3, 800));
    expect(result.solver.rounds).toBe(3);
  });
});
