import { z } from "zod";
import { taintSchema } from "../../facts";
import { dnsLabelSchema, ipv4Cidr, nameSchema } from "../../validation";
import { type ClusterDns, clusterDnsSchema } from "../cluster-facts";
import { PINNED_IMAGE } from "../spec";
import { METRICS_IMAGES, type MetricsImage } from "./images";

/**
 * What one cluster runs to feed its site's store, decided by the platform phase (where the store
 * is created) and read by the cluster phase, as plain data. Each cluster component's site in the
 * reference stack fills it; `renderClusterMetrics` turns it into objects.
 */
export interface ClusterMetricsArgs {
  /** The site's name (its placement target), as every record's `site` label and the `cluster` label. */
  site: string;
  /**
   * How metrics reach the site's store: AMP's managed scraper (EKS), the AKS metrics add-on
   * (Azure Monitor managed Prometheus), or a Prometheus in the cluster remote-writing to the
   * site's store (on-premises).
   */
  collection: "amp-scraper" | "azure-monitor" | "prometheus";
  /** The DCGM exporter on these GPU pools (whose drivers the library's node image provides), tolerating their taints. */
  dcgmExporter?: {
    pools: string[];
    taints: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  };
  /** Scrape a GPU operator's own DCGM exporter too (pools whose drivers the operator manages). */
  gpuOperatorExporter?: boolean;
  /** Kueue runs in the cluster, in this namespace: scrape its controller (and let the scraper into the namespace). */
  kueueNamespace?: string;
  /** AWS: the CloudWatch exporter for the site's tunnels (its role is bound by EKS Pod Identity). */
  cloudwatchExporter?: { region: string; tunnels: { tunnel: string; address: string }[] };
  /** Azure: azure-metrics-exporter for the VPN gateway, running as this managed identity (workload identity). */
  azureMetricsExporter?: { clientId: string; tenantId: string; subscriptionId: string; gatewayId: string };
  /** On-premises: the Prometheus that evaluates the site's rules and remote-writes to its store. */
  prometheus?: {
    /** The store's remote-write URL (https). */
    remoteWriteUrl: string;
    /** The site's Alertmanager, if alerts should go somewhere. */
    alertmanagerUrl?: string;
    /** The store's CA certificate (PEM), when it is not signed by a public CA. */
    caPem?: string;
    /** The site's rule file. */
    rules: string;
    /** How long samples stay in the cluster (the store keeps them); default 2d. */
    retention?: string;
  };
  /** Who scrapes the collectors when it is not a pod in the cluster: AMP's scraper interfaces' networks (the VPC). */
  scraperCidrs?: string[];
  /** The cluster's network: the API server (443, 6443) and, for an in-cluster Prometheus, the kubelets (10250); collectors reach nothing else there. */
  apiServerCidrs: string[];
  /** Private addresses of the cloud APIs the tunnel exporter calls (the VPC's interface endpoints). */
  endpointCidrs?: string[];
  /** The environment's Grafana dashboard (JSON), published as a ConfigMap for Grafana's dashboard sidecar. */
  dashboard: string;
  /** Images by collector, pinned; default `METRICS_IMAGES`. */
  images?: Partial<Record<MetricsImage, string>>;
  /** The DNS the cluster's pods query (a cluster the library did not build); default CoreDNS in kube-system. */
  dns?: ClusterDns;
}

/** `ClusterMetricsArgs` as zod checks it. */
export const clusterMetricsSchema = z.strictObject({
  site: nameSchema,
  dns: clusterDnsSchema.optional(),
  collection: z.enum(["amp-scraper", "azure-monitor", "prometheus"]),
  dcgmExporter: z
    .strictObject({ pools: z.array(nameSchema).min(1), taints: z.array(taintSchema) })
    .optional(),
  gpuOperatorExporter: z.boolean().optional(),
  kueueNamespace: dnsLabelSchema.optional(),
  cloudwatchExporter: z
    .strictObject({
      region: z.string().min(1),
      tunnels: z.array(z.strictObject({ tunnel: nameSchema, address: z.ipv4() })).min(1),
    })
    .optional(),
  azureMetricsExporter: z
    .strictObject({
      clientId: z.guid(),
      tenantId: z.guid(),
      subscriptionId: z.guid(),
      gatewayId: z
        .string()
        .regex(
          /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworkGateways\/[^/]+$/i,
          "is not a virtual network gateway resource id",
        ),
    })
    .optional(),
  prometheus: z
    .strictObject({
      remoteWriteUrl: z.url({ protocol: /^https$/, error: "is not an https URL" }),
      alertmanagerUrl: z.url({ protocol: /^https?$/ }).optional(),
      caPem: z
        .string()
        .includes("-----BEGIN CERTIFICATE-----", { error: "is not a PEM certificate" })
        .optional(),
      rules: z.string().min(1),
      retention: z
        .string()
        .regex(/^\d+[dhw]$/)
        .optional(),
    })
    .optional(),
  scraperCidrs: z.array(ipv4Cidr()).optional(),
  apiServerCidrs: z.array(ipv4Cidr()).min(1),
  endpointCidrs: z.array(ipv4Cidr()).optional(),
  dashboard: z.string().min(2),
  images: z
    .partialRecord(z.enum(Object.keys(METRICS_IMAGES) as [MetricsImage, ...MetricsImage[]]), PINNED_IMAGE)
    .optional(),
});
