// The data copy benchmark: rclone throughput of the rendered copy program and the verify step's cost.
export { type DataBenchOptions, runDataBench } from "./run";
