// One site's cross-site traffic objects as plain data: the gateway (namespace, HAProxy's config in
// a ConfigMap, a restricted non-root Deployment on a read-only root, a disruption budget, its own
// internal load balancer, network policies) and, for each service with a copy here that other
// sites' gateways use, its internal load balancer entry and the policy that admits them.

import { createHash } from "node:crypto";
import {
  type EntryRange,
  entryServiceFields,
  GATEWAY_METRICS_PORT,
  type RoutedService,
  renderGatewayConfig,
  type SiteGatewayPlan,
  type TrafficPlan,
} from "../../traffic";
import { type ClusterDns, dnsEgressRule } from "../cluster-facts";
import { LABEL_DATA_CLASSIFICATION, LABEL_WORKLOAD, MANAGED_BY } from "../labels";
import { PLACEMENT_ANNOTATIONS } from "../render";

/** The HAProxy image the gateways run: the 3.4 LTS branch (fixes until about Q2 2031), Alpine build. */
export const GATEWAY_IMAGE = "docker.io/library/haproxy:3.4.2-alpine";
/** The gateway's namespace on every cluster. */
export const GATEWAY_NAMESPACE = "traffic-gateway";
/** Its pods' name label, which monitoring's scrape job selects (port `metrics`, path /metrics). */
export const GATEWAY_APP = "traffic-gateway";
/** Annotations the gateway objects carry for policy: what it forwards where. */
export const TRAFFIC_ANNOTATIONS = {
  /** JSON: the gateway's site and trust, and per service its classification and the sites (with trust) it forwards to. */
  routes: "traffic.hybrid-ai-infra.io/routes",
  /** The rendered config's SHA-256, on the pod template: a change rolls the gateway. */
  configHash: "traffic.hybrid-ai-infra.io/config-sha256",
  /** On an entry: the workload it fronts and its classification. */
  entryFor: "traffic.hybrid-ai-infra.io/entry-for",
} as const;

/** A Kubernetes object as plain data. */
export interface TrafficObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** What one site's objects are rendered from. */
export interface SiteTrafficInput {
  plan: TrafficPlan;
  /** The site (cluster) to render for. */
  site: string;
  /** Each site's trust, recorded in the routes annotation. */
  siteTrust: Record<string, "private" | "public">;
  /** AWS: the private subnets the NLBs go in (one per entry address). */
  subnetIds?: string[];
  /** The gateway image; default `GATEWAY_IMAGE`. */
  image?: string;
  /** Gateway replicas; default 2 (spread over zones and nodes). */
  replicas?: number;
  /** The DNS the cluster's pods query; default CoreDNS in kube-system. */
  dns?: ClusterDns | undefined;
}

const CLASSIFICATION_RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;
const labels = (extra: Record<string, string> = {}) => ({ ...MANAGED_BY, ...extra });

/** The site's objects, in the order they are declared: namespace and guards before pods. */
export function renderSiteTraffic(input: SiteTrafficInput): TrafficObject[] {
  const { plan, site } = input;
  const gateway = plan.gateways.find((g) => g.site === site);
  const range = plan.entryRanges[site];
  const objects: TrafficObject[] = [];
  if (gateway && range) objects.push(...renderGateway(input, gateway, range));
  if (range) objects.push(...renderEntries(input, range));
  return objects;
}

/** What the gateway's objects are built from, worked out once per site. */
interface GatewayParts {
  gateway: SiteGatewayPlan;
  /** Its pods' labels, which its Deployment, budget, policy and Service select. */
  selector: Record<string, string>;
  /** HAProxy's config text, and its SHA-256 (which rolls the pods when it changes). */
  config: string;
  hash: string;
  /** The routes annotation (JSON). */
  routes: string;
  /** Its gateway ports, ascending. */
  ports: number[];
}

/** The most sensitive classification among the services the gateway fronts: its namespace's. */
function highestClassification(services: RoutedService[]): keyof typeof CLASSIFICATION_RANK {
  return services
    .map((s) => s.classification)
    .reduce(
      (a, b) => (CLASSIFICATION_RANK[b] > CLASSIFICATION_RANK[a] ? b : a),
      "public" as keyof typeof CLASSIFICATION_RANK,
    );
}

/** The routes annotation: the gateway's site and trust, and per service its classification and sites. */
function routesAnnotation(
  input: SiteTrafficInput,
  gateway: SiteGatewayPlan,
  services: RoutedService[],
): string {
  const { site } = input;
  return JSON.stringify({
    site,
    trust: input.siteTrust[site],
    routes: gateway.config.backends.map((b) => ({
      service: b.name,
      classification: services.find((x) => x.workload === b.name)?.classification,
      sites: [...new Set(b.servers.map((x) => x.site))].map((x) => ({ site: x, trust: input.siteTrust[x] })),
    })),
  });
}

/** The gateway's namespace: restricted pod security, labelled with its most sensitive service's classification. */
function gatewayNamespace(services: RoutedService[]): TrafficObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: GATEWAY_NAMESPACE,
      labels: labels({
        [LABEL_DATA_CLASSIFICATION]: highestClassification(services),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      }),
    },
  };
}

/** Deny by default; the gateway takes its clients and reaches DNS, the other sites' entries and the local copies. */
function gatewayPolicies(
  input: SiteTrafficInput,
  services: RoutedService[],
  { gateway, selector, ports }: GatewayParts,
): TrafficObject[] {
  const ns = GATEWAY_NAMESPACE;
  const upstreamRules = groupByPort(gateway.upstreams);
  const localServices = services.filter((s) => s.placed.some((p) => p.site === input.site));
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny", namespace: ns, labels: labels() },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "gateway", namespace: ns, labels: labels() },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          // Clients: the site's own networks (through the gateway's load balancer) and pods of
          // this cluster; the metrics port for the cluster's scrapers as well.
          {
            from: [...gateway.sources.map((cidr) => ({ ipBlock: { cidr } })), { namespaceSelector: {} }],
            ports: [...ports, GATEWAY_METRICS_PORT].map((port) => ({ protocol: "TCP", port })),
          },
        ],
        egress: [
          dnsEgressRule(input.dns),
          // The other sites' entries, exactly.
          ...upstreamRules.map(({ port, addresses }) => ({
            to: addresses.map((a) => ({ ipBlock: { cidr: `${a}/32` } })),
            ports: [{ protocol: "TCP", port }],
          })),
          // The local copies, through their Services.
          ...localServices.map((s) => ({
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": s.namespace } },
                podSelector: { matchLabels: { [LABEL_WORKLOAD]: s.workload } },
              },
            ],
            ports: [{ protocol: "TCP", port: s.port }],
          })),
        ],
      },
    },
  ];
}

/** HAProxy's container: non-root on a read-only root, its config mounted from the ConfigMap. */
function haproxyContainer(image: string, ports: number[]) {
  const resources = { cpu: "100m", memory: "64Mi" };
  return {
    name: "haproxy",
    image,
    // The image's entrypoint adds -W -db (master-worker, foreground).
    args: ["-f", "/usr/local/etc/haproxy/haproxy.cfg"],
    ports: [
      ...ports.map((port) => ({ name: `gw-${port}`, containerPort: port, protocol: "TCP" })),
      { name: "metrics", containerPort: GATEWAY_METRICS_PORT, protocol: "TCP" },
    ],
    readinessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 5 },
    livenessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 10 },
    resources: { requests: resources, limits: { cpu: "1", memory: "256Mi" } },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: [{ name: "config", mountPath: "/usr/local/etc/haproxy", readOnly: true }],
  };
}

/** The gateway site's trust; a site missing from `siteTrust` is refused rather than assumed private. */
function trustOf(input: SiteTrafficInput): "private" | "public" {
  const trust = input.siteTrust[input.site];
  if (trust === undefined)
    throw new Error(
      `siteTrust names no trust for the gateway's site "${input.site}"; give "private" or "public"`,
    );
  return trust;
}

/** The gateway's Deployment, spread over zones and nodes, rolled when its config changes. */
function gatewayDeployment(
  input: SiteTrafficInput,
  { selector, hash, routes, ports }: GatewayParts,
): TrafficObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "gateway",
      namespace: GATEWAY_NAMESPACE,
      labels: labels(selector),
      annotations: { [TRAFFIC_ANNOTATIONS.routes]: routes },
    },
    spec: {
      replicas: input.replicas ?? 2,
      selector: { matchLabels: selector },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labels(selector),
          annotations: {
            [TRAFFIC_ANNOTATIONS.configHash]: hash,
            // The traffic plan put the gateway on this site: its placement record, as PlacedWorkloads
            // writes one, for the policies that hold a classified namespace to placed workloads.
            [PLACEMENT_ANNOTATIONS.target]: input.site,
            [PLACEMENT_ANNOTATIONS.trust]: trustOf(input),
          },
        },
        spec: {
          automountServiceAccountToken: false,
          // Longer than HAProxy's hard-stop-after (30 s): in-flight requests finish on a soft stop.
          terminationGracePeriodSeconds: 35,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            fsGroup: 65532,
            seccompProfile: { type: "RuntimeDefault" },
          },
          topologySpreadConstraints: ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map(
            (topologyKey) => ({
              maxSkew: 1,
              topologyKey,
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: selector },
            }),
          ),
          containers: [haproxyContainer(input.image ?? GATEWAY_IMAGE, ports)],
          volumes: [{ name: "config", configMap: { name: "gateway-haproxy", defaultMode: 0o444 } }],
        },
      },
    },
  };
}

/** The gateway's own internal load balancer: its pinned addresses, admitting the site's networks. */
function gatewayService(
  input: SiteTrafficInput,
  range: EntryRange,
  { gateway, selector, ports }: GatewayParts,
): TrafficObject {
  const entry = entryServiceFields(range, {
    addresses: gateway.addresses,
    sources: gateway.sources,
    ...(input.subnetIds ? { subnetIds: input.subnetIds } : {}),
  });
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "gateway",
      namespace: GATEWAY_NAMESPACE,
      labels: labels(selector),
      annotations: entry.annotations,
    },
    spec: {
      type: "LoadBalancer",
      ...(entry.loadBalancerClass ? { loadBalancerClass: entry.loadBalancerClass } : {}),
      loadBalancerSourceRanges: entry.loadBalancerSourceRanges,
      selector,
      ports: ports.map((port) => ({ name: `gw-${port}`, port, targetPort: port, protocol: "TCP" })),
    },
  };
}

function renderGateway(
  input: SiteTrafficInput,
  gateway: SiteGatewayPlan,
  range: EntryRange,
): TrafficObject[] {
  const services = input.plan.services.filter((s) => s.gatewaySites.includes(input.site));
  const config = renderGatewayConfig(gateway.config).text;
  const parts: GatewayParts = {
    gateway,
    selector: { "app.kubernetes.io/name": GATEWAY_APP },
    config,
    hash: createHash("sha256").update(config).digest("hex"),
    routes: routesAnnotation(input, gateway, services),
    ports: [...new Set(gateway.services.map((s) => s.gatewayPort))].sort((a, b) => a - b),
  };
  const { selector, routes } = parts;
  return [
    gatewayNamespace(services),
    ...gatewayPolicies(input, services, parts),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "gateway-haproxy",
        namespace: GATEWAY_NAMESPACE,
        labels: labels(selector),
        annotations: { [TRAFFIC_ANNOTATIONS.routes]: routes },
      },
      data: { "haproxy.cfg": config },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "gateway", namespace: GATEWAY_NAMESPACE, labels: labels(selector) },
      spec: { minAvailable: 1, selector: { matchLabels: selector } },
    },
    gatewayDeployment(input, parts),
    gatewayService(input, range, parts),
  ];
}

/** Each service with a copy here that another site's gateway uses: its entry and its allowance. */
function renderEntries(input: SiteTrafficInput, range: EntryRange): TrafficObject[] {
  const { plan, site } = input;
  const own = plan.gateways.find((g) => g.site === site)?.sources ?? [];
  return plan.services.flatMap((s) => {
    if (!s.placed.some((p) => p.site === site)) return [];
    const e = s.entries.find((x) => x.site === site);
    const selector = { [LABEL_WORKLOAD]: s.workload };
    const objects: TrafficObject[] = [];
    if (e) {
      const fields = entryServiceFields(range, {
        addresses: e.addresses,
        sources: e.sources,
        ...(input.subnetIds ? { subnetIds: input.subnetIds } : {}),
      });
      objects.push({
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          name: `${s.workload}-entry`,
          namespace: s.namespace,
          labels: labels({ [LABEL_WORKLOAD]: s.workload, [LABEL_DATA_CLASSIFICATION]: s.classification }),
          annotations: { ...fields.annotations, [TRAFFIC_ANNOTATIONS.entryFor]: s.workload },
        },
        spec: {
          type: "LoadBalancer",
          ...(fields.loadBalancerClass ? { loadBalancerClass: fields.loadBalancerClass } : {}),
          loadBalancerSourceRanges: fields.loadBalancerSourceRanges,
          selector,
          ports: [{ name: s.portName, port: s.port, targetPort: s.port, protocol: "TCP" }],
        },
      });
    }
    // The workload admits its gateway traffic: the local gateway's pods, and (through the entry)
    // the other sites' gateways and the load balancer's own addresses in this site's networks.
    const sources = [...new Set([...(e?.sources ?? []), ...(e ? own : [])])].sort();
    objects.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `allow-${s.workload}-gateways`, namespace: s.namespace, labels: labels() },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": GATEWAY_NAMESPACE } },
                podSelector: { matchLabels: { "app.kubernetes.io/name": GATEWAY_APP } },
              },
              ...sources.map((cidr) => ({ ipBlock: { cidr } })),
            ],
            ports: [{ protocol: "TCP", port: s.port }],
          },
        ],
      },
    });
    return objects;
  });
}

function groupByPort(
  upstreams: { address: string; port: number }[],
): { port: number; addresses: string[] }[] {
  const byPort = new Map<number, Set<string>>();
  for (const u of upstreams) byPort.set(u.port, (byPort.get(u.port) ?? new Set()).add(u.address));
  return [...byPort]
    .sort(([a], [b]) => a - b)
    .map(([port, addresses]) => ({ port, addresses: [...addresses].sort() }));
}
