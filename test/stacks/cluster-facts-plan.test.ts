// The clusters' stated facts through both phases of the plan (issue 24, point 10 and the Secrets
// Store CSI driver): dev with dc1 on kubespray's node-local DNS and EKS mounting secrets with the CSI
// driver. Every namespace the cluster phase confines on dc1 allows the cache's address alone; EKS
// keeps CoreDNS; the secret becomes a SecretProviderClass and a CSI volume; the policy pack passes.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES } from "../../policies/rules";
import { planCli } from "../../scripts/plan/cli";
import { evaluatePack } from "../policies/evaluate";

interface Resource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
interface PlanJson {
  resources: Resource[];
}

const root = resolve(__dirname, "../..");
const edit = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`no ${JSON.stringify(from)} to replace`);
  return text.replace(from, to);
};

let plan: PlanJson;
let stderr = "";

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "facts-"));
  cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
  const stacks = join(dir, "stacks");
  const dev = readFileSync(join(stacks, "Pulumi.dev.yaml"), "utf8");
  const catalog = readFileSync(join(stacks, "workloads.dev.yaml"), "utf8");
  for (const entry of readdirSync(stacks)) if (/^Pulumi\..+\.yaml$/.test(entry)) rmSync(join(stacks, entry));
  writeFileSync(
    join(stacks, "Pulumi.dev.yaml"),
    edit(
      edit(dev, "      dns: { kind: coredns }\n", "      dns: { kind: nodelocaldns }\n"),
      "      name: eks\n",
      "      name: eks\n      workloadSecrets: { driver: secrets-store-csi, provider: aws, region: eu-west-1 }\n",
    ),
  );
  writeFileSync(
    join(stacks, "workloads.dev.yaml"),
    edit(
      catalog,
      "    image: registry.internal.example.com/web/storefront:5.12.0\n",
      "    image: registry.internal.example.com/web/storefront:5.12.0\n    serviceAccountName: storefront\n    secrets: [{ name: api-key, store: vault, remoteKey: web/storefront/api-key, mountPath: /etc/storefront/api }]\n",
    ),
  );
  const out = join(dir, "plan.json");
  // The pack's rules run in this process (test/policies/evaluate.ts, as every stack's checks run
  // them): the command's own pack process is tested in dev.test.ts.
  const code = await planCli(["--project-dir", dir, "--stack", "dev", "--no-policy", "--out", out], {
    out: () => {},
    err: (t) => (stderr += t),
  });
  expect(code, stderr).toBe(0);
  plan = JSON.parse(readFileSync(out, "utf8")) as PlanJson;
}, 60_000);

/** The DNS peers of every NetworkPolicy rule that allows port 53, by resource name. */
function dnsRules(): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const r of plan.resources) {
    if (r.type !== "kubernetes:networking.k8s.io/v1:NetworkPolicy") continue;
    const egress = ((r.inputs.spec as { egress?: { to?: unknown[]; ports?: { port: number }[] }[] }).egress ??
      []) as { to?: unknown[]; ports?: { port: number }[] }[];
    for (const rule of egress)
      if (rule.ports?.some((p) => p.port === 53))
        out.set(r.name, [...(out.get(r.name) ?? []), ...(rule.to ?? [])]);
  }
  return out;
}

describe("the clusters' stated facts in the plan", () => {
  it("allows only dc1's node-local DNS cache in every namespace it confines there, and CoreDNS on EKS", () => {
    const rules = dnsRules();
    const dc1 = [...rules].filter(([name]) => name.startsWith("dc1-") || name.startsWith("workloads-dc1-"));
    const eks = [...rules].filter(([name]) => name.startsWith("eks-") || name.startsWith("workloads-eks-"));
    // The workloads' namespaces, the metrics namespace, Kueue's controller and the traffic gateway.
    expect(dc1.map(([name]) => name).sort()).toEqual([
      "dc1-addons-kueue-networkpolicy-allow-controller",
      "dc1-metrics-networkpolicy-allow-dns",
      "dc1-traffic-networkpolicy-traffic-gateway-gateway",
      "workloads-dc1-networkpolicy-clinical-ai-allow-dns",
      "workloads-dc1-networkpolicy-web-allow-dns",
    ]);
    for (const [name, to] of dc1) expect(to, name).toEqual([{ ipBlock: { cidr: "169.254.25.10/32" } }]);
    expect(eks.length).toBeGreaterThan(0);
    for (const [name, to] of eks.filter(([n]) => !n.includes("autoscaler") && !n.includes("coredns")))
      expect(to, name).toEqual([
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
          podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
        },
      ]);
  });

  it("mounts EKS's secrets with the CSI driver, and the policy pack finds nothing mandatory", async () => {
    const spcs = plan.resources.filter((r) => (r.inputs as { kind?: string }).kind === "SecretProviderClass");
    expect(spcs.map((r) => r.name)).toEqual(["workloads-eks-secretproviderclass-web-api-key"]);
    expect(spcs[0]?.inputs.spec).toMatchObject({
      provider: "aws",
      parameters: { usePodIdentity: "true", region: "eu-west-1" },
    });
    // Per cluster: EKS's copy mounts the vault's object (no Secret object); dc1's copy of the same
    // service keeps the External Secrets Operator, its default.
    const externals = plan.resources
      .filter((r) => (r.inputs as { kind?: string }).kind === "ExternalSecret")
      .map((r) => r.name);
    expect(externals).toEqual(["workloads-dc1-externalsecret-web-api-key"]);
    const deployment = plan.resources.find((r) => r.name === "workloads-eks-deployment-web-storefront");
    if (!deployment) throw new Error("no storefront Deployment on eks");
    const volumes = (deployment.inputs.spec as { template: { spec: { volumes: unknown[] } } }).template.spec
      .volumes;
    expect(volumes).toContainEqual({
      name: "secret-api-key",
      csi: {
        driver: "secrets-store.csi.k8s.io",
        readOnly: true,
        volumeAttributes: { secretProviderClass: "api-key" },
      },
    });
    const config = JSON.parse(readFileSync(join(root, "policies/config.dev.json"), "utf8")) as unknown;
    const violations = await evaluatePack(ALL_RULES, plan.resources, config);
    expect(
      violations.filter((v) => v.enforcementLevel === "mandatory"),
      JSON.stringify(violations),
    ).toEqual([]);
  });
});
