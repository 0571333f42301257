import type { KubeObject } from "./objects";

// AKS's managed Prometheus add-on (ama-metrics) reads two ConfigMaps in kube-system: custom scrape
// jobs (`ama-metrics-prometheus-config`, key `prometheus-config`, run by its ReplicaSet) and its
// settings (`ama-metrics-settings-configmap`), whose keep list is added to the minimal ingestion
// profile (Azure/prometheus-collector, tomlparser-default-targets-metrics-keep-list.go).

/**
 * The kube-state-metrics series the rules read that the add-on's minimal profile drops
 * (`kubestateRegex_minimal_mac` keeps requests, allocatable, phases, pod info and every
 * `kube_*_labels`, not these).
 */
export const AKS_KUBESTATE_KEEP = [
  "kube_pod_status_unschedulable",
  "kube_cronjob_created",
  "kube_cronjob_status_last_successful_time",
];

/** Labels the add-on's objects carry, and the ones the library adds. */
const labels = { "app.kubernetes.io/managed-by": "hybrid-ai-infra" };

/** The add-on's two ConfigMaps: the library's custom jobs, and its settings. */
export function renderAmaMetricsConfig(scrapeConfig: string): KubeObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ama-metrics-prometheus-config", namespace: "kube-system", labels },
      data: { "prometheus-config": scrapeConfig },
    },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "ama-metrics-settings-configmap", namespace: "kube-system", labels },
      data: {
        "schema-version": "v1",
        "config-version": "hai-1",
        // Only the keys changed here; the add-on keeps its defaults for the rest.
        "default-scrape-settings-enabled": [
          // AKS's own DCGM target (managed GPU nodes, port 19400) keeps no pod or namespace: the
          // library's exporter is scraped instead, through the custom jobs above.
          "dcgmexporter = false",
        ].join("\n"),
        "default-targets-metrics-keep-list": `kubestate = "${AKS_KUBESTATE_KEEP.join("|")}"`,
      },
    },
  ];
}
