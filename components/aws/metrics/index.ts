// An EKS cluster's metrics store and collection (AMP workspace, managed scraper, rules, alerts).
export { AWS_METRICS_DEFAULTS, type AwsClusterMetricsArgs, METRICS_INTERFACE_ENDPOINTS } from "./args";
export { AwsClusterMetrics, alertManagerDefinition } from "./aws-cluster-metrics";
