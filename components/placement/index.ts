// hybrid-ai-infra/placement: the placement engine. It imports nothing from Pulumi.
export { ConfigError, type ConfigIssue } from "../validation";
export {
  type DataCopyPurpose,
  type DataSubject,
  dataCopyRejection,
} from "./data-rules";
export { checkDecision, type Decision } from "./decision";
export { type Eligibility, eligibility } from "./eligibility";
export { mayRunOnPublic, type TrustPlace, type TrustSubject, trustRejection } from "./filters/trust";
export { place } from "./place";
export { CLASSIFICATIONS, MAX_REPLICAS, TRUSTS } from "./schema";
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
