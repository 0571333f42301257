import { type Candidates, findCandidates } from "./candidates";
import { explain } from "./explain";
import { buildModel } from "./model";
import { costSolution } from "./result";
import { Budget } from "./solver/budget";
import { columnCount, EXACT_MAX_COLUMNS, EXACT_MAX_WORKLOADS, loadHighs, solveExact } from "./solver/exact";
import { finishState, solveHeuristic } from "./solver/heuristic";
import { GUIDE_MAX_COLUMNS, GUIDE_MAX_WORKLOADS, guideColumns, lpGuide } from "./solver/lp-guide";
import { buildProblem, type Problem } from "./solver/problem";
import { solutionOf } from "./solver/solution";
import { State } from "./solver/state";
import type { PlacementInput, PlacementResult, SolverReport } from "./types";
import { parsePlacementInput } from "./validate";

/**
 * Decides where every workload runs: validate, filter (one rule per filter), solve (HiGHS exactly
 * for small inputs, else the heuristic), cost, explain, lock. Deterministic: the same input gives
 * the same bytes. Returns a Promise only when it loads HiGHS; callers always `await` it.
 */
export function place(input: PlacementInput): PlacementResult | Promise<PlacementResult> {
  const model = buildModel(parsePlacementInput(input));
  const candidates = findCandidates(model);
  const solved = solve(buildProblem(model, candidates));
  return solved instanceof Promise ? solved.then((s) => finish(candidates, s)) : finish(candidates, solved);
}

/** What a solver hands on to costing and explaining. */
export interface Solved {
  /** The final state; its running totals are what the result's `cost` reports. */
  readonly state: State;
  readonly report: SolverReport;
  /** From the exact solver: its MIP's objective at the solution, $/h. */
  readonly objective?: number;
}

/** Runs the solver `problem` calls for: the heuristic, guided by the LP relaxation, or exact. */
export function solve(problem: Problem): Solved | Promise<Solved> {
  const { model } = problem;
  const budget = Budget.forTimeLimit(model.timeLimitMs);
  const report = (state: State): SolverReport => ({
    method: "heuristic",
    optimal: false,
    work: state.work,
    budget: budget.limit,
    rounds: state.rounds,
  });
  if (wantsGuide(problem)) {
    return loadHighs().then(
      (highs) => {
        const ones = new Float64Array(model.pools.length).fill(1);
        const guided = solveHeuristic(problem, budget, lpGuide(highs, problem, ones));
        return { state: guided, report: report(guided) };
      },
      // HiGHS failing to load must not fail a deployment: the heuristic alone decides.
      () => {
        const plain = solveHeuristic(problem, budget);
        return { state: plain, report: report(plain) };
      },
    );
  }
  const heuristic = solveHeuristic(problem, budget);
  const fallback: Solved = { state: heuristic, report: report(heuristic) };
  if (!wantsExact(problem)) return fallback;
  return solveExact(problem, placeableByPriority(problem), heuristic.placedByPriority()).then(
    (exact) => {
      const state = exact === null ? null : State.fromNodes(problem, exact.solution.nodes);
      if (exact === null || state === null) return fallback;
      finishState(state);
      return {
        state,
        report: { ...fallback.report, method: "exact", optimal: true },
        objective: exact.objective,
      };
    },
    // HiGHS failing to load or solve must not fail a deployment: the heuristic's answer stands.
    () => fallback,
  );
}

function wantsGuide(problem: Problem): boolean {
  const { model } = problem;
  if (model.solver !== "auto" || model.workloads.length <= EXACT_MAX_WORKLOADS) return false;
  return model.workloads.length <= GUIDE_MAX_WORKLOADS && guideColumns(problem) <= GUIDE_MAX_COLUMNS;
}

function wantsExact(problem: Problem): boolean {
  const { model } = problem;
  if (model.solver === "heuristic" || model.workloads.length === 0) return false;
  if (model.solver === "exact") return true;
  return model.workloads.length <= EXACT_MAX_WORKLOADS && columnCount(problem) <= EXACT_MAX_COLUMNS;
}

/** By priority: workloads that some pool could run (enough distinct targets for their spread). */
function placeableByPriority(problem: Problem): Map<number, number> {
  const out = new Map<number, number>();
  for (const w of problem.model.workloads) {
    const targets = new Set(
      (problem.feasible[w.index] ?? []).map((p) => problem.model.pools[p]?.targetIndex),
    );
    if (targets.size >= w.minTargets && targets.size > 0) out.set(w.priority, (out.get(w.priority) ?? 0) + 1);
  }
  return out;
}

function finish(candidates: Candidates, solved: Solved): PlacementResult {
  const { state } = solved;
  const costed = costSolution(state.problem, solutionOf(state));
  const { explanations, unplaced } = explain(state.problem, candidates, state, costed.workloadCost);
  return {
    assignments: costed.assignments,
    unplaced,
    packing: costed.packing,
    cost: costed.cost,
    explanations,
    lock: costed.lock,
    solver: solved.report,
  };
}
