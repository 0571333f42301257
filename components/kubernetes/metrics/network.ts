import { COLLECTOR_APPS } from "../../monitoring";
import { type ClusterDns, dnsEgressRule } from "../cluster-facts";
import { MANAGED_BY } from "../labels";
import type { KubeObject } from "./objects";

// The monitoring namespace denies all traffic but what each collector needs: the scraper in, on
// the collector's port; DNS; the API server for the two that read it; each cloud exporter's API.

/** Who scrapes the collectors: addresses (AWS's managed scraper's interfaces in the VPC) or pods. */
export type ScraperSource =
  | { cidrs: string[] }
  | { pods: { namespace: string; labels: Record<string, string> } };

/** A NetworkPolicy peer for a scraper source. */
function peers(source: ScraperSource): Record<string, unknown>[] {
  if ("cidrs" in source) return source.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  return [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": source.pods.namespace } },
      podSelector: { matchLabels: source.pods.labels },
    },
  ];
}

function policy(name: string, namespace: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: { ...MANAGED_BY } },
    spec,
  };
}

const app = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));

/** Anywhere on the internet but the private ranges: the one egress a public cloud API needs. */
const PUBLIC = [
  { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } },
];

/** What the namespace's policies need to know. */
export interface MetricsNetwork {
  namespace: string;
  scraper: ScraperSource;
  /** Where the API server answers (443 and 6443): the VPC or VNet, or the site's network. */
  apiServerCidrs: string[];
  /** The collectors that run here, by app name, with the port each serves metrics on. */
  collectors: { app: string; port: number }[];
  /** Extra egress per collector app (a cloud exporter's API, a remote store). */
  egress: Record<string, Record<string, unknown>[]>;
  /** The DNS the cluster's pods query; default CoreDNS in kube-system. */
  dns?: ClusterDns | undefined;
}

/** The namespace's baseline (deny all, DNS) and one ingress and egress policy per collector. */
export function renderNetworkPolicies(n: MetricsNetwork): KubeObject[] {
  const out: KubeObject[] = [
    policy("default-deny", n.namespace, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("allow-dns", n.namespace, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [dnsEgressRule(n.dns)],
    }),
  ];
  for (const c of n.collectors) {
    const egress = n.egress[c.app] ?? [];
    out.push(
      policy(`allow-${c.app}`, n.namespace, {
        podSelector: app(c.app),
        policyTypes: ["Ingress", "Egress"],
        // The scraper; an in-namespace Prometheus is its own scraper and needs no ingress.
        ingress: c.app === COLLECTOR_APPS.prometheus ? [] : [{ from: peers(n.scraper), ports: tcp(c.port) }],
        egress,
      }),
    );
  }
  return out;
}

/** Egress to the API server. */
export function toApiServer(cidrs: string[]): Record<string, unknown> {
  return { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(443, 6443) };
}

/** Egress to a public API on 443 (Azure Resource Manager and Entra ID for the Azure exporter). */
export function toPublicHttps(port = 443): Record<string, unknown> {
  return { to: PUBLIC, ports: tcp(port) };
}

/** Egress to private addresses on given ports (a VPC's interface endpoints, an on-premises store). */
export function toCidrs(cidrs: string[], ...ports: number[]): Record<string, unknown> {
  return { to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(...ports) };
}

/** Egress to collectors' pods in any namespace on their metrics ports (an in-cluster Prometheus). */
export function toPods(ports: number[]): Record<string, unknown> {
  return { to: [{ namespaceSelector: {} }], ports: tcp(...ports) };
}

/**
 * Kueue's namespace admits only the API server's webhook calls: this lets the scraper in to the
 * controller's metrics port (8443, token-authenticated by Kueue) as well.
 */
export function renderKueueScrapePolicy(namespace: string, scraper: ScraperSource): KubeObject {
  return policy("allow-metrics-scrape", namespace, {
    podSelector: { matchLabels: { "control-plane": "controller-manager" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: peers(scraper), ports: tcp(8443) }],
  });
}

/** The DCGM exporter's own policy in kube-system: the scraper in on 9400, nothing out. */
export function renderDcgmPolicy(namespace: string, scraper: ScraperSource): KubeObject {
  return policy(COLLECTOR_APPS.dcgmExporter, namespace, {
    podSelector: app(COLLECTOR_APPS.dcgmExporter),
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: peers(scraper), ports: tcp(9400) }],
    egress: [],
  });
}
