import * as pulumi from "@pulumi/pulumi";
import { AwsClusterMetrics } from "../../components/aws";
import { AzureClusterMetrics } from "../../components/azure";
import type { CommonArgs } from "../../components/kit";
import type { ClusterMetricsArgs } from "../../components/kubernetes";
import { scrapePlanOf } from "../../components/kubernetes/internal";
import {
  ampScrapeConfig,
  azureRuleGroups,
  COLLECTOR_APPS,
  renderDashboard,
  ruleFileYaml,
  type SiteMetrics,
  siteRules,
} from "../../components/monitoring";
import type { Target } from "../../components/placement";
import type { LinkTunnel } from "../../components/vpn";
import type { Sites } from "../config";
import type { VpnOutputs } from "../joins";
import type { DeclaredAwsSite, DeclaredAzureSite, DeclaredSite } from "../sites";

/** The namespace of the tunnel exporters' ServiceAccounts (components/kubernetes/metrics). */
const MONITORING_NAMESPACE = "hybrid-ai-infra-monitoring";

/** What the platform exports about monitoring, for the cluster phase and for people. */
export interface MonitoringOutputs {
  /** Per cluster (target name): what the cluster phase runs there (`ClusterMetrics`). */
  clusters: Record<string, pulumi.Input<ClusterMetricsArgs>>;
  /** Per site: its rule file, as its store evaluates it. */
  rules: Record<string, string>;
  /** The environment's Grafana dashboard (JSON). */
  dashboard: string;
  /** Per site: its store and where to query it (the usage export's query runs there). */
  stores: Record<string, pulumi.Input<{ kind: string; queryEndpoint: string }>>;
}

/** Effects a Kubernetes toleration takes. */
const EFFECTS = new Set(["NoSchedule", "PreferNoSchedule", "NoExecute"]);

/** The GPU pools of a target, and every taint they carry (the DCGM exporter tolerates them). */
function gpuPoolsOf(target: Target, keep: (pool: string) => boolean) {
  const pools = target.pools.filter((p) => (p.node.gpu?.count ?? 0) > 0 && keep(p.name));
  if (pools.length === 0) return undefined;
  const taints = pools.flatMap((p) => p.taints ?? []).filter((t) => EFFECTS.has(t.effect));
  return {
    pools: pools.map((p) => p.name),
    taints: taints as NonNullable<ClusterMetricsArgs["dcgmExporter"]>["taints"],
  };
}

/** The AWS outside address of each tunnel of the links that end at AWS, by tunnel name. */
function awsTunnelAddresses(
  vpn: VpnOutputs | undefined,
): pulumi.Output<{ tunnel: string; address: string }[]> {
  const links = Object.values(vpn?.links ?? {});
  return pulumi.all(links).apply((all: LinkTunnel[][]) =>
    all.flat().flatMap((t) => {
      const end = t.sites.indexOf("aws");
      return end < 0 ? [] : [{ tunnel: t.name, address: t.outside[end] as string }];
    }),
  );
}

/** The AWS site's store (AMP) and what its cluster runs. */
function declareAws(
  d: DeclaredAwsSite,
  m: SiteMetrics,
  at: {
    common: CommonArgs;
    rules: string;
    dashboard: string;
    vpn?: VpnOutputs | undefined;
    retentionDays?: number | undefined;
    kueue: { kueueNamespace?: string };
  },
): {
  cluster: pulumi.Input<ClusterMetricsArgs>;
  store: pulumi.Input<{ kind: string; queryEndpoint: string }>;
} {
  const tunnels = m.tunnels.length > 0;
  const base = {
    site: m.site,
    collection: "amp-scraper" as const,
    ...(gpuPoolsOf(d.target, () => true) ? { dcgmExporter: gpuPoolsOf(d.target, () => true) } : {}),
    ...at.kueue,
    scraperCidrs: [d.site.cidr],
    apiServerCidrs: [d.site.cidr],
    endpointCidrs: [d.site.cidr],
    dashboard: at.dashboard,
  };
  const metrics = new AwsClusterMetrics(
    `${d.site.name}-metrics`,
    {
      ...at.common,
      clusterArn: d.cluster.clusterArn,
      clusterName: d.cluster.clusterName,
      subnetIds: d.cluster.privateSubnetIds,
      securityGroupIds: [d.cluster.clusterSecurityGroupId],
      scrapeConfiguration: ampScrapeConfig(scrapePlanOf(base), tunnels),
      rules: at.rules,
      ...(at.retentionDays ? { retentionDays: at.retentionDays } : {}),
      ...(tunnels
        ? {
            tunnelExporter: {
              namespace: MONITORING_NAMESPACE,
              serviceAccount: COLLECTOR_APPS.cloudwatchExporter,
            },
          }
        : {}),
    },
    d.opts,
  );
  const cluster = tunnels
    ? awsTunnelAddresses(at.vpn).apply((addresses) => ({
        ...base,
        cloudwatchExporter: { region: d.site.region, tunnels: addresses },
      }))
    : base;
  return { cluster, store: metrics.prometheusEndpoint.apply((e) => ({ kind: "amp", queryEndpoint: e })) };
}

/** The Azure site's store (Azure Monitor workspace) and what its cluster runs. */
function declareAzure(
  d: DeclaredAzureSite,
  m: SiteMetrics,
  at: { common: CommonArgs; dashboard: string; kueue: { kueueNamespace?: string } },
): {
  cluster: pulumi.Input<ClusterMetricsArgs>;
  store: pulumi.Input<{ kind: string; queryEndpoint: string }>;
} {
  const gateway = d.vpn?.end.site === "azure" ? d.vpn.end.gateway : undefined;
  const tunnels = m.tunnels.length > 0 && gateway !== undefined;
  const operatorPools = new Set(
    (d.site.config.cluster.nodePools ?? []).filter((p) => p.gpuDriver === "None").map((p) => p.name),
  );
  const metrics = new AzureClusterMetrics(
    `${d.site.name}-metrics`,
    {
      ...at.common,
      resourceGroupName: d.where.resourceGroupName,
      location: d.site.region,
      clusterId: d.cluster.clusterId,
      virtualNetworkId: d.vnet.virtualNetworkId,
      endpointSubnetId: d.vnet.endpointSubnetId,
      logAnalyticsWorkspaceId: d.cluster.logAnalyticsWorkspaceId,
      ...(d.blobPrivateDnsZoneId ? { blobPrivateDnsZoneId: d.blobPrivateDnsZoneId } : {}),
      ruleGroups: azureRuleGroups(m.site, siteRules(m)),
      ...(tunnels && gateway
        ? {
            tunnelExporter: {
              oidcIssuerUrl: d.cluster.oidcIssuerUrl,
              namespace: MONITORING_NAMESPACE,
              serviceAccount: COLLECTOR_APPS.azureMetricsExporter,
              gatewayId: gateway.gatewayId,
            },
          }
        : {}),
    },
    d.opts,
  );
  const dcgm = gpuPoolsOf(d.target, (pool) => !operatorPools.has(pool));
  const base = {
    site: m.site,
    collection: "azure-monitor" as const,
    ...(dcgm ? { dcgmExporter: dcgm } : {}),
    ...(operatorPools.size > 0 ? { gpuOperatorExporter: true } : {}),
    ...at.kueue,
    apiServerCidrs: [d.site.addressSpace],
    dashboard: at.dashboard,
  };
  const cluster =
    tunnels && gateway
      ? pulumi
          .all([metrics.tunnelExporterClientId, metrics.tenantId, metrics.subscriptionId, gateway.gatewayId])
          .apply(([clientId, tenantId, subscriptionId, gatewayId]) => ({
            ...base,
            azureMetricsExporter: { clientId: clientId ?? "", tenantId, subscriptionId, gatewayId },
          }))
      : base;
  return {
    cluster,
    store: metrics.queryEndpoint.apply((e) => ({ kind: "azure-monitor", queryEndpoint: e })),
  };
}

/**
 * Monitoring for every site: the rules generated from placement, one dashboard for the
 * environment, each cloud's store with its private paths (AMP on AWS, Azure Monitor managed
 * Prometheus on Azure), and, for every cluster, what the cluster phase runs to feed its store
 * (on-premises: a Prometheus writing to the store config names).
 */
export function declareMonitoring(
  sites: Sites,
  common: CommonArgs,
  declared: DeclaredSite[],
  metrics: SiteMetrics[],
  joins: { vpn: VpnOutputs | undefined; kueueNamespaces: Record<string, string> },
): MonitoringOutputs | undefined {
  const { vpn } = joins;
  // Kueue's namespace where the cluster has queues: its controller is scraped there.
  const kueue = (m: SiteMetrics) =>
    m.queues.length > 0 ? { kueueNamespace: joins.kueueNamespaces[m.site] ?? "kueue-system" } : {};
  const monitoring = sites.config.monitoring;
  if (monitoring?.enabled === false || metrics.length === 0) return undefined;
  const rules = Object.fromEntries(
    metrics.map((m) => [
      m.site,
      ruleFileYaml(
        siteRules(m),
        `Generated by hybrid-ai-infra for site ${m.site} from the placement decision. Do not edit.`,
      ),
    ]),
  );
  const dashboard = JSON.stringify(
    renderDashboard(
      sites.config.environment,
      metrics.map((m) => ({ site: m.site, rules: siteRules(m) })),
    ),
    null,
    2,
  );
  const outputs: MonitoringOutputs = { clusters: {}, rules, dashboard, stores: {} };
  for (const d of declared) {
    const m = metrics.find((x) => x.site === d.target.name);
    if (!m) continue;
    let declaredSite: {
      cluster: pulumi.Input<ClusterMetricsArgs>;
      store: pulumi.Input<{ kind: string; queryEndpoint: string }>;
    };
    if (d.site.kind === "aws")
      declaredSite = declareAws(d as DeclaredAwsSite, m, {
        common,
        rules: rules[m.site] as string,
        dashboard,
        vpn,
        retentionDays: monitoring?.aws?.retentionDays,
        kueue: kueue(m),
      });
    else if (d.site.kind === "azure")
      declaredSite = declareAzure(d as DeclaredAzureSite, m, { common, dashboard, kueue: kueue(m) });
    else
      declaredSite = onPremMetrics(d, m, {
        rules: rules[m.site] as string,
        dashboard,
        monitoring,
        kueue: kueue(m),
      });
    outputs.clusters[m.site] = declaredSite.cluster;
    outputs.stores[m.site] = declaredSite.store;
  }
  return outputs;
}

/** The on-premises cluster's Prometheus, writing to the store config names. */
function onPremMetrics(
  d: DeclaredSite,
  m: SiteMetrics,
  at: {
    rules: string;
    dashboard: string;
    monitoring: Sites["config"]["monitoring"];
    kueue: { kueueNamespace?: string };
  },
): { cluster: ClusterMetricsArgs; store: { kind: string; queryEndpoint: string } } {
  const store = at.monitoring?.onprem;
  if (!store) throw new Error(`monitoring.onprem is missing; the config check should have said so`);
  const site = d.site.kind === "onprem" ? d.site : undefined;
  const dcgm = store.gpuOperator ? undefined : gpuPoolsOf(d.target, () => true);
  return {
    cluster: {
      site: m.site,
      collection: "prometheus",
      ...(dcgm ? { dcgmExporter: dcgm } : {}),
      ...(store.gpuOperator ? { gpuOperatorExporter: true } : {}),
      ...at.kueue,
      prometheus: {
        remoteWriteUrl: store.remoteWriteUrl,
        ...(store.alertmanagerUrl ? { alertmanagerUrl: store.alertmanagerUrl } : {}),
        ...(store.caPem ? { caPem: store.caPem } : {}),
        rules: at.rules,
      },
      // The API server's address is the site's own; without a network in config, any.
      apiServerCidrs: [site?.networkCidr ?? "0.0.0.0/0"],
      dashboard: at.dashboard,
    },
    store: { kind: "prometheus", queryEndpoint: store.remoteWriteUrl },
  };
}
