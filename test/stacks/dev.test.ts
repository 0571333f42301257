import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planJson } from "../../scripts/plan/render";
import type { PlanRun } from "../../scripts/plan/run";
import { runPlan } from "../../scripts/plan/run";

const root = resolve(__dirname, "../..");
let plan: PlanRun;

beforeAll(async () => {
  plan = await runPlan(root, "dev");
});

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as (typeof found)[number];
};

describe("the dev stack", () => {
  it("keeps the URN of every resource, so no refactor silently replaces one", async () => {
    const lines = plan.resources.map(
      (r) => `${r.urn}${r.protect ? "  [protect]" : ""}${r.retainOnDelete ? " [retain]" : ""}`,
    );
    await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot("__snapshots__/dev.urns.txt");
  });

  it("declares one private EKS cluster in a new VPC, a spot GPU pool, a bucket and the on-prem target", () => {
    const cluster = only("aws:eks/cluster:Cluster");
    expect(cluster.inputs.name).toBe("eks-dev");
    expect(cluster.inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    expect(only("aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe("10.20.0.0/16");
    const gpu = ofType("aws:eks/nodeGroup:NodeGroup").find((n) => n.name === "eks-gpu-spot");
    expect(gpu?.inputs).toMatchObject({
      capacityType: "SPOT",
      amiType: "AL2023_x86_64_NVIDIA",
      instanceTypes: ["g5.xlarge", "g5.2xlarge"],
    });
    expect(only("aws:s3/bucket:Bucket").protect).toBe(true);
    expect(only("hybrid-ai-infra:index:OnPremCluster").name).toBe("dc1");
  });

  it("lets the on-prem network reach the private API endpoint", () => {
    const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
      r.name.startsWith("eks-api"),
    );
    expect(rules.map((r) => r.inputs.cidrIpv4).sort()).toEqual(["10.10.0.0/16", "10.20.0.0/16"]);
  });

  it("puts every AWS resource on the explicit provider and parents every resource", () => {
    const provider = only("pulumi:providers:aws");
    expect(provider.inputs.region).toBe("eu-west-1");
    const stack = only("pulumi:pulumi:Stack");
    for (const r of plan.resources) {
      if (r !== stack) expect(r.parent, r.urn).toBeDefined();
    }
  });

  it("tags every taggable AWS resource with environment, owner tags and classification", () => {
    const taggable = plan.resources.filter((r) => r.type.startsWith("aws:") && "tags" in r.inputs);
    expect(taggable.length).toBeGreaterThan(40);
    for (const r of taggable) {
      expect(r.inputs.tags, r.urn).toMatchObject({
        environment: "dev",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "internal",
        "cost-center": "ml-platform",
      });
    }
  });

  it("exports cluster names, endpoints, secret kubeconfigs, buckets and placement targets", () => {
    const outputs = plan.outputs as {
      clusters: Record<string, Record<string, unknown>>;
      buckets: Record<string, Record<string, unknown>>;
      placementTargets: { name: string; trust: string; pools: { name: string }[]; datasets: string[] }[];
    };
    expect(outputs.clusters.eks?.name).toBe("eks-dev");
    expect(String(outputs.clusters.eks?.endpoint)).toMatch(
      /^https:\/\/[0-9A-F]+\.gr7\.eu-west-1\.eks\.amazonaws\.com$/,
    );
    expect(outputs.clusters.eks?.kubeconfig).toBe("[secret]");
    expect(outputs.clusters.dc1?.kubeconfig).toBe("[secret]");
    expect(plan.secretOutputs.sort()).toEqual(["clusters.dc1.kubeconfig", "clusters.eks.kubeconfig"]);
    expect(String(outputs.buckets.datasets?.arn)).toMatch(/^arn:aws:s3:::datasets-/);
    expect(outputs.placementTargets.map((t) => [t.name, t.trust, t.pools.map((p) => p.name)])).toEqual([
      ["eks", "public", ["general", "gpu-spot"]],
      ["dc1", "private", ["cpu", "a100"]],
    ]);
    expect(outputs.placementTargets[0]?.datasets).toEqual(["web-crawl", "product-catalog"]);
    expect(outputs.placementTargets[1]?.datasets).toEqual(["patient-records"]);
  });

  it("never lets a secret reach a plan in the clear", () => {
    const text = JSON.stringify(planJson(plan));
    expect(text.includes("secure config hybrid-ai-infra:onpremKubeconfig")).toBe(false);
    expect(text.includes("client.authentication.k8s.io")).toBe(false);
    const providers = ofType("pulumi:providers:kubernetes");
    expect(providers).toHaveLength(2);
    for (const p of providers) expect(p.inputs.kubeconfig).toBe("[secret]");
  });
});

describe("the dev stack's placement", () => {
  const placed = () => {
    const component = only("hybrid-ai-infra:index:PlacedWorkloads");
    return component.outputs?.result as {
      assignments: { workload: string; target: string; pool: string; replicas: number }[];
      unplaced: unknown[];
      explanations: Record<string, { reason: string; rejected: { candidate: string; reason: string }[] }>;
    };
  };
  const where = (workload: string) => placed().assignments.filter((a) => a.workload === workload);

  it("places every workload of the catalog", () => {
    expect(placed().unplaced).toEqual([]);
    expect(new Set(placed().assignments.map((a) => a.workload))).toEqual(
      new Set(["patient-finetune", "triage-inference", "catalog-embeddings", "storefront"]),
    );
  });

  it("keeps restricted fine-tuning on the private on-prem A100s and confidential inference off spot", () => {
    expect(where("patient-finetune").map((a) => `${a.target}/${a.pool}`)).toEqual(["dc1/a100"]);
    for (const a of where("triage-inference")) expect(`${a.target}/${a.pool}`).not.toBe("eks/gpu-spot");
    const rejected = placed().explanations["patient-finetune"]?.rejected ?? [];
    expect(rejected).toContainEqual(
      expect.objectContaining({
        candidate: "eks",
        reason: expect.stringMatching(/restricted data runs only on private targets/),
      }),
    );
  });

  it("puts public batch embeddings on spot GPUs and spreads the storefront over two clusters", () => {
    expect(where("catalog-embeddings").map((a) => a.pool)).toEqual(["gpu-spot"]);
    expect(new Set(where("storefront").map((a) => a.target)).size).toBe(2);
  });

  it("renders each workload on its cluster through that cluster's provider, with the decision annotated", () => {
    const job = plan.resources.find(
      (r) => r.type === "kubernetes:batch/v1:Job" && r.name.includes("patient-finetune"),
    );
    expect(job?.provider).toMatch(/OnPremCluster\$pulumi:providers:kubernetes::dc1-k8s::/);
    if (!job) throw new Error("no patient-finetune Job");
    const annotations = (job.inputs.metadata as { annotations: Record<string, string> }).annotations;
    expect(annotations).toMatchObject({
      "placement.hybrid-ai-infra.io/target": "dc1",
      "placement.hybrid-ai-infra.io/trust": "private",
      "placement.hybrid-ai-infra.io/classification": "restricted",
    });
    const deployments = plan.resources.filter(
      (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name.includes("storefront"),
    );
    expect(deployments.map((d) => d.provider?.split("::").slice(-2, -1)[0]).sort()).toEqual([
      "dc1-k8s",
      "eks-k8s",
    ]);
    const namespaces = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    expect(namespaces.length).toBeGreaterThanOrEqual(4);
  });

  it("exports the placement and its lock", () => {
    const outputs = plan.outputs as { placement: { lock: { version: number; assignments: unknown[] } } };
    expect(outputs.placement.lock.version).toBe(1);
    expect(outputs.placement.lock.assignments.length).toBe(placed().assignments.length);
  });
});
