// The traffic benchmark: requests/s through the cross-site gateway and failover time, in the lab.
export { runTrafficBench, type TrafficBenchOptions } from "./run";
