import { stringify } from "yaml";
import { JOBS } from "./names";

// The scrape jobs that feed the rules, as Prometheus configuration: AMP's managed scraper, the
// AKS metrics add-on's custom-job ConfigMap and the on-premises Prometheus all read this syntax.
// Targets are found with Kubernetes service discovery by their pods' labels; the GPU exporters get
// their node as `node` and no pod or namespace target labels, since the pod and namespace on their
// samples name the GPU's user, not the exporter.

/** Where the collectors the library runs are, and which label and port name each exposes. */
export interface CollectorLocations {
  /** The namespace of kube-state-metrics and the cloud exporters. */
  namespace: string;
  /** The namespace of the library's DCGM exporter. */
  dcgmNamespace: string;
}

/** A GPU operator's own DCGM exporter, scraped instead of the library's on the pools it manages. */
export interface GpuOperatorExporter {
  namespace: string;
  /** Its pods' `app` label. */
  app: string;
  /** The container port's name. */
  port: string;
}

/** NVIDIA's GPU operator ClusterPolicy default: DaemonSet `nvidia-dcgm-exporter`, port `gpu-metrics`. */
export const GPU_OPERATOR_EXPORTER: GpuOperatorExporter = {
  namespace: "gpu-operator",
  app: "nvidia-dcgm-exporter",
  port: "gpu-metrics",
};

/** The app label of each collector the library runs. */
export const COLLECTOR_APPS = {
  kubeStateMetrics: "kube-state-metrics",
  dcgmExporter: "dcgm-exporter",
  cloudwatchExporter: "cloudwatch-exporter",
  azureMetricsExporter: "azure-metrics-exporter",
  prometheus: "prometheus",
} as const;

type Job = Record<string, unknown>;

const TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** Pods of one app in one namespace, on one named port. */
function podJob(name: string, namespace: string, label: string, port: string, extra: Job = {}): Job {
  return {
    job_name: name,
    kubernetes_sd_configs: [
      { role: "pod", namespaces: { names: [namespace] }, selectors: [{ role: "pod", label }] },
    ],
    ...extra,
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: port, action: "keep" },
      ...((extra.relabel_configs as Job[] | undefined) ?? []),
    ],
  };
}

/** kube-state-metrics, the library's own. */
export function kubeStateMetricsJob(at: CollectorLocations): Job {
  return podJob(
    JOBS.kubeStateMetrics,
    at.namespace,
    `app.kubernetes.io/name=${COLLECTOR_APPS.kubeStateMetrics}`,
    "http-metrics",
  );
}

/** The DCGM exporters: the library's, and a GPU operator's where one runs. */
export function dcgmJobs(at: CollectorLocations, operator?: GpuOperatorExporter): Job[] {
  const node = {
    relabel_configs: [{ source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" }],
  };
  const jobs = [
    podJob(
      JOBS.dcgmExporter,
      at.dcgmNamespace,
      `app.kubernetes.io/name=${COLLECTOR_APPS.dcgmExporter}`,
      "metrics",
      node,
    ),
  ];
  if (operator)
    jobs.push(
      podJob(`${JOBS.dcgmExporter}-gpu-operator`, operator.namespace, `app=${operator.app}`, operator.port, {
        ...node,
        // One job name for both, so the rules' `up{job="dcgm-exporter"}` sees every GPU node.
        relabel_configs: [...node.relabel_configs, { target_label: "job", replacement: JOBS.dcgmExporter }],
      }),
    );
  return jobs;
}

/** cAdvisor's two series the rules read; the rest of its output is dropped at the scrape. */
const CADVISOR_KEEP = [
  {
    source_labels: ["__name__"],
    regex: "container_cpu_usage_seconds_total|container_memory_working_set_bytes",
    action: "keep",
  },
];

/**
 * cAdvisor. AMP's scraper has no route to the kubelets, so it goes through the API server's node
 * proxy with its own identity. An in-cluster Prometheus reads each kubelet directly, as
 * kube-prometheus does, so its role needs only `nodes/metrics`, never `nodes/proxy` (which reaches
 * the whole kubelet API); it verifies the kubelet's serving certificate against the cluster CA, so
 * kubelets need CA-signed serving certificates (kubeadm's `serverTLSBootstrap`).
 */
export function cadvisorJob(inCluster = false): Job {
  const node = { source_labels: ["__meta_kubernetes_node_name"], target_label: "node" };
  if (inCluster)
    return {
      job_name: JOBS.cadvisor,
      scheme: "https",
      metrics_path: "/metrics/cadvisor",
      authorization: { credentials_file: TOKEN },
      tls_config: { ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
      // Node discovery's address is the node's InternalIP at the kubelet's port (10250).
      kubernetes_sd_configs: [{ role: "node" }],
      relabel_configs: [node],
      metric_relabel_configs: CADVISOR_KEEP,
    };
  return {
    job_name: JOBS.cadvisor,
    scheme: "https",
    authorization: { credentials_file: TOKEN },
    kubernetes_sd_configs: [{ role: "node" }],
    relabel_configs: [
      { replacement: "kubernetes.default.svc:443", target_label: "__address__" },
      {
        source_labels: ["__meta_kubernetes_node_name"],
        regex: "(.+)",
        target_label: "__metrics_path__",
        replacement: "/api/v1/nodes/$1/proxy/metrics/cadvisor",
      },
      node,
    ],
    metric_relabel_configs: CADVISOR_KEEP,
  };
}

/**
 * Kueue's controller metrics (`kueue-controller-manager-metrics-service`, port `https`, token
 * authorised through its `metrics-reader` ClusterRole). Kueue serves them with its own internal
 * certificate, which no scraper has the CA of, so the certificate is not verified; the token is
 * still checked by Kueue.
 */
export function kueueJob(namespace: string): Job {
  return {
    job_name: JOBS.kueue,
    scheme: "https",
    authorization: { credentials_file: TOKEN },
    tls_config: { insecure_skip_verify: true },
    kubernetes_sd_configs: [{ role: "endpoints", namespaces: { names: [namespace] } }],
    relabel_configs: [
      {
        source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"],
        regex: "kueue-controller-manager-metrics-service;https",
        action: "keep",
      },
    ],
  };
}

/** The CloudWatch exporter (AWS tunnel state); it polls CloudWatch every 5 minutes itself. */
export function cloudwatchExporterJob(at: CollectorLocations): Job {
  return podJob(
    JOBS.cloudwatchExporter,
    at.namespace,
    `app.kubernetes.io/name=${COLLECTOR_APPS.cloudwatchExporter}`,
    "http",
    {
      scrape_interval: "60s",
    },
  );
}

/** azure-metrics-exporter probing the VPN gateway's BGP peers (Azure tunnel state). */
export function azureGatewayJob(
  at: CollectorLocations,
  gateway: { subscriptionId: string; gatewayId: string },
): Job {
  return podJob(
    JOBS.azureMetricsExporter,
    at.namespace,
    `app.kubernetes.io/name=${COLLECTOR_APPS.azureMetricsExporter}`,
    "http",
    {
      scrape_interval: "60s",
      scrape_timeout: "50s",
      metrics_path: "/probe/metrics/resource",
      params: {
        name: ["azure_vpn_gateway"],
        subscription: [gateway.subscriptionId],
        target: [gateway.gatewayId],
        metric: ["BgpPeerStatus"],
        aggregation: ["average"],
        interval: ["PT5M"],
        timespan: ["PT5M"],
        metricFilter: ["BgpPeerAddress eq '*'"],
      },
    },
  );
}

/** A Prometheus configuration document as YAML. */
export function prometheusConfigYaml(config: Record<string, unknown>): string {
  return stringify(config, { lineWidth: 0 });
}

/** What a site's scrape configuration covers. */
export interface ScrapePlan {
  /** The cluster's name, as every series' `cluster` label. */
  cluster: string;
  at: CollectorLocations;
  /** Scrape the library's DCGM exporter (there are GPU pools it runs on). */
  dcgm: boolean;
  /** Scrape a GPU operator's exporter too (GPU pools whose drivers the operator manages). */
  gpuOperator?: GpuOperatorExporter | undefined;
  /** Scrape Kueue in this namespace (the cluster has queues). */
  kueue?: string | undefined;
}

/** The GPU exporter jobs a plan asks for. */
function gpuJobs(plan: ScrapePlan): Job[] {
  const jobs = dcgmJobs(plan.at, plan.gpuOperator);
  return [...(plan.dcgm ? jobs.slice(0, 1) : []), ...(plan.gpuOperator ? jobs.slice(1) : [])];
}

/**
 * AMP's managed scraper on an EKS cluster: kube-state-metrics, cAdvisor, the GPU exporters, Kueue
 * and the CloudWatch exporter. It takes Kubernetes service discovery and the scraper's own token
 * only, and scrapes no faster than every 30 s.
 */
export function ampScrapeConfig(plan: ScrapePlan, tunnels: boolean): string {
  return prometheusConfigYaml({
    global: { scrape_interval: "30s", external_labels: { cluster: plan.cluster } },
    scrape_configs: [
      kubeStateMetricsJob(plan.at),
      cadvisorJob(),
      ...gpuJobs(plan),
      ...(plan.kueue ? [kueueJob(plan.kueue)] : []),
      ...(tunnels ? [cloudwatchExporterJob(plan.at)] : []),
    ],
  });
}

/**
 * The custom jobs of AKS's metrics add-on (ConfigMap `ama-metrics-prometheus-config`, key
 * `prometheus-config`): kube-state-metrics and cAdvisor are the add-on's default targets.
 */
export function amaMetricsScrapeConfig(
  plan: ScrapePlan,
  gateway?: { subscriptionId: string; gatewayId: string },
): string {
  return prometheusConfigYaml({
    global: { scrape_interval: "30s" },
    scrape_configs: [
      ...gpuJobs(plan),
      ...(plan.kueue ? [kueueJob(plan.kueue)] : []),
      ...(gateway ? [azureGatewayJob(plan.at, gateway)] : []),
    ],
  });
}

/** Where an on-premises Prometheus sends its samples and its alerts. */
export interface RemoteStore {
  remoteWriteUrl: string;
  /** Mounted secret file holding a bearer token for the store, if it wants one. */
  bearerTokenFile?: string | undefined;
  /** Mounted CA file the store's certificate is checked against, if not a public CA. */
  caFile?: string | undefined;
  /** Alertmanager to send alerts to, as `scheme://host[:port]` (with an optional path prefix). */
  alertmanagerUrl?: string | undefined;
}

/** The Alertmanager block for a URL. */
function alerting(url: string): Job {
  const parsed = new URL(url);
  return {
    alertmanagers: [
      {
        scheme: parsed.protocol.replace(":", ""),
        ...(parsed.pathname && parsed.pathname !== "/" ? { path_prefix: parsed.pathname } : {}),
        static_configs: [{ targets: [parsed.host] }],
      },
    ],
  };
}

/**
 * The on-premises Prometheus: it scrapes like AMP's scraper, evaluates the site's rules itself
 * (`rulesDir`), sends alerts to the site's Alertmanager, and remote-writes every sample and
 * record to the site's store.
 */
export function onPremPrometheusConfig(plan: ScrapePlan, store: RemoteStore, rulesDir: string): string {
  const tls = store.caFile
    ? { tls_config: { ca_file: store.caFile, min_version: "TLS12" } }
    : { tls_config: { min_version: "TLS12" } };
  return prometheusConfigYaml({
    global: { scrape_interval: "30s", evaluation_interval: "1m", external_labels: { cluster: plan.cluster } },
    rule_files: [`${rulesDir}/*.yml`],
    ...(store.alertmanagerUrl ? { alerting: alerting(store.alertmanagerUrl) } : {}),
    remote_write: [
      {
        url: store.remoteWriteUrl,
        ...(store.bearerTokenFile ? { authorization: { credentials_file: store.bearerTokenFile } } : {}),
        ...tls,
      },
    ],
    scrape_configs: [
      kubeStateMetricsJob(plan.at),
      cadvisorJob(true),
      ...gpuJobs(plan),
      ...(plan.kueue ? [kueueJob(plan.kueue)] : []),
    ],
  });
}
