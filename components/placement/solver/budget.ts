import type { State } from "./state";

// The search stops on a budget of work units (node visits and the like), never on the clock, so
// the same input gives the same answer on any machine and under any load. `timeLimitMs` converts
// at the rate measured on the reference machine (bench/placement, 2 cores).

/** Work units the heuristic does per millisecond on the reference machine. */
export const WORK_PER_MS = 20_000;

/** Effort when `options.timeLimitMs` is absent. */
export const DEFAULT_TIME_LIMIT_MS = 800;

export class Budget {
  constructor(readonly limit: number) {}

  /** Builds the budget for `timeLimitMs` (or the default). */
  static forTimeLimit(timeLimitMs: number | null): Budget {
    return new Budget(Math.round((timeLimitMs ?? DEFAULT_TIME_LIMIT_MS) * WORK_PER_MS));
  }

  spent(state: State): boolean {
    return state.work >= this.limit;
  }

  /** A budget that ends when `share` of this one has been spent from `state.work` on (or when this one ends). */
  slice(state: State, share: number): Budget {
    return new Budget(Math.min(this.limit, state.work + Math.round(share * this.limit)));
  }

  /** Whether less than `share` of the budget is left. */
  below(state: State, share: number): boolean {
    return this.limit - state.work < share * this.limit;
  }
}
