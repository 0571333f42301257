// The cluster phase of monitoring: the collectors each cluster runs and the configuration each
// cluster's scraper reads, as one component.

export {
  ClusterMetrics,
  type ClusterMetricsArgs,
  type ClusterMetricsOptions,
  renderClusterMetrics,
} from "./cluster-metrics";
export type { CloudwatchTunnel } from "./collectors";
export { METRICS_IMAGES, METRICS_NAMESPACE, type MetricsImage } from "./images";
export type { KubeObject } from "./objects";
export { scrapePlanOf } from "./render";
