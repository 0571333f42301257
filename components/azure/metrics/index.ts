// An AKS cluster's metrics store and its private paths (Azure Monitor managed Prometheus).
export { AMPLS_PRIVATE_DNS_ZONES, type AzureClusterMetricsArgs, prometheusQueryZone } from "./args";
export { AzureClusterMetrics } from "./azure-cluster-metrics";
