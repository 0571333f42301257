import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlacementInput } from "../../components/placement";
import { findCandidates } from "../../components/placement/candidates";
import {
  COST_TERMS,
  type CostField,
  CostTable,
  type CostTerm,
  type NodeTerm,
  type ReplicaTerm,
} from "../../components/placement/cost";
import { buildModel } from "../../components/placement/model";
import { solve } from "../../components/placement/place";
import { costSolution } from "../../components/placement/result";
import { buildProblem } from "../../components/placement/solver/problem";
import { solutionOf } from "../../components/placement/solver/solution";
import { validatePlacementInput } from "../../components/placement/validate";
import { inputArb } from "./arbitraries";

// One cost model: every solver prices through the terms of `cost/`, so what a solver believes it
// is paying (the heuristic's running totals, the MIP's objective) is what the result reports.

const TINY = inputArb({ targets: [1, 3], workloads: [1, 6] });
const SMALL = inputArb({ targets: [2, 4], workloads: [9, 24] });

const MOVE_COST = fc.constantFrom(0.05, 0.7, 3);

/** Result money is rounded to the micro-dollar; running totals carry float noise. */
const CENT_FRACTION = 2e-6;

function using(value: PlacementInput, solver: "exact" | "heuristic"): PlacementInput {
  return { ...value, options: { ...value.options, solver } };
}

/**
 * With `lock`, the input is fed a stale lock: its own first answer with every workload's rows
 * handed to the next workload, so some parts stay, some must move and some locks are out of reach.
 */
async function withLock(value: PlacementInput, lock: boolean, moveCost: number): Promise<PlacementInput> {
  if (!lock) return value;
  const first = await checkRunningTotals(value);
  const names = [...new Set(first.lock.assignments.map((a) => a.workload))];
  const next = new Map(names.map((n, i) => [n, names[(i + 1) % names.length] ?? n]));
  const assignments = first.lock.assignments.map((a) => ({
    ...a,
    workload: next.get(a.workload) ?? a.workload,
  }));
  return { ...value, previous: { version: 1, assignments }, options: { ...value.options, moveCost } };
}

async function checkRunningTotals(value: PlacementInput, terms: readonly CostTerm[] = COST_TERMS) {
  const model = buildModel(validatePlacementInput(value));
  const candidates = findCandidates(model);
  const problem = { ...buildProblem(model, candidates), costs: new CostTable(model, terms) };
  const solved = await solve(problem);
  const costed = costSolution(problem, solutionOf(solved.state));
  const reported = costed.cost as Record<string, number>;
  terms.forEach((term, t) => {
    expect(Math.abs((solved.state.totals[t] ?? 0) - (reported[term.field] ?? Number.NaN))).toBeLessThan(
      CENT_FRACTION,
    );
  });
  expect(Math.abs(solved.state.total - costed.cost.total)).toBeLessThan(CENT_FRACTION);
  if (solved.report.method === "exact") {
    expect(solved.objective).toBeDefined();
    expect(Math.abs((solved.objective ?? 0) - costed.cost.total)).toBeLessThan(1e-5);
  }
  return { method: solved.report.method, lock: costed.lock };
}

describe("the cost model", () => {
  it("exact path: the MIP's objective and the state's running totals equal the result's cost", async () => {
    let exact = 0;
    await fc.assert(
      fc.asyncProperty(TINY, fc.boolean(), MOVE_COST, async (value, lock, moveCost) => {
        const input = await withLock(using(value, "exact"), lock, moveCost);
        if ((await checkRunningTotals(input)).method === "exact") exact += 1;
      }),
      { numRuns: 60, seed: 17 },
    );
    // The property is about the exact path: most tiny inputs must have taken it.
    expect(exact).toBeGreaterThan(40);
  });

  it("heuristic path: the state's running totals, term by term, equal the result's cost", async () => {
    await fc.assert(
      fc.asyncProperty(SMALL, fc.boolean(), MOVE_COST, async (value, lock, moveCost) => {
        const input = await withLock(using(value, "heuristic"), lock, moveCost);
        expect((await checkRunningTotals(input)).method).toBe("heuristic");
      }),
      { numRuns: 30, seed: 19 },
    );
  });

  it("takes a new term of any shape with no solver change: a per-node carbon price, a per-GPU licence", async () => {
    // Test-only fields: a real term adds its field to PlacementResult["cost"].
    const carbon: NodeTerm = {
      shape: "node",
      field: "carbonPerHour" as CostField,
      words: "carbon",
      perNode: (pool) => 0.002 * pool.nodeCpu,
    };
    const licence: ReplicaTerm = {
      shape: "replica",
      field: "licencePerHour" as CostField,
      words: "licence",
      perReplica: (model) =>
        model.workloads.map((w) =>
          w.gpu === 0 ? null : Float64Array.from(model.pools, (p) => (p.spot ? 0 : 0.05 * w.gpu)),
        ),
    };
    const terms = [...COST_TERMS, carbon, licence];
    await fc.assert(
      fc.asyncProperty(TINY, fc.constantFrom("exact", "heuristic" as const), async (value, solver) => {
        await checkRunningTotals(using(value, solver), terms);
      }),
      { numRuns: 30, seed: 29 },
    );
  });

  it("registers one term per field of the result's cost", () => {
    expect(COST_TERMS.map((t) => t.field)).toEqual(["computePerHour", "egressPerHour", "movePenalty"]);
  });
});
