// The prod stack: the three sites joined by VPN links, planned in-process under the plan's mocks.
import { resolve } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { INSIDE_RANGES } from "../../components/facts";
import { cidrContains, cidrOverlaps } from "../../components/validation";
import { planSvg } from "../../scripts/plan/picture";
import { planJson, planText } from "../../scripts/plan/render";
import { type PlanRun, runPlan } from "../../scripts/plan/run";
import { usageReport } from "../../scripts/plan/usage";
import { copiesOf } from "../helpers/data-checks";
import { checksOfEveryStack } from "../helpers/stack-plan";

const root = resolve(__dirname, "../..");
let plan: PlanRun;

beforeAll(async () => {
  plan = await runPlan(root, "prod");
});

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

interface Tunnel {
  name: string;
  sites: string[];
  outside: string[];
  inside: string[];
  asns: number[];
  suite: string;
}

describe("the prod stack", () => {
  checksOfEveryStack("prod", () => plan);

  it("estimates a first update's wall time, the Azure VPN gateway on the longest chain", () => {
    const deploy = planJson(plan).deployTime as {
      seconds: number;
      phases: { phase: string; seconds: number; chain: { type: string }[] }[];
    };
    expect(deploy.phases.map((p) => p.phase)).toEqual(["platform", "cluster"]);
    expect(deploy.seconds).toBe(deploy.phases.reduce((sum, p) => sum + p.seconds, 0));
    expect(deploy.phases[0]?.chain.map((l) => l.type)).toContain(
      "azure-native:network:VirtualNetworkGateway",
    );
    expect(planText(plan)).toMatch(/Deploy time of a first update \(estimated\): \d+ min/);
  });

  it("draws the plan: an SVG that parses and names every site, network, pool, workload and VPN link", async () => {
    const svg = await planSvg(plan);
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: true }).parse(svg) as unknown;
    // Every text the picture shows, entities decoded.
    const texts: string[] = [];
    const walk = (node: unknown, key = ""): void => {
      if (typeof node === "string" || typeof node === "number") {
        if (key === "text") texts.push(String(node).replace(/&#45;/g, "-"));
      } else if (Array.isArray(node)) for (const n of node) walk(n, key);
      else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) walk(v, k);
    };
    walk(doc);
    const o = plan.outputs as {
      placementTargets: { name: string; trust: string; pools: { name: string }[] }[];
      targetNetworks: Record<string, string[]>;
      workloads: { catalog: { name: string }[] };
    };
    for (const t of o.placementTargets) {
      expect(texts).toContain(t.name);
      expect(texts).toContain(t.trust === "public" ? "public cloud" : "private site");
      for (const p of t.pools) expect(texts).toContain(p.name);
      for (const cidr of o.targetNetworks[t.name] ?? []) expect(texts).toContain(cidr);
    }
    for (const w of o.workloads.catalog) expect(texts).toContain(w.name);
    for (const link of ["aws-azure", "aws-dc1", "azure-dc1"]) expect(texts).toContain(`VPN ${link}`);
    // Each backup between its sites.
    for (const d of ["clinical-notes", "imaging-archive", "product-catalog"])
      expect(texts).toContain(`backup ${d}`);
    // GPU models and the nodes placement needs, per pool.
    expect(texts).toContain("64 CPU / 512 GiB, 8 x A100");
    expect(texts.some((x) => /^\d+ nodes placed \(\d+-\d+\)$/.test(x))).toBe(true);
  });

  it("joins the three sites in a full mesh, with distinct ASNs and inside addresses in the APIPA ranges, each of one site", () => {
    const { tunnels } = planJson(plan).vpn as { tunnels: Tunnel[] };
    expect(tunnels.map((t) => t.name).sort()).toEqual([
      "aws-azure-1",
      "aws-azure-2",
      "aws-azure-3",
      "aws-azure-4",
      "aws-dc1-1",
      "aws-dc1-2",
      "azure-dc1-1",
      "azure-dc1-2",
    ]);
    // An address belongs to one site (dc1 peers with both Azure instances from one address).
    const owner = new Map<string, string>();
    for (const t of tunnels) {
      t.inside.forEach((address, end) => {
        const site = t.sites[end] as string;
        expect(owner.get(address) ?? site, address).toBe(site);
        owner.set(address, site);
      });
    }
    for (const t of tunnels) {
      expect(new Set(t.asns).size).toBe(2);
      for (const address of t.inside)
        expect(INSIDE_RANGES.some((r) => cidrContains(r, `${address}/32`))).toBe(true);
      expect(t.suite).toBe("aes256gcm-sha384-ecp384");
    }
    const asns = new Set(tunnels.flatMap((t) => t.asns));
    expect([...asns].sort()).toEqual([64512, 65000, 65010]);
  });

  it("offers only IKEv2 and one suite on every end of every tunnel, with every key secret", () => {
    const vpn = ofType("aws:ec2/vpnConnection:VpnConnection");
    expect(vpn).toHaveLength(3);
    // 3 links: aws-dc1 (one connection, 2 tunnels) and aws-azure (two connections, 4 tunnels).
    for (const c of vpn) {
      for (const n of [1, 2]) {
        expect(c.inputs[`tunnel${n}IkeVersions`]).toEqual(["ikev2"]);
        expect(c.inputs[`tunnel${n}Phase1EncryptionAlgorithms`]).toEqual(["AES256-GCM-16"]);
        expect(c.inputs[`tunnel${n}Phase1DhGroupNumbers`]).toEqual([20]);
        expect(c.inputs[`tunnel${n}Phase2DhGroupNumbers`]).toEqual([20]);
        expect(c.inputs[`tunnel${n}PresharedKey`]).toBe("[secret]");
      }
    }
    const azure = ofType("azure-native:network:VirtualNetworkGatewayConnection");
    expect(azure).toHaveLength(5);
    for (const c of azure) {
      expect(c.inputs.connectionProtocol).toBe("IKEv2");
      expect(c.inputs.sharedKey).toBe("[secret]");
      expect(c.inputs.ipsecPolicies).toEqual([
        expect.objectContaining({ ikeEncryption: "GCMAES256", dhGroup: "ECP384", pfsGroup: "ECP384" }),
      ]);
    }
    const router = ofType("hybrid-ai-infra:index:OnPremVpnRouter")[0];
    expect(
      String(router?.plainOutputs?.swanctlConf).match(/\bproposals = aes256gcm16-prfsha384-ecp384$/gm),
    ).toHaveLength(4);
    expect(planJson(plan).secretOutputs).toEqual(
      expect.arrayContaining(["vpn.onpremRouter.swanctlConf", "vpn.onpremRouter.bgpdConf"]),
    );
    expect(JSON.stringify(planJson(plan))).not.toContain(String(azure[0]?.plainInputs.sharedKey));
  });

  it("joins no overlapping networks, and protects every stateful resource", () => {
    const networks = ["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16"];
    for (const a of networks) for (const b of networks) if (a !== b) expect(cidrOverlaps(a, b)).toBe(false);
    expect(ofType("aws:eks/cluster:Cluster")[0]?.inputs.deletionProtection).toBe(true);
    for (const type of ["aws:kms/key:Key", "aws:s3/bucket:Bucket", "azure-native:storage:StorageAccount"]) {
      for (const r of ofType(type)) expect(r.protect, r.urn).toBe(true);
    }
  });

  it("resolves each site's private names from the others: resolver endpoints on both clouds and dc1's forwarding", () => {
    const endpoints = ofType("aws:route53/resolverEndpoint:ResolverEndpoint");
    expect(endpoints.map((e) => e.inputs.direction).sort()).toEqual(["INBOUND", "OUTBOUND"]);
    const awsRules = ofType("aws:route53/resolverRule:ResolverRule").map((r) => r.inputs.domainName);
    expect(awsRules.sort()).toEqual([
      "blob.core.windows.net",
      "corp.example",
      "westeurope.azmk8s.io",
      "westeurope.prometheus.monitor.azure.com",
    ]);
    const azureRules = ofType("azure-native:dnsresolver:ForwardingRule").map((r) => r.inputs.domainName);
    // S3's regional name too: AKS's and dc1's data copies reach S3 through its interface endpoint;
    // AMP's for the metrics that cross to AWS.
    expect(azureRules.sort()).toEqual([
      "aps-workspaces.eu-west-1.amazonaws.com.",
      "corp.example.",
      "eu-west-1.eks.amazonaws.com.",
      "s3.eu-west-1.amazonaws.com.",
    ]);
    expect(ofType("azure-native:dnsresolver:InboundEndpoint")).toHaveLength(1);
    const outputs = plan.outputs as {
      dns: { onpremUnbound: string; azureInboundIp: string; awsInboundIps: string[] };
    };
    expect(outputs.dns.onpremUnbound).toContain('name: "eu-west-1.eks.amazonaws.com."');
    expect(outputs.dns.onpremUnbound).toContain('name: "s3.eu-west-1.amazonaws.com."');
    expect(outputs.dns.onpremUnbound).toContain(`forward-addr: ${outputs.dns.azureInboundIp}`);
    for (const ip of outputs.dns.awsInboundIps)
      expect(outputs.dns.onpremUnbound).toContain(`forward-addr: ${ip}`);
  });

  it("reads prod's sample usage exports: asked against used per workload, right-sized requests, placement with them, use in the picture", async () => {
    const files = ["eks", "aks", "dc1"].map((site) => {
      const name = `docs/usage/prod-${site}.json`;
      return { name, path: resolve(root, name) };
    });
    const report = await usageReport(plan, files);
    const row = (w: string) => report.rows.find((r) => r.workload === w);
    expect(row("patient-finetune")?.used).toBeUndefined();
    expect(row("notes-summariser")).toMatchObject({
      asked: { cpu: 8, memoryGiB: 64, gpus: 1 },
      rightSized: { cpu: 2.75, memoryGiB: 23.5 },
    });
    // Used above its request: right-sized up.
    expect(row("catalog-embeddings")?.rightSized).toEqual({ cpu: 4.25, memoryGiB: 12.5 });
    // Triage runs on two sites: its replicas add up, its per-replica use is the larger.
    expect(row("triage-inference")?.used).toMatchObject({
      parts: ["aks/a100", "dc1/a100"],
      replicas: 3,
      cpuP95: 1.4,
    });
    expect(report.replaced?.decision.unplaced).toEqual([]);
    const withUse = { ...plan, usage: report };
    const text = planText(withUse);
    expect(text).toContain("Observed use (usage export)");
    expect(text).toMatch(
      /notes-summariser\s+8 \/ 64 \/ 1\s+2\.1 \/ 19\.5\s+3\.4 \/ 23\s+57%\s+2\.75 \/ 23\.5/,
    );
    expect(text).toContain("Nothing changes until the catalog's requests change");
    expect(planJson(withUse).usage).toMatchObject({ files: files.map((f) => f.name) });
    // The plan's own decision is the catalog's, whatever the exports say.
    expect(planJson(withUse).placement).toEqual(planJson(plan).placement);
    expect(await planSvg(withUse)).toContain("used 2.1 of 8 CPU, 19.5 of 64 GiB");
  });

  it("prints the links with what each site reaches over them", () => {
    const text = planText(plan);
    expect(text).toContain("VPN links");
    expect(text).toContain(
      "aws: dc1 10.10.0.0/16; aks AKS API server (443); azure storage private endpoints (443)",
    );
    expect(text).toContain(
      "dc1: eks EKS API endpoint (443); aks AKS API server (443); azure storage private endpoints (443)",
    );
  });

  it("backs datasets up across sites (on-premises to a cloud, a cloud to on-premises, a cloud to the other), and the plan shows it", () => {
    const backups = [...copiesOf(plan).values()]
      .filter((c) => c.kind === "backup")
      .map((c) => `${c.dataset}: ${c.source.site} -> ${c.destination?.site} on ${c.cluster}`)
      .sort();
    expect(backups).toEqual([
      "clinical-notes: aks -> dc1 on dc1",
      "imaging-archive: dc1 -> eks on dc1",
      "product-catalog: eks -> aks on aks",
    ]);
    const text = planText(plan);
    expect(text).toContain("Data: where each dataset lives, its backups (restore drills) and staging");
    expect(text).toMatch(
      /imaging-archive \(internal\): lives in dc1 \(onprem\), store dc1\n {4}backup to eks, daily at 02:00 UTC, by dc1's cluster/,
    );
    expect(text).toMatch(
      /clinical-notes \(confidential, residency EU\): lives in aks \(azure\), store mlstore\n {4}backup to dc1, daily at 01:30 UTC, by dc1's cluster/,
    );
  });

  it("renders a gateway, internal entries and a name for every service placed on more than one site, weighted as placed", () => {
    const placed = new Map<string, Map<string, number>>();
    for (const a of plan.decision?.assignments ?? []) {
      const sites = placed.get(a.workload) ?? new Map<string, number>();
      sites.set(a.target, (sites.get(a.target) ?? 0) + a.replicas);
      placed.set(a.workload, sites);
    }
    const catalog = (
      plan.outputs.workloads as { catalog: { name: string; kind: string; ports?: unknown[] }[] }
    ).catalog;
    const multiSite = catalog
      .filter((w) => (w.kind === "service" || w.kind === "inference") && (w.ports ?? []).length > 0)
      .filter((w) => (placed.get(w.name)?.size ?? 0) > 1)
      .map((w) => w.name)
      .sort();
    expect(multiSite).toEqual(["storefront", "triage-inference"]);
    const configs = ofType("kubernetes:core/v1:ConfigMap").filter((c) => c.name.endsWith("gateway-haproxy"));
    expect(configs.map((c) => c.name.split("-")[0]).sort()).toEqual(["aks", "dc1", "eks"]);
    for (const c of configs) {
      const text = (c.plainInputs.data as Record<string, string>)["haproxy.cfg"] ?? "";
      for (const service of multiSite) {
        const backend = text.split(`\nbackend ${service}\n`)[1]?.split("\n\n")[0] ?? "";
        const bySite = new Map<string, number>();
        for (const m of backend.matchAll(/server (\w+?)(?:-\d)? \S+ weight (\d+)/g))
          bySite.set(m[1] ?? "", (bySite.get(m[1] ?? "") ?? 0) + Number(m[2]));
        const replicas = placed.get(service) ?? new Map();
        // Shares equal to the replicas' shares at every site's gateway.
        const total = [...bySite.values()].reduce((a, b) => a + b, 0);
        const replicaTotal = [...replicas.values()].reduce((a, b) => a + b, 0);
        expect([...bySite.keys()].sort(), `${c.name} ${service}`).toEqual([...replicas.keys()].sort());
        for (const [site, weight] of bySite)
          expect(weight / total).toBeCloseTo((replicas.get(site) ?? 0) / replicaTotal, 6);
        expect(backend).toContain("option httpchk");
        expect(backend).toMatch(/ check inter \d+ms .* on-error mark-down/);
      }
    }
    // Each placed copy has an internal entry that admits the other sites' networks only.
    const entries = ofType("kubernetes:core/v1:Service").filter((s) => s.name.endsWith("-entry"));
    for (const service of multiSite)
      for (const site of placed.get(service)?.keys() ?? []) {
        const entry = entries.find(
          (e) => e.name.startsWith(`${site}-traffic-`) && e.name.includes(`-${service}-entry`),
        );
        expect(entry, `${service} at ${site}`).toBeDefined();
        const spec = entry?.plainInputs.spec as { type: string; loadBalancerSourceRanges: string[] };
        expect(spec.type).toBe("LoadBalancer");
        expect(spec.loadBalancerSourceRanges.length).toBeGreaterThan(0);
        expect(spec.loadBalancerSourceRanges).not.toContain("0.0.0.0/0");
      }
    // The names: a private zone on the VPC, one on the VNet, dc1's unbound snippet.
    const zone = ofType("aws:route53/zone:Zone").find((z) => z.inputs.name === "svc.prod.hybrid.internal");
    expect((zone?.inputs.vpcs as unknown[] | undefined)?.length).toBe(1);
    expect(
      ofType("aws:route53/record:Record")
        .filter((r) => String(r.inputs.name).endsWith(".svc.prod.hybrid.internal"))
        .map((r) => r.inputs.name)
        .sort(),
    ).toEqual(["storefront.svc.prod.hybrid.internal", "triage-inference.svc.prod.hybrid.internal"]);
    expect(
      ofType("azure-native:privatedns:PrivateRecordSet")
        .map((r) => r.inputs.relativeRecordSetName)
        .sort(),
    ).toEqual(expect.arrayContaining(["storefront", "triage-inference"]));
    const unbound = (plan.outputs.traffic as { onpremUnbound?: string }).onpremUnbound ?? "";
    expect(unbound).toContain('local-zone: "svc.prod.hybrid.internal." static');
    // The gateways: restricted pod security, non-root, read-only root, a pinned image.
    for (const d of ofType("kubernetes:apps/v1:Deployment").filter((x) =>
      x.name.endsWith("traffic-gateway-gateway"),
    )) {
      const pod = (
        d.plainInputs.spec as {
          template: {
            spec: { securityContext: Record<string, unknown>; containers: Record<string, unknown>[] };
          };
        }
      ).template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
      expect(pod.containers[0]?.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      expect(pod.containers[0]?.image).toMatch(/^docker\.io\/library\/haproxy:3\.4\.\d+-alpine$/);
    }
  });
});
