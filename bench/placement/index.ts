// The placement benchmark's door: `runPlacementBench` and the pieces tests may reuse.
export { type BenchOptions, runPlacementBench } from "./run";
