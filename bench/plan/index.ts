// The plan benchmark: wall time, memory and size of the offline plan per stack.
export { type PlanBenchOptions, runPlanBench } from "./run";
