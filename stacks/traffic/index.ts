// Cross-site traffic in the reference stacks: the plan (from config, catalog and placement), the
// names each site answers (platform phase) and each cluster's gateway (cluster phase).
export { declareServiceNames, type TrafficOutputs } from "./dns";
export { entryRangeOf, planStackTraffic, type StackTraffic, trafficSitesOf } from "./plan";
