// Monitoring in the reference program: what each site's rules are generated from, and each
// site's store and collection (platform phase), which the cluster phase renders.
export { declareMonitoring, type MonitoringOutputs } from "./declare";
export { clusterQueues, DEFAULT_RUNBOOK, siteMetricsOf } from "./site-metrics";
export { tunnelsBySite } from "./tunnels";
