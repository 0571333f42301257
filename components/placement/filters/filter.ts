import type { PoolModel, TargetModel, WorkloadModel } from "../model";
import type { RejectionCode, RejectionRule } from "../types";

// A filter is one hard rule, as in the Kubernetes scheduler framework: it answers null when the
// candidate may run the workload, or a status: the one sentence it says, and a code saying whether
// a capacity change could fix it (`Unschedulable`: too small, too few GPUs per node) or nothing
// about the candidate can (`UnschedulableAndUnresolvable`: trust, residency, spot, pin).
//
// Each filter declares the workload fields it reads, and its check sees only those (the type says
// so): workloads alike in all the fields every filter reads get the same answers, which is the
// key the candidate search caches on.

export interface Status {
  readonly code: RejectionCode;
  readonly reason: string;
}

/** A capacity change (more or larger nodes) could fix it. */
export function unschedulable(reason: string): Status {
  return { code: "Unschedulable", reason };
}

/** Nothing about the candidate's capacity can fix it: it is the wrong kind for the workload. */
export function unresolvable(reason: string): Status {
  return { code: "UnschedulableAndUnresolvable", reason };
}

/** The workload fields a filter may declare. */
export type WorkloadField = keyof WorkloadModel;

/** A rule that looks at the target alone; when it rejects, every pool of the target is out. */
export interface TargetFilter<K extends WorkloadField = WorkloadField> {
  readonly rule: RejectionRule;
  /** The workload fields `check` reads. */
  readonly reads: readonly K[];
  readonly check: (workload: Pick<WorkloadModel, K>, target: TargetModel) => Status | null;
}

/** A rule that looks at one pool of a target that passed every target filter. */
export interface PoolFilter<K extends WorkloadField = WorkloadField> {
  readonly rule: RejectionRule;
  /** The workload fields `check` and `missing` read. */
  readonly reads: readonly K[];
  readonly check: (workload: Pick<WorkloadModel, K>, target: TargetModel, pool: PoolModel) => Status | null;
  /**
   * For a workload no candidate can run: what is missing, given the pools this rule turned down
   * (e.g. `needs 8 x H100 per node; the largest H100 node has 4`). Absent: the first sentence serves.
   */
  readonly missing?: (workload: Pick<WorkloadModel, K>, rejected: readonly PoolModel[]) => Status;
}

/** Declares a target filter; its check may read only the fields in `reads`. */
export function targetFilter<K extends WorkloadField>(filter: TargetFilter<K>): TargetFilter<K> {
  return filter;
}

/** Declares a pool filter; its check may read only the fields in `reads`. */
export function poolFilter<K extends WorkloadField>(filter: PoolFilter<K>): PoolFilter<K> {
  return filter;
}
