// The plan at fleet scale: a generated 20-cluster, 2,000-workload program, timed by part.
export { type FleetBenchOptions, runFleetBench } from "./run";
