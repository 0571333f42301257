// Which services cross sites, and how: from the placement decision, the catalog's traffic settings
// and the sites' networks and links, every multi-site service's weights, entries (pinned internal
// load balancer addresses), private name and each site's gateway routes. Pure and deterministic:
// the platform phase computes it once, declares the names from it, and the cluster phase renders
// the gateways and entries from the same plan. No Pulumi.
import type { Classification, Trust } from "../placement";
import { allocateEntries, type EntryRange, slotAddresses } from "./addresses";
import type { GatewayBackend, GatewayConfig, GatewayServer } from "./haproxy";
import { type Algorithm, MAX_WEIGHT, TRAFFIC_DEFAULTS, type TrafficSettings } from "./settings";

export type TrafficSiteKind = "aws" | "azure" | "onprem";

/** A site as the traffic plan needs it. */
export interface TrafficSite {
  /** The site's cluster (placement target) name. */
  name: string;
  kind: TrafficSiteKind;
  trust: Trust;
  /** The ranges the site routes over its links (its clients and its gateway's traffic come from there). */
  networks: string[];
  /** The sites joined to it by a VPN link (no transit through a third site). */
  peers: string[];
  /** Where its internal load balancers take their addresses; a site without one runs no gateway. */
  entryRange?: EntryRange;
}

/** A catalog workload as the traffic plan reads it. */
export interface TrafficWorkload {
  name: string;
  kind: "service" | "inference" | "training" | "batch";
  classification: Classification;
  /** The namespace it runs in at every site. */
  namespace: string;
  ports?: { name: string; port: number; protocol?: "TCP" | "UDP" }[];
  traffic?: TrafficSettings;
}

/** What the plan is computed from. */
export interface TrafficInput {
  /** The zone the private names live in, e.g. svc.prod.hybrid.internal (answered per site, never forwarded). */
  domain: string;
  sites: TrafficSite[];
  /** The catalog, in its order (problems are reported by `workloads[i]`). */
  workloads: TrafficWorkload[];
  /** Placement's decision: replicas per workload and target (several rows may share a target). */
  assignments: { workload: string; target: string; replicas: number }[];
}

/** A site a service is placed on, with its share. */
export interface PlacedSite {
  site: string;
  replicas: number;
  /** The gateway's weight for the site: the catalog's, else the replicas. */
  weight: number;
}

/** A service's internal load balancer at one site. */
export interface ServiceEntry {
  site: string;
  /** Pinned addresses (one per private subnet on AWS, one elsewhere). */
  addresses: string[];
  /** The networks of the other sites whose gateways use it: the only sources it admits. */
  sources: string[];
}

/** A service reached across sites. */
export interface RoutedService {
  workload: string;
  namespace: string;
  classification: Classification;
  /** Its private name, answered at every gateway site with that site's gateway. */
  fqdn: string;
  /** The workload's port (name and number) that the entries and gateways front. */
  portName: string;
  port: number;
  /** The gateway's port for it. */
  gatewayPort: number;
  mode: "http" | "tcp";
  algorithm: Algorithm;
  healthPath: string;
  timeoutSeconds: number;
  placed: PlacedSite[];
  /** Sites whose gateway prefers its local copy. */
  preferLocal: string[];
  entries: ServiceEntry[];
  /** Sites whose gateway fronts it (where its name is answered). */
  gatewaySites: string[];
}

/** One site's gateway: where clients reach it, and its HAProxy configuration. */
export interface SiteGatewayPlan {
  site: string;
  kind: TrafficSiteKind;
  /** The gateway's own internal load balancer addresses: what the site's DNS answers. */
  addresses: string[];
  /** Who may reach the gateway: the site's own networks. */
  sources: string[];
  /** The services it fronts and their gateway ports. */
  services: { workload: string; fqdn: string; gatewayPort: number; mode: "http" | "tcp" }[];
  /** HAProxy's configuration, as data (`renderGatewayConfig` turns it into text). */
  config: GatewayConfig;
  /** Every address and port it forwards to on other sites (its egress). */
  upstreams: { address: string; port: number }[];
}

/** The whole plan: services, gateways, and catalog problems by path. */
export interface TrafficPlan {
  domain: string;
  services: RoutedService[];
  gateways: SiteGatewayPlan[];
  /** Per site kind, how its entries are told apart (AWS subnets aside, which the cluster knows). */
  entryRanges: Record<string, EntryRange>;
}

/** A problem with the catalog's traffic settings, by catalog path. */
export interface TrafficIssue {
  path: (string | number)[];
  message: string;
}

/** The Service name a workload answers on inside its own cluster. */
export function clusterServiceName(w: { name: string; namespace: string }): string {
  return `${w.name}.${w.namespace}.svc.cluster.local`;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number): number => (a * b) / gcd(a, b);

/**
 * Server weights for one backend: each site's weight split over its addresses (an NLB has one per
 * zone, each reaching every target), so a site's share stays its weight whatever its address count;
 * scaled into 1..256 when needed (a placed site never drops to 0, which would take it out).
 */
export function serverWeights(sites: { weight: number; addresses: number }[]): number[][] {
  const l = sites.reduce((acc, s) => lcm(acc, s.addresses), 1);
  const raw = sites.map((s) => Array.from({ length: s.addresses }, () => (s.weight * l) / s.addresses));
  const max = Math.max(...raw.flat());
  if (max <= MAX_WEIGHT) return raw;
  return raw.map((ws) => ws.map((w) => Math.max(1, Math.round((w * MAX_WEIGHT) / max))));
}

/** The port a workload is reached on: the catalog's `traffic.port`, else its first TCP port. */
function portOf(w: TrafficWorkload): { name: string; port: number } | undefined {
  const tcp = (w.ports ?? []).filter((p) => (p.protocol ?? "TCP") === "TCP");
  if (w.traffic?.port !== undefined) return tcp.find((p) => p.name === w.traffic?.port);
  return tcp[0];
}

/** A workload that crosses sites: a service or inference server with a TCP port, on two sites or more. */
interface Crossing {
  w: TrafficWorkload;
  /** Its index in the catalog, for issue paths. */
  index: number;
  port: { name: string; port: number };
  placed: PlacedSite[];
}

/** A crossing workload with its copies gateways may use and the sites whose gateway fronts it. */
interface Route extends Crossing {
  copies: PlacedSite[];
  gatewaySites: string[];
}

type Allocation = ReturnType<typeof allocateEntries>;

/** The sites by name, and each gateway site's entry allocation. */
interface SiteIndex {
  sites: Map<string, TrafficSite>;
  allocations: Map<string, Allocation>;
}

/** Replicas per workload and site (several rows may share a target: they add up). */
function replicasBySite(assignments: TrafficInput["assignments"]): Map<string, Map<string, number>> {
  const placedOn = new Map<string, Map<string, number>>();
  for (const a of assignments) {
    const bySite = placedOn.get(a.workload) ?? new Map<string, number>();
    bySite.set(a.target, (bySite.get(a.target) ?? 0) + a.replicas);
    placedOn.set(a.workload, bySite);
  }
  return placedOn;
}

/** What is wrong with one workload's traffic settings, by catalog path. */
function settingIssues(w: TrafficWorkload, index: number, bySite: Map<string, number>): TrafficIssue[] {
  const issues: TrafficIssue[] = [];
  const path = ["workloads", index, "traffic"];
  const t = w.traffic ?? {};
  const placedNames = [...bySite.keys()].sort();
  const where = placedNames.length > 0 ? `it runs on ${placedNames.join(", ")}` : "placement put it nowhere";
  // Settings that name sites are checked whether or not the workload crosses sites.
  for (const site of Object.keys(t.weights ?? {}))
    if (!bySite.has(site))
      issues.push({
        path: [...path, "weights", site],
        message: `is a weight for ${site}, where ${w.name} is not placed; ${where}`,
      });
  (t.preferLocal ?? []).forEach((site, i) => {
    if (!bySite.has(site))
      issues.push({
        path: [...path, "preferLocal", i],
        message: `"${site}" runs no copy of ${w.name} to prefer; ${where}`,
      });
  });
  if (t.entry === "internet-facing")
    issues.push({
      path: [...path, "entry"],
      message:
        w.classification === "public"
          ? "is internet-facing; a service's per-site entries are internal load balancers, reached only from the joined networks: put your internet edge in front of a site's gateway instead"
          : `is internet-facing, and ${w.name}'s data is ${w.classification}: only public workloads may face the internet, and even they enter through internal load balancers here`,
    });
  if (t.port !== undefined && !portOf(w))
    issues.push({
      path: [...path, "port"],
      message: `"${t.port}" is not a TCP port of ${w.name}; name one of its ports: ${(w.ports ?? []).map((p) => p.name).join(", ") || "it declares none"}`,
    });
  if (w.traffic && (w.kind === "training" || w.kind === "batch"))
    issues.push({
      path: path,
      message: `is set on a ${w.kind} workload; only services and inference servers answer requests across sites`,
    });
  return issues;
}

/** The workload as a crossing one with its sites' weights, or undefined when it does not cross sites. */
function crossingOf(w: TrafficWorkload, index: number, bySite: Map<string, number>): Crossing | undefined {
  const t = w.traffic ?? {};
  const port = portOf(w);
  if (t.crossSite === false || !port || (w.kind !== "service" && w.kind !== "inference") || bySite.size < 2)
    return undefined;
  const placed = [...bySite.keys()].sort().map((site) => ({
    site,
    replicas: bySite.get(site) ?? 0,
    weight: t.weights?.[site] ?? bySite.get(site) ?? 0,
  }));
  return { w, index, port, placed };
}

/** Whether a site reaches another over its own links (or is it). */
const reaches = (from: TrafficSite, to: string) => from.name === to || from.peers.includes(to);

/**
 * Which gateways front a service: a site reaching a copy over its own links (or its own copy);
 * restricted data never enters or leaves a public site.
 */
function routeOf(c: Crossing, input: TrafficInput, sites: Map<string, TrafficSite>): Route {
  const restricted = c.w.classification === "restricted";
  const allowed = (name: string) => !restricted || sites.get(name)?.trust === "private";
  const copies = c.placed.filter((p) => allowed(p.site));
  const gatewaySites = input.sites
    .filter((g) => g.entryRange && allowed(g.name) && copies.some((p) => reaches(g, p.site)))
    .map((g) => g.name)
    .sort();
  return { ...c, copies, gatewaySites };
}

/** Gateway ports: HTTP services may share one (the Host header tells them apart), TCP ones may not. */
function gatewayPortIssues(routes: Route[]): TrafficIssue[] {
  const issues: TrafficIssue[] = [];
  const byPort = new Map<number, { name: string; mode: string; index: number }[]>();
  for (const r of routes) {
    const gp = r.w.traffic?.gatewayPort ?? r.port.port;
    const mode = r.w.traffic?.mode ?? TRAFFIC_DEFAULTS.mode;
    const others = byPort.get(gp) ?? [];
    const clash = others.find((o) => o.mode === "tcp" || mode === "tcp");
    if (clash)
      issues.push({
        path: ["workloads", r.index, "traffic", "gatewayPort"],
        message: `${gp} is also the gateway port of ${clash.name}, and a TCP service needs a port of its own (nothing to route on); set traffic.gatewayPort`,
      });
    others.push({ name: r.w.name, mode, index: r.index });
    byPort.set(gp, others);
  }
  return issues;
}

/** Entry addresses per site: the gateway first, then every service with a copy there. */
function allocateSites(
  sites: TrafficSite[],
  routes: Route[],
): { allocations: Map<string, Allocation>; issues: TrafficIssue[] } {
  const issues: TrafficIssue[] = [];
  const allocations = new Map<string, Allocation>();
  for (const site of sites) {
    if (!site.entryRange) continue;
    const here = routes.filter((r) => r.copies.some((p) => p.site === site.name)).map((r) => r.w.name);
    const allocation = allocateEntries(site.entryRange, here);
    for (const name of allocation.overflow) {
      const r = routes.find((x) => x.w.name === name);
      issues.push({
        path: ["workloads", r?.index ?? 0],
        message: `finds no free entry address at ${site.name}: its range holds the gateway and ${allocation.slots.size} services; move a service or widen the range`,
      });
    }
    allocations.set(site.name, allocation);
  }
  return { allocations, issues };
}

/** A workload's pinned entry addresses at a site (none if the site has no range or no slot for it). */
function entryAddresses({ sites, allocations }: SiteIndex, site: string, workload: string): string[] {
  const range = sites.get(site)?.entryRange;
  const slot = allocations.get(site)?.slots.get(workload);
  return range && slot !== undefined ? slotAddresses(range, slot) : [];
}

/** A route as the plan states it: settings with their defaults, and the entries other sites' gateways use. */
function routedService(
  { w, port, placed, copies, gatewaySites }: Route,
  domain: string,
  index: SiteIndex,
): RoutedService {
  const { sites } = index;
  const t = w.traffic ?? {};
  const entries = copies
    .map((p) => {
      const users = gatewaySites.filter((g) => g !== p.site && reaches(sites.get(g) as TrafficSite, p.site));
      return {
        site: p.site,
        addresses: entryAddresses(index, p.site, w.name),
        sources: [...new Set(users.flatMap((g) => sites.get(g)?.networks ?? []))].sort(),
      };
    })
    .filter((e) => e.sources.length > 0 && e.addresses.length > 0);
  return {
    workload: w.name,
    namespace: w.namespace,
    classification: w.classification,
    fqdn: `${w.name}.${domain}`,
    portName: port.name,
    port: port.port,
    gatewayPort: t.gatewayPort ?? port.port,
    mode: t.mode ?? TRAFFIC_DEFAULTS.mode,
    algorithm: t.algorithm ?? TRAFFIC_DEFAULTS.algorithm,
    healthPath: t.healthPath ?? TRAFFIC_DEFAULTS.healthPath,
    timeoutSeconds: t.timeoutSeconds ?? TRAFFIC_DEFAULTS.timeoutSeconds,
    placed,
    preferLocal: [...(t.preferLocal ?? [])].filter((s) => placed.some((p) => p.site === s)).sort(),
    entries,
    gatewaySites,
  };
}

/** A site's gateway, if it has an entry range and fronts any service. */
function siteGateway(
  site: TrafficSite,
  services: RoutedService[],
  allocations: Map<string, Allocation>,
): SiteGatewayPlan[] {
  const range = site.entryRange;
  const fronted = services.filter((s) => s.gatewaySites.includes(site.name));
  if (!range || fronted.length === 0) return [];
  const backends: GatewayBackend[] = fronted.map((s) => backendAt(site, s));
  const allocation = allocations.get(site.name);
  return [
    {
      site: site.name,
      kind: site.kind,
      addresses: slotAddresses(range, allocation?.gateway ?? 0),
      sources: [...site.networks].sort(),
      services: fronted.map((s) => ({
        workload: s.workload,
        fqdn: s.fqdn,
        gatewayPort: s.gatewayPort,
        mode: s.mode,
      })),
      config: { site: site.name, backends },
      upstreams: backends
        .flatMap((b) =>
          b.servers.filter((x) => x.site !== site.name).map((x) => ({ address: x.address, port: x.port })),
        )
        .sort((a, b) => a.address.localeCompare(b.address) || a.port - b.port),
    },
  ];
}

/**
 * Plans cross-site traffic. A service (kind service or inference, with a TCP port, `crossSite`
 * not false) placed on more than one site gets: an internal load balancer at each of those sites
 * used by another site's gateway, admitting only those sites' networks; a route in the gateway of
 * every site that reaches one of its copies over its links (restricted data: private sites only,
 * both ends); one private name. Bad settings come back as issues by catalog path; nothing throws.
 */
export function planTraffic(input: TrafficInput): { plan: TrafficPlan; issues: TrafficIssue[] } {
  const issues: TrafficIssue[] = [];
  const sites = new Map(input.sites.map((s) => [s.name, s]));
  const placedOn = replicasBySite(input.assignments);
  const crossing: Crossing[] = [];
  input.workloads.forEach((w, index) => {
    const bySite = placedOn.get(w.name) ?? new Map<string, number>();
    issues.push(...settingIssues(w, index, bySite));
    const c = crossingOf(w, index, bySite);
    if (c) crossing.push(c);
  });
  const routes = crossing.map((c) => routeOf(c, input, sites));
  issues.push(...gatewayPortIssues(routes));
  const { allocations, issues: overflow } = allocateSites(input.sites, routes);
  issues.push(...overflow);
  const services = routes.map((r) => routedService(r, input.domain, { sites, allocations }));
  const gateways = input.sites.flatMap((site) => siteGateway(site, services, allocations));
  const entryRanges = Object.fromEntries(
    input.sites.flatMap((s) => (s.entryRange ? [[s.name, s.entryRange] as const] : [])),
  );
  return { plan: { domain: input.domain, services, gateways, entryRanges }, issues };
}

/** One service's backend in one site's gateway: its own copy by Service name, the others by entry. */
function backendAt(site: TrafficSite, s: RoutedService): GatewayBackend {
  const reachable = s.placed.filter(
    (p) => p.site === site.name || (site.peers.includes(p.site) && s.entries.some((e) => e.site === p.site)),
  );
  const addressesOf = (p: PlacedSite): string[] =>
    p.site === site.name
      ? [clusterServiceName({ name: s.workload, namespace: s.namespace })]
      : (s.entries.find((e) => e.site === p.site)?.addresses ?? []);
  const weights = serverWeights(
    reachable.map((p) => ({ weight: p.weight, addresses: addressesOf(p).length })),
  );
  const servers: GatewayServer[] = reachable.flatMap((p, i) => {
    const addresses = addressesOf(p);
    return addresses.map((address, j) => ({
      name: addresses.length > 1 ? `${p.site}-${j + 1}` : p.site,
      site: p.site,
      address,
      port: s.port,
      weight: weights[i]?.[j] ?? 1,
    }));
  });
  return {
    name: s.workload,
    port: s.gatewayPort,
    host: s.fqdn,
    mode: s.mode,
    algorithm: s.algorithm,
    healthPath: s.healthPath,
    serverTimeoutMs: s.timeoutSeconds * 1000,
    preferLocal: s.preferLocal.includes(site.name),
    servers,
  };
}
