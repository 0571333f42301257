import type { PoolModel, TargetModel, WorkloadModel } from "../model";
import type { RejectionRule } from "../types";

// A filter is one hard rule, as in the Kubernetes scheduler framework: it answers null when the
// candidate may run the workload, or the one sentence it says when it may not.

/** A rule that looks at the target alone; when it rejects, every pool of the target is out. */
export interface TargetFilter {
  readonly rule: RejectionRule;
  readonly check: (workload: WorkloadModel, target: TargetModel) => string | null;
}

/** A rule that looks at one pool of a target that passed every target filter. */
export interface PoolFilter {
  readonly rule: RejectionRule;
  readonly check: (workload: WorkloadModel, target: TargetModel, pool: PoolModel) => string | null;
  /**
   * For a workload no candidate can run: what is missing, given the pools this rule turned down
   * (e.g. `needs 8 x H100 per node; the largest H100 node has 4`). Absent: the first sentence serves.
   */
  readonly missing?: (workload: WorkloadModel, rejected: readonly PoolModel[]) => string;
}
