// The collectors' images, pinned so a deploy repeats. They drift outside this library: each line
// says where to check for a newer release; override through `ClusterMetricsArgs.images`. nvcr.io
// and quay.io are not ECR pull-through upstreams: a cluster without internet egress needs them
// copied to a registry it reaches (as the device plugin's).

export const METRICS_IMAGES = {
  /** https://github.com/kubernetes/kube-state-metrics/releases (v2.20.0, client-go 1.36). */
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0",
  /** https://github.com/NVIDIA/dcgm-exporter/releases (DCGM 4.5.3, exporter 4.8.2). */
  dcgmExporter: "nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless",
  /** https://github.com/prometheus-community/yet-another-cloudwatch-exporter/releases */
  cloudwatchExporter: "quay.io/prometheuscommunity/yet-another-cloudwatch-exporter:v0.67.0",
  /** https://github.com/webdevops/azure-metrics-exporter/releases */
  azureMetricsExporter: "quay.io/webdevops/azure-metrics-exporter:25.12.0",
  /** https://github.com/prometheus/prometheus/releases */
  prometheus: "quay.io/prometheus/prometheus:v3.14.0",
} as const;

export type MetricsImage = keyof typeof METRICS_IMAGES;

/** Where the collectors run (the DCGM exporter, a node agent, runs in kube-system beside the device plugin). */
export const METRICS_NAMESPACE = "hybrid-ai-infra-monitoring";
