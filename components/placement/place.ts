import { findCandidates } from "./candidates";
import { buildModel } from "./model";
import { costSolution } from "./result";
import { Budget } from "./solver/budget";
import { solveHeuristic } from "./solver/heuristic";
import { buildProblem } from "./solver/problem";
import { solutionOf } from "./solver/solution";
import type { PlacementInput, PlacementResult } from "./types";
import { validatePlacementInput } from "./validate";

export function place(input: PlacementInput): PlacementResult | Promise<PlacementResult> {
  const parsed = validatePlacementInput(input);
  const model = buildModel(parsed);
  const candidates = findCandidates(model);
  const problem = buildProblem(model, candidates);
  const budget = Budget.forTimeLimit(model.timeLimitMs);
  const state = solveHeuristic(problem, budget);
  const costed = costSolution(problem, solutionOf(state));
  return {
    assignments: costed.assignments,
    unplaced: model.workloads.filter((w) => !state.isPlaced(w.index)).map((w) => ({ workload: w.name, reasons: [] })),
    packing: costed.packing,
    cost: costed.cost,
    explanations: {},
    lock: costed.lock,
    solver: { method: "heuristic", optimal: false, work: state.work, budget: budget.limit },
  };
}
