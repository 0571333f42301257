// The placement benchmark's door: the runner, and the independent checks tests reuse.
export { exhaustive, type Optimum } from "./exhaustive";
export { allowedPools, brokenRule, capacity, egressPerReplica } from "./rules";
export { type BenchOptions, runPlacementBench } from "./run";
export { type Plan, type Verdict, verify } from "./verifier";
