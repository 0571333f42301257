// The policy benchmark: the time to evaluate each stack's plan with the pack.
export { type PolicyBenchOptions, runPolicyBench } from "./run";
