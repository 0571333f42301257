// The placement engine's door. It imports nothing from Pulumi.
export { checkDecision, type Decision } from "./decision";
export { place } from "./place";
export {
  CLASSIFICATIONS,
  MAX_REPLICAS,
  TRUSTS,
  workloadSchema,
} from "./schema";
export type {
  Assignment,
  Classification,
  Cloud,
  Explanation,
  PlacementInput,
  PlacementLock,
  PlacementOptions,
  PlacementResult,
  Pool,
  PoolPacking,
  Rejection,
  RejectionCode,
  RejectionRule,
  SolverReport,
  Taint,
  Target,
  Trust,
  Unplaced,
  Workload,
  WorkloadKind,
} from "./types";
export { PLACEMENT_SUBJECT, validatePlacementInput } from "./validate";
