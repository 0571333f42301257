import {
  amaMetricsScrapeConfig,
  COLLECTOR_APPS,
  type CollectorLocations,
  GPU_OPERATOR_EXPORTER,
  onPremPrometheusConfig,
  type ScrapePlan,
} from "../../monitoring";
import { MANAGED_BY } from "../labels";
import { renderAmaMetricsConfig } from "./aks";
import type { ClusterMetricsArgs } from "./args";
import {
  renderAzureMetricsExporter,
  renderCloudwatchExporter,
  renderDcgmExporter,
  renderKubeStateMetrics,
} from "./collectors";
import { METRICS_IMAGES, METRICS_NAMESPACE, type MetricsImage } from "./images";
import {
  type MetricsNetwork,
  renderDcgmPolicy,
  renderKueueScrapePolicy,
  renderNetworkPolicies,
  type ScraperSource,
  toApiServer,
  toCidrs,
  toPods,
  toPublicHttps,
} from "./network";
import { appLabels, configMap, type KubeObject } from "./objects";
import { PROMETHEUS_PATHS, renderPrometheus } from "./prometheus";

export type { KubeObject };

/** The namespace the DCGM exporter runs in: beside the device plugin, which admits host paths. */
const DCGM_NAMESPACE = "kube-system";

/** Where the collectors are, as the scrape jobs find them. */
export const COLLECTOR_LOCATIONS: CollectorLocations = {
  namespace: METRICS_NAMESPACE,
  dcgmNamespace: DCGM_NAMESPACE,
};

/** The scrape plan of a cluster's args, as the platform phase's AMP scraper reads it too. */
export function scrapePlanOf(
  args: Pick<ClusterMetricsArgs, "site" | "dcgmExporter" | "gpuOperatorExporter" | "kueueNamespace">,
): ScrapePlan {
  return {
    cluster: args.site,
    at: COLLECTOR_LOCATIONS,
    dcgm: args.dcgmExporter !== undefined,
    gpuOperator: args.gpuOperatorExporter ? GPU_OPERATOR_EXPORTER : undefined,
    kueue: args.kueueNamespace,
  };
}

/** Who scrapes this cluster's collectors. */
function scraperOf(args: ClusterMetricsArgs): ScraperSource {
  if (args.collection === "azure-monitor")
    return { pods: { namespace: "kube-system", labels: { rsName: "ama-metrics" } } };
  if (args.collection === "prometheus")
    return {
      pods: { namespace: METRICS_NAMESPACE, labels: { "app.kubernetes.io/name": COLLECTOR_APPS.prometheus } },
    };
  return { cidrs: args.scraperCidrs ?? [] };
}

/** The Grafana dashboard, as the Grafana chart's sidecar finds it (label `grafana_dashboard: "1"`). */
function dashboardConfigMap(args: ClusterMetricsArgs): KubeObject {
  const map = configMap("hybrid-ai-infra-dashboard", METRICS_NAMESPACE, "grafana-dashboard", {
    "hybrid-ai-infra.json": args.dashboard,
  });
  return {
    ...map,
    metadata: { ...map.metadata, labels: { ...map.metadata.labels, grafana_dashboard: "1" } },
  };
}

/** The Secret holding the remote store's CA (and, added by the component, its token). */
function storeSecret(args: ClusterMetricsArgs, token: boolean): KubeObject | undefined {
  const caPem = args.prometheus?.caPem;
  if (!token && !caPem) return undefined;
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: "prometheus-store",
      namespace: METRICS_NAMESPACE,
      labels: appLabels(COLLECTOR_APPS.prometheus),
    },
    type: "Opaque",
    stringData: caPem ? { "ca.crt": caPem } : {},
  };
}

/** The port of a URL (its scheme's default when none is written). */
function portOf(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "http:" ? 80 : 443;
}

/**
 * Every object one cluster's metrics need, in the order they are created: the namespace, the
 * collectors, the scraper's configuration, the network policies and the dashboard. `token` says
 * whether the remote store's bearer token will be added to the store Secret.
 */
export function renderClusterMetrics(args: ClusterMetricsArgs, token = false): KubeObject[] {
  const image = (key: MetricsImage) => args.images?.[key] ?? METRICS_IMAGES[key];
  const plan = scrapePlanOf(args);
  const objects: KubeObject[] = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: METRICS_NAMESPACE,
        labels: {
          ...MANAGED_BY,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    },
  ];
  const network: MetricsNetwork = {
    namespace: METRICS_NAMESPACE,
    scraper: scraperOf(args),
    apiServerCidrs: args.apiServerCidrs,
    collectors: [],
    egress: {},
    dns: args.dns,
  };
  // AKS's add-on runs its own kube-state-metrics (the allowlist is set on the cluster).
  if (args.collection !== "azure-monitor") {
    objects.push(...renderKubeStateMetrics(METRICS_NAMESPACE, image("kubeStateMetrics")));
    network.collectors.push({ app: COLLECTOR_APPS.kubeStateMetrics, port: 8080 });
    network.egress[COLLECTOR_APPS.kubeStateMetrics] = [toApiServer(args.apiServerCidrs)];
  }
  if (args.dcgmExporter)
    objects.push(
      renderDcgmExporter(
        DCGM_NAMESPACE,
        image("dcgmExporter"),
        args.dcgmExporter.pools,
        args.dcgmExporter.taints,
      ),
      renderDcgmPolicy(DCGM_NAMESPACE, network.scraper),
    );
  const cw = args.cloudwatchExporter;
  if (cw) {
    objects.push(
      ...renderCloudwatchExporter(METRICS_NAMESPACE, image("cloudwatchExporter"), cw.region, cw.tunnels),
    );
    network.collectors.push({ app: COLLECTOR_APPS.cloudwatchExporter, port: 5000 });
    // CloudWatch and STS through the VPC's interface endpoints; credentials from the Pod Identity agent.
    network.egress[COLLECTOR_APPS.cloudwatchExporter] = [
      toCidrs(args.endpointCidrs ?? args.apiServerCidrs, 443),
      toCidrs(["169.254.170.23/32"], 80),
    ];
  }
  const az = args.azureMetricsExporter;
  if (az) {
    objects.push(...renderAzureMetricsExporter(METRICS_NAMESPACE, image("azureMetricsExporter"), az));
    network.collectors.push({ app: COLLECTOR_APPS.azureMetricsExporter, port: 8080 });
    network.egress[COLLECTOR_APPS.azureMetricsExporter] = [toPublicHttps()];
  }
  if (args.collection === "azure-monitor")
    objects.push(
      ...renderAmaMetricsConfig(
        amaMetricsScrapeConfig(
          plan,
          az ? { subscriptionId: az.subscriptionId, gatewayId: az.gatewayId } : undefined,
        ),
      ),
    );
  const prom = args.prometheus;
  if (args.collection === "prometheus") {
    if (!prom)
      throw new Error(`ClusterMetrics ${args.site}: collection "prometheus" needs prometheus settings`);
    const secret = storeSecret(args, token);
    if (secret) objects.push(secret);
    const config = onPremPrometheusConfig(
      plan,
      {
        remoteWriteUrl: prom.remoteWriteUrl,
        ...(token ? { bearerTokenFile: `${PROMETHEUS_PATHS.secret}/token` } : {}),
        ...(prom.caPem ? { caFile: `${PROMETHEUS_PATHS.secret}/ca.crt` } : {}),
        ...(prom.alertmanagerUrl ? { alertmanagerUrl: prom.alertmanagerUrl } : {}),
      },
      PROMETHEUS_PATHS.rules,
    );
    objects.push(
      ...renderPrometheus({
        namespace: METRICS_NAMESPACE,
        image: image("prometheus"),
        config,
        rules: prom.rules,
        storeSecret: secret?.metadata.name,
        retention: prom.retention ?? "2d",
      }),
    );
    network.collectors.push({ app: COLLECTOR_APPS.prometheus, port: 9090 });
    // The API server, the collectors on their ports (Kueue's 8443 too), the store and the Alertmanager.
    const outside = [
      portOf(prom.remoteWriteUrl),
      ...(prom.alertmanagerUrl ? [portOf(prom.alertmanagerUrl)] : []),
    ];
    network.egress[COLLECTOR_APPS.prometheus] = [
      toApiServer(args.apiServerCidrs),
      // The kubelets (cAdvisor), on the site's network with the API server.
      toCidrs(args.apiServerCidrs, 10250),
      toPods([8080, 9400, 8443]),
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0" } }],
        ports: [...new Set(outside)].map((port) => ({ protocol: "TCP", port })),
      },
    ];
  }
  if (args.kueueNamespace) objects.push(renderKueueScrapePolicy(args.kueueNamespace, network.scraper));
  objects.push(...renderNetworkPolicies(network), dashboardConfigMap(args));
  return objects;
}
