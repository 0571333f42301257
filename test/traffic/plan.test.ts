// The traffic plan and the gateway's configuration, without Pulumi: weights from placement,
// pinned entries per kind of site, routes over the links only, restricted data kept on private
// sites, and every bad catalog value by its path.
import { describe, expect, it } from "vitest";
import {
  allocateEntries,
  detectionWindowMs,
  entryServiceFields,
  planTraffic,
  renderGatewayConfig,
  renderUnboundServiceZone,
  serverWeights,
  type TrafficSite,
  type TrafficWorkload,
} from "../../components/traffic";

const SITES: TrafficSite[] = [
  {
    name: "eks",
    kind: "aws",
    trust: "private",
    networks: ["10.20.0.0/16"],
    peers: ["aks", "dc1"],
    entryRange: { kind: "aws", blocks: ["10.20.63.240/28", "10.20.127.240/28", "10.20.191.240/28"] },
  },
  {
    name: "aks",
    kind: "azure",
    trust: "public",
    networks: ["10.30.0.0/16"],
    peers: ["eks", "dc1"],
    entryRange: { kind: "azure", block: "10.30.63.224/27", subnetName: "system" },
  },
  {
    name: "dc1",
    kind: "onprem",
    trust: "private",
    networks: ["10.10.0.0/16"],
    peers: ["eks", "aks"],
    entryRange: { kind: "onprem", block: "10.10.60.128/26", addressPool: "hybrid-entries" },
  },
];
const storefront: TrafficWorkload = {
  name: "storefront",
  kind: "service",
  classification: "internal",
  namespace: "web",
  ports: [{ name: "http", port: 8080 }],
};
const at = (workload: string, replicas: Record<string, number>) =>
  Object.entries(replicas).map(([target, n]) => ({ workload, target, replicas: n }));
const plan = (workloads: TrafficWorkload[], assignments: ReturnType<typeof at>, sites = SITES) =>
  planTraffic({ domain: "svc.prod.hybrid.internal", sites, workloads, assignments });

describe("the traffic plan", () => {
  it("weights each site by the replicas placement put there, and pins its entries", () => {
    const { plan: p, issues } = plan([storefront], at("storefront", { eks: 4, aks: 1, dc1: 1 }));
    expect(issues).toEqual([]);
    const s = p.services[0];
    expect(s?.fqdn).toBe("storefront.svc.prod.hybrid.internal");
    expect(s?.placed).toEqual([
      { site: "aks", replicas: 1, weight: 1 },
      { site: "dc1", replicas: 1, weight: 1 },
      { site: "eks", replicas: 4, weight: 4 },
    ]);
    const eks = s?.entries.find((e) => e.site === "eks");
    // One address per private subnet, the same slot in each /28; never the resolver's (fifth).
    expect(eks?.addresses).toHaveLength(3);
    expect(new Set(eks?.addresses.map((a) => a.split(".")[3]))).toHaveProperty("size", 1);
    expect(eks?.addresses).not.toContain("10.20.63.244");
    // Admits the other sites' gateways only.
    expect(eks?.sources).toEqual(["10.10.0.0/16", "10.30.0.0/16"]);
    // Every site answers the name with its own gateway, the first slot of its range.
    expect(p.gateways.map((g) => [g.site, g.addresses])).toEqual([
      ["eks", ["10.20.63.240", "10.20.127.240", "10.20.191.240"]],
      ["aks", ["10.30.63.224"]],
      ["dc1", ["10.10.60.129"]],
    ]);
  });

  it("keeps a site's share whatever its address count: an NLB's three addresses split its weight", () => {
    const { plan: p } = plan([storefront], at("storefront", { eks: 4, aks: 1, dc1: 1 }));
    const dc1 = p.gateways.find((g) => g.site === "dc1")?.config.backends[0];
    const share = (site: string) =>
      (dc1?.servers ?? []).filter((s) => s.site === site).reduce((sum, s) => sum + s.weight, 0);
    expect([share("eks"), share("aks"), share("dc1")]).toEqual([12, 3, 3]);
    // The local copy through its Service, the others through their entries.
    expect(dc1?.servers.find((s) => s.site === "dc1")?.address).toBe("storefront.web.svc.cluster.local");
    expect(
      serverWeights([
        { weight: 1000, addresses: 1 },
        { weight: 1, addresses: 1 },
      ]),
    ).toEqual([[256], [1]]);
  });

  it("routes only over the site's own links, and restricted data between private sites only", () => {
    const noCloudLink = SITES.map((s) => (s.kind === "onprem" ? s : { ...s, peers: ["dc1"] }));
    const { plan: p } = plan([storefront], at("storefront", { eks: 4, aks: 1, dc1: 1 }), noCloudLink);
    const eksServers = p.gateways
      .find((g) => g.site === "eks")
      ?.config.backends[0]?.servers.map((s) => s.site);
    expect(new Set(eksServers)).toEqual(new Set(["eks", "dc1"]));
    const records = { ...storefront, name: "records", classification: "restricted" as const };
    const { plan: r } = plan([records], at("records", { eks: 2, dc1: 2 }));
    expect(r.services[0]?.gatewaySites).toEqual(["dc1", "eks"]);
    expect(r.gateways.map((g) => g.site)).not.toContain("aks");
  });

  it("uses the catalog's weights and local preference", () => {
    const t = { ...storefront, traffic: { weights: { dc1: 3 }, preferLocal: ["dc1"] } };
    const { plan: p, issues } = plan([t], at("storefront", { eks: 4, aks: 1, dc1: 1 }));
    expect(issues).toEqual([]);
    expect(p.services[0]?.placed.find((x) => x.site === "dc1")?.weight).toBe(3);
    const text = renderGatewayConfig(
      p.gateways.find((g) => g.site === "dc1")?.config ?? { site: "", backends: [] },
    ).text;
    expect(text).toContain("option allbackups");
    expect(text).toMatch(/server aks .* backup$/m);
    expect(text).not.toMatch(/server dc1 .* backup$/m);
  });

  it("refuses bad traffic settings by catalog path", () => {
    const bad: TrafficWorkload[] = [
      {
        ...storefront,
        traffic: { weights: { aks: 2 }, preferLocal: ["aks"], entry: "internet-facing", port: "grpc" },
      },
      { ...storefront, name: "raw", namespace: "web", traffic: { mode: "tcp" } },
    ];
    const { issues } = plan(bad, [...at("storefront", { eks: 2, dc1: 1 }), ...at("raw", { eks: 1, dc1: 1 })]);
    const byPath = Object.fromEntries(issues.map((i) => [i.path.join("."), i.message]));
    expect(byPath["workloads.0.traffic.weights.aks"]).toMatch(
      /a weight for aks, where storefront is not placed; it runs on dc1, eks/,
    );
    expect(byPath["workloads.0.traffic.preferLocal.0"]).toMatch(/"aks" runs no copy of storefront/);
    expect(byPath["workloads.0.traffic.entry"]).toMatch(/internet-facing, and storefront's data is internal/);
    expect(byPath["workloads.0.traffic.port"]).toMatch(/"grpc" is not a TCP port of storefront/);
    // raw (TCP) and storefront... storefront has no usable port here, so raw is alone on 8080.
    expect(issues).toHaveLength(4);
    const clash = plan(
      [storefront, { ...storefront, name: "raw", traffic: { mode: "tcp" } }],
      [...at("storefront", { eks: 2, dc1: 1 }), ...at("raw", { eks: 1, dc1: 1 })],
    );
    expect(clash.issues.map((i) => i.path.join("."))).toEqual(["workloads.1.traffic.gatewayPort"]);
  });

  it("gives a service its address from its name, kept when others come and go", () => {
    const range = { kind: "onprem" as const, block: "10.10.60.128/26", addressPool: "p" };
    const before = allocateEntries(range, ["storefront", "triage-inference"]);
    const after = allocateEntries(range, ["storefront", "triage-inference", "search"]);
    expect(after.slots.get("storefront")).toBe(before.slots.get("storefront"));
    expect(before.gateway).toBe(1);
    const aws = allocateEntries(
      { kind: "aws", blocks: ["10.20.63.240/28"] },
      Array.from({ length: 14 }, (_, i) => `s${i}`),
    );
    expect(aws.overflow).toHaveLength(1);
    expect([...aws.slots.values()]).not.toContain(4);
  });
});

describe("the gateway's configuration", () => {
  it("states its detection window from its timings (6.5 s by default)", () => {
    expect(detectionWindowMs()).toBe(6500);
    expect(detectionWindowMs({ connectMs: 300, checkMs: 300, interMs: 500, fastInterMs: 100 })).toBe(1800);
  });

  it("routes HTTP services sharing a port by Host, and refuses a TCP service on a shared port", () => {
    const backend = (name: string, mode: "http" | "tcp") => ({
      name,
      port: 8080,
      host: `${name}.svc.x.internal`,
      mode,
      algorithm: "random(2)" as const,
      healthPath: "/healthz",
      serverTimeoutMs: 60_000,
      preferLocal: false,
      servers: [{ name: "a", site: "a", address: "10.0.0.1", port: 8080, weight: 1 }],
    });
    const text = renderGatewayConfig({
      site: "a",
      backends: [backend("one", "http"), backend("two", "http")],
    }).text;
    expect(text).toContain("http-request deny deny_status 421 unless known_host");
    expect(text).toContain("use_backend two if { req.hdr(host),host_only -m str -i two.svc.x.internal }");
    expect(() =>
      renderGatewayConfig({ site: "a", backends: [backend("one", "http"), backend("two", "tcp")] }),
    ).toThrow(/TCP service two cannot share a port/);
  });
});

describe("entries and names", () => {
  const needs = {
    addresses: ["10.20.63.246", "10.20.127.246"],
    sources: ["10.10.0.0/16"],
    subnetIds: ["subnet-a", "subnet-b"],
  };
  it("makes each kind of site's entry internal, pinned and fenced", () => {
    const aws = entryServiceFields({ kind: "aws", blocks: [] }, needs);
    expect(aws.loadBalancerClass).toBe("service.k8s.aws/nlb");
    expect(aws.annotations).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
      "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
      "service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses": "10.20.63.246,10.20.127.246",
      "service.beta.kubernetes.io/aws-load-balancer-subnets": "subnet-a,subnet-b",
    });
    const azure = entryServiceFields(
      { kind: "azure", block: "10.30.63.224/27", subnetName: "system" },
      needs,
    );
    expect(azure.annotations).toMatchObject({
      "service.beta.kubernetes.io/azure-load-balancer-internal": "true",
      "service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges": "true",
      "service.beta.kubernetes.io/azure-load-balancer-internal-subnet": "system",
    });
    const onprem = entryServiceFields(
      { kind: "onprem", block: "10.10.60.128/26", addressPool: "hybrid-entries" },
      needs,
    );
    expect(onprem.annotations["metallb.io/address-pool"]).toBe("hybrid-entries");
    for (const f of [aws, azure, onprem]) expect(f.loadBalancerSourceRanges).toEqual(["10.10.0.0/16"]);
  });

  it("renders the on-premises resolver's zone: static, answered from local data only", () => {
    expect(
      renderUnboundServiceZone({
        domain: "svc.prod.hybrid.internal",
        records: [{ name: "storefront", addresses: ["10.10.60.129"] }],
      }),
    ).toBe(
      [
        "# Rendered by hybrid-ai-infra: the cross-site services' names, answered with this site's gateway.",
        "server:",
        '    local-zone: "svc.prod.hybrid.internal." static',
        '    local-data: "storefront.svc.prod.hybrid.internal. 30 IN A 10.10.60.129"',
        "",
      ].join("\n"),
    );
  });
});
