// The placement engine's door. It imports nothing from Pulumi.
export type {
  Assignment,
  Classification,
  Cloud,
  PlacementInput,
  PlacementLock,
  PlacementResult,
  Pool,
  Taint,
  Target,
  Trust,
  Workload,
  WorkloadKind,
} from "./types";
