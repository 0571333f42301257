// The dev stack: what an update would create, planned in-process under the plan's mocks; the same
// stack on an existing VPC; and `npm run plan`'s own function, which must print exactly the plan
// made here and write its lock. Each file here pays for loading every component and
// Pulumi SDK once, so the dev stack's checks share this one.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { Recorder } from "../../components/testing";
import { ConfigError } from "../../components/validation";
import { onPremFiles } from "../../scripts/onprem-files";
import { planCli } from "../../scripts/plan/cli";
import { planJson, planText } from "../../scripts/plan/render";
import { type PlanRun, runPlan } from "../../scripts/plan/run";
import { StackFileError } from "../../scripts/plan/stack-file";
import { main as clusterMain } from "../../stacks/cluster/main";
import { prepare } from "../../stacks/main";
import { checksOfEveryStack } from "../helpers/stack-plan";

const root = resolve(__dirname, "../..");

/** A copy of the project (Pulumi.yaml and stacks/), with stack files written from the dev one. */
function project(files: Record<string, (dev: string) => string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-"));
  cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
  const dev = readFileSync(join(dir, "stacks/Pulumi.dev.yaml"), "utf8");
  // Copies of dev stand alone: beside dev itself they would share its router and networks.
  if (Object.keys(files).length > 0)
    for (const entry of readdirSync(join(dir, "stacks")))
      if (/^Pulumi\..+\.yaml$/.test(entry)) rmSync(join(dir, "stacks", entry));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "stacks", name), text(dev));
  return dir;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run plan -- ...args` through the command's exported function, in this process. */
async function inProcess(args: string[]): Promise<CommandResult> {
  const out = { stdout: "", stderr: "" };
  const code = await planCli(args, { out: (t) => (out.stdout += t), err: (t) => (out.stderr += t) });
  return { code, ...out };
}

const BROKEN = [
  "config:",
  "  hybrid-ai-infra:onprem:",
  "    name: dc1",
  "    region: fra",
  "    jurisdiction: Europe",
  "    pools: []",
].join("\n");

/** The copies of the project the command runs on: one to write a lock into, one with broken stacks. */
function projects() {
  const lockDir = project();
  const configDir = project({
    "Pulumi.broken.yaml": () => BROKEN,
    "Pulumi.nokube.yaml": (dev) => dev.replace(/\n {2}hybrid-ai-infra:onpremKubeconfig:\n.*\n/, "\n"),
  });
  return { lockDir, configDir };
}

let commands: ReturnType<typeof projects>;
let plan: PlanRun;

beforeAll(async () => {
  commands = projects();
  plan = await runPlan(root, "dev");
});

const ofType = (type: string) => plan.resources.filter((r) => r.type === type);
const only = (type: string) => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as (typeof found)[number];
};

describe("the dev stack", () => {
  it("refuses, outside the offline plan, every example value the reference stack ships with, by path", async () => {
    const error = await prepare().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as ConfigError).message);
    expect(message).toContain('stack "dev": example values to replace before a real update');
    for (const path of [
      "aws.cluster.admins[0]",
      "aws.cluster.accessEntries[0].principalArn",
      "onprem.router.publicIp",
      "onprem.dns.domain",
      "onpremKubeconfig: is not a kubeconfig",
      "stacks/workloads.dev.yaml workloads[0].image",
    ])
      expect(message).toContain(path);
    // The offline plan lists them instead, and plans.
    expect(plan.notices.some((n) => n.includes("aws.cluster.admins[0]"))).toBe(true);
  });

  it("stops the cluster phase before it registers anything when a cluster is out of reach", async () => {
    // runPlan left the mocks on the cluster project, with the platform's outputs to read.
    const recorder = new Recorder();
    const unreachable = {
      resolve: () => Promise.reject(new Error("ENOTFOUND")),
      connect: () => Promise.reject(new Error("refused")),
    };
    const error = await clusterMain(unreachable).catch((e: unknown) => e);
    expect(String(error)).toContain('cluster phase of "dev": clusters out of reach: eks: its API server');
    expect(recorder.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
    expect(pulumi.runtime.isDryRun()).toBe(true);
  });

  it("gives the on-premises side its files from the platform's outputs (npm run onprem-files)", () => {
    const files = onPremFiles("dev", plan.plainOutputs);
    expect(files.map((f) => f.path)).toEqual([
      "usr/local/sbin/hybrid-ai-infra-dev-interfaces.sh",
      "etc/strongswan.d/hybrid-ai-infra-dev.conf",
      "etc/swanctl/conf.d/hybrid-ai-infra-dev.conf",
      "etc/frr/hybrid-ai-infra-dev.bgpd.conf",
      "etc/unbound/unbound.conf.d/hybrid-ai-infra-dev.conf",
      "etc/unbound/unbound.conf.d/hybrid-ai-infra-dev-services.conf",
    ]);
    const unbound = files[4]?.content ?? "";
    // The storefront runs on two sites: dc1's resolver answers its name itself, with dc1's gateway.
    expect(files[5]?.content).toMatch(/local-zone: "svc\.dev\.[a-z.]+\." static/);
    expect(files[5]?.content).toMatch(/local-data: "storefront\.svc\.dev\.[a-z.]+\. 30 IN A 10\./);
    // The AWS resolver's pinned addresses, known before the first update.
    expect(unbound).toContain("forward-addr: 10.22.63.244");
    // Connections named for the environment: dev's, staging's and prod's files share dc1's router.
    expect(files[2]?.content).toContain("dev-aws-dc1-1 {");
  });

  checksOfEveryStack("dev", () => plan);

  it("declares one private EKS cluster in a new VPC, a spot GPU pool, a bucket and the on-prem target", () => {
    const cluster = only("aws:eks/cluster:Cluster");
    expect(cluster.inputs.name).toBe("eks-dev");
    expect(cluster.inputs.vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    expect(only("aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe("10.22.0.0/16");
    const gpu = ofType("aws:eks/nodeGroup:NodeGroup").find((n) => n.name === "eks-gpu-spot");
    expect(gpu?.inputs).toMatchObject({
      capacityType: "SPOT",
      amiType: "AL2023_x86_64_NVIDIA",
      instanceTypes: ["g5.xlarge"],
    });
    expect(only("aws:s3/bucket:Bucket").protect).toBe(true);
    expect(only("hybrid-ai-infra:index:OnPremCluster").name).toBe("dc1");
  });

  it("lets the VPC and the range the cluster phase runs from (deploy.cidrs), no more of dc1, reach the private API endpoint", () => {
    const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
      r.name.startsWith("eks-api"),
    );
    expect(rules.map((r) => r.inputs.cidrIpv4).sort()).toEqual(["10.10.5.0/24", "10.22.0.0/16"]);
  });

  it("joins dc1 to the VPC over two IKEv2 tunnels with the same proposals on both ends, keys secret", () => {
    const vpn = ofType("aws:ec2/vpnConnection:VpnConnection");
    expect(vpn).toHaveLength(1);
    const connection = vpn[0]?.inputs ?? {};
    const router = ofType("hybrid-ai-infra:index:OnPremVpnRouter")[0];
    const swanctl = String(router?.plainOutputs?.swanctlConf);
    for (const n of [1, 2]) {
      expect(connection[`tunnel${n}IkeVersions`]).toEqual(["ikev2"]);
      expect(connection[`tunnel${n}PresharedKey`]).toBe("[secret]");
    }
    // AWS's AES256-GCM-16 / SHA2-384 / group 20 is strongSwan's aes256gcm16-prfsha384-ecp384.
    expect(connection.tunnel1Phase1EncryptionAlgorithms).toEqual(["AES256-GCM-16"]);
    expect(connection.tunnel1Phase1IntegrityAlgorithms).toEqual(["SHA2-384"]);
    expect(connection.tunnel1Phase1DhGroupNumbers).toEqual([20]);
    expect(swanctl.match(/\bproposals = aes256gcm16-prfsha384-ecp384$/gm)).toHaveLength(2);
    expect(swanctl.match(/esp_proposals = aes256gcm16-ecp384$/gm)).toHaveLength(2);
    expect(router?.secretOutputs?.sort()).toEqual(["bgpdConf", "interfacesScript", "swanctlConf"]);
    const links = planJson(plan).vpn as { tunnels: { inside: string[]; asns: number[] }[] };
    // dev's link names its /28 (169.254.22.0/28): dc1's router also ends staging's and prod's.
    expect(links.tunnels.map((t) => t.inside)).toEqual([
      ["169.254.22.1", "169.254.22.2"],
      ["169.254.22.5", "169.254.22.6"],
    ]);
    expect(planText(plan)).toContain("dc1: eks EKS API endpoint (443)\n");
  });

  it("gives each workload on EKS that reads the site's datasets a role that reads those datasets and nothing else", () => {
    const identities = ofType("hybrid-ai-infra:index:AwsWorkloadIdentity");
    expect(identities.map((i) => i.name)).toEqual(["eks-catalog-embeddings"]);
    const policy = ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.parent === identities[0]?.urn);
    const statements = JSON.parse(String(policy?.plainInputs.policy)).Statement as {
      Action: string;
      Resource: string;
    }[];
    const bucketArn = String(
      (plan.outputs as { buckets: { datasets: { arn: string } } }).buckets.datasets.arn,
    );
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["s3:ListBucket", bucketArn],
      ["s3:GetObject", `${bucketArn}/product-catalog/*`],
      ["kms:Decrypt", expect.stringMatching(/^arn:aws:kms:eu-west-1:123456789012:key\//)],
    ]);
    const association = ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").find(
      (a) => a.parent === identities[0]?.urn,
    );
    expect(association?.inputs).toMatchObject({ namespace: "search", serviceAccount: "catalog-embeddings" });
    // Its policy reaches S3 (the region's prefix list) on 443 and the Pod Identity agent on 80.
    const policy2 = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) => p.name === "workloads-eks-networkpolicy-search-allow-catalog-embeddings",
    );
    type Egress = { to: { ipBlock?: { cidr: string } }[]; ports: { port: number }[] }[];
    const egress = ((policy2?.plainInputs.spec ?? {}) as { egress?: Egress }).egress ?? [];
    const reach = egress.map((r) => [r.to.map((t) => t.ipBlock?.cidr), r.ports.map((p) => p.port)]);
    expect(reach).toContainEqual([["3.5.64.0/21", "3.5.72.0/23", "52.218.0.0/17", "52.92.0.0/17"], [443]]);
    expect(reach).toContainEqual([["169.254.170.23/32"], [80]]);
    // The cluster phase renders that ServiceAccount.
    expect(ofType("kubernetes:core/v1:ServiceAccount").map((a) => a.name)).toContain(
      "workloads-eks-serviceaccount-search-catalog-embeddings",
    );
  });

  it("declares no Kubernetes object or provider in the platform phase, and runs the EKS add-ons in the cluster phase", () => {
    const platform = plan.resources.filter((r) => r.urn.includes("::hybrid-ai-infra::"));
    expect(
      platform.filter((r) => r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes"),
    ).toEqual([]);
    const addons = plan.resources.filter(
      (r) => r.urn.includes("::hybrid-ai-infra-cluster::") && r.name.startsWith("eks-addons"),
    );
    expect(addons.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "kubernetes:apps/v1:DaemonSet",
        "kubernetes:apps/v1:Deployment",
        "kubernetes:core/v1:ServiceAccount",
      ]),
    );
  });

  it("puts every AWS resource on the explicit provider and parents every resource", () => {
    const provider = only("pulumi:providers:aws");
    expect(provider.inputs.region).toBe("eu-west-1");
    // One root stack per phase; everything else has a parent.
    const stacks = ofType("pulumi:pulumi:Stack");
    expect(stacks.map((s) => s.name).sort()).toEqual(["hybrid-ai-infra-cluster-dev", "hybrid-ai-infra-dev"]);
    for (const r of plan.resources) {
      if (!stacks.includes(r)) expect(r.parent, r.urn).toBeDefined();
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
    expect(plan.secretOutputs.sort()).toEqual([
      "clusters.dc1.kubeconfig",
      "clusters.eks.kubeconfig",
      "vpn.onpremRouter.bgpdConf",
      "vpn.onpremRouter.interfacesScript",
      "vpn.onpremRouter.swanctlConf",
    ]);
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
    // The cluster phase's provider for dc1, built from the kubeconfig the platform phase exports.
    expect(job?.provider).toMatch(/::hybrid-ai-infra-cluster::pulumi:providers:kubernetes::dc1::/);
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
    expect(deployments.map((d) => d.provider?.split("::").slice(-2, -1)[0]).sort()).toEqual(["dc1", "eks"]);
    const namespaces = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    expect(namespaces.length).toBeGreaterThanOrEqual(4);
  });

  it("exports the placement and its lock", () => {
    const outputs = plan.outputs as { placement: { lock: { version: number; assignments: unknown[] } } };
    expect(outputs.placement.lock.version).toBe(1);
    expect(outputs.placement.lock.assignments.length).toBe(placed().assignments.length);
  });
});

// What `npm run plan -- --json` and `npm run plan` print for this stack; test/plan/cli.test.ts
// checks that the command line prints exactly planJson and planText of this in-process plan.
interface PlanResource {
  urn: string;
  type: string;
  name: string;
  parent: string | null;
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  inputs: Record<string, any>;
}
interface PlanJson {
  stack: string;
  resources: PlanResource[];
  outputs: Record<string, any>;
  placement: Record<string, any>;
}

describe("the dev stack's plan as JSON (npm run plan -- --json)", () => {
  let jsonText: string;
  let json: PlanJson;
  beforeAll(() => {
    // Through JSON and back, as a reader of the command's output sees it.
    jsonText = `${JSON.stringify(planJson(plan), null, 2)}\n`;
    json = JSON.parse(jsonText) as PlanJson;
  });
  const find = (type: string, name?: string) => {
    const found = json.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
    return found[0] as PlanResource;
  };

  it("is one JSON document with stack, resources and outputs", () => {
    expect(json.stack).toBe("dev");
    expect(json.resources.length).toBeGreaterThan(80);
    for (const r of json.resources) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "urn",
          "type",
          "name",
          "parent",
          "custom",
          "protect",
          "retainOnDelete",
          "inputs",
        ]),
      );
    }
  });

  it("shows an EKS cluster with no public endpoint, secrets encryption and all five log types", () => {
    const cluster = find("aws:eks/cluster:Cluster");
    expect(cluster.inputs.vpcConfig.endpointPublicAccess).toBe(false);
    expect(cluster.inputs.vpcConfig.endpointPrivateAccess).toBe(true);
    expect(cluster.inputs.encryptionConfig.resources).toEqual(["secrets"]);
    expect(cluster.inputs.encryptionConfig.provider.keyArn).toMatch(/^arn:aws:kms:/);
    expect([...cluster.inputs.enabledClusterLogTypes].sort()).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
  });

  it("shows the GPU node group with an NVIDIA AMI, the GPU taint and an IMDSv2 launch template", () => {
    const group = find("aws:eks/nodeGroup:NodeGroup", "eks-gpu-spot");
    expect(group.inputs.amiType).toMatch(/NVIDIA/);
    expect(group.inputs.taints).toContainEqual({
      key: "nvidia.com/gpu",
      value: "true",
      effect: "NO_SCHEDULE",
    });
    const template = find("aws:ec2/launchTemplate:LaunchTemplate", "eks-gpu-spot");
    expect(group.inputs.launchTemplate.id).toMatch(/^lt-/);
    expect(template.inputs.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
  });

  it("shows the bucket with KMS, versioning, all four public-access blocks, a TLS-only policy, protected", () => {
    const bucket = find("aws:s3/bucket:Bucket");
    expect(bucket.protect).toBe(true);
    const sse = find(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(sse.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
    expect(find("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration.status).toBe(
      "Enabled",
    );
    const pab = find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs;
    expect([
      pab.blockPublicAcls,
      pab.blockPublicPolicy,
      pab.ignorePublicAcls,
      pab.restrictPublicBuckets,
    ]).toEqual([true, true, true, true]);
    const policy = JSON.parse(find("aws:s3/bucketPolicy:BucketPolicy").inputs.policy) as {
      Statement: Record<string, any>[];
    };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }),
    );
  });

  it('shows every kubeconfig as "[secret]", in inputs and outputs', () => {
    const kubeconfigs: unknown[] = [];
    const walk = (v: unknown, key: string) => {
      if (key === "kubeconfig") kubeconfigs.push(v);
      if (v && typeof v === "object") for (const [k, inner] of Object.entries(v)) walk(inner, k);
    };
    walk(json, "");
    expect(kubeconfigs.length).toBeGreaterThanOrEqual(4);
    for (const k of kubeconfigs) expect(k).toBe("[secret]");
    // A kubeconfig's first line (the CloudWatch exporter's own config says `apiVersion: v1alpha1`).
    expect(jsonText).not.toMatch(/apiVersion: v1(\\n|\n|")/);
  });

  it("adds the whole placement result", () => {
    const placement = json.placement;
    expect(Object.keys(placement)).toEqual(
      expect.arrayContaining(["assignments", "unplaced", "packing", "cost", "explanations", "lock"]),
    );
    expect(placement.unplaced).toEqual([]);
    expect(placement.explanations["patient-finetune"].chosen).toEqual(["dc1/a100"]);
    expect(placement.explanations["patient-finetune"].reason).toMatch(/\w+/);
  });
});

describe("the dev stack's plan as text (npm run plan)", () => {
  let text: string;
  beforeAll(() => {
    text = planText(plan);
  });

  it("shows the tree, the counts by type, the security settings and the secret outputs", () => {
    expect(text).toContain("Plan for stack dev");
    expect(text).toMatch(/├─ hybrid-ai-infra:index:AwsPrivateCluster {2}eks/);
    expect(text).toMatch(/aws:eks:NodeGroup\s+3/);
    expect(text).toContain("API endpoint         private only");
    expect(text).toContain("clusters.eks.kubeconfig (secret): [secret]");
  });

  it("shows the placement table with reasons and the rejected alternatives", () => {
    expect(text).toMatch(/Placement \(workloads\)\n\s+workload\s+where\s+replicas\s+\$\/h\s+why/);
    expect(text).toMatch(/patient-finetune\s+dc1\/a100\s+2\s+\$\d+\.\d\d\s+\w+/);
    expect(text).toContain("Rejected alternatives");
    expect(text).toMatch(/eks: restricted data runs only on private targets/);
  });
});

describe("the dev stack on an existing VPC", () => {
  it("adds endpoints to the given VPC and creates no VPC of its own", async () => {
    const network = [
      "    network:",
      "      existing:",
      "        vpcId: vpc-0123456789abcdef0",
      "        cidr: 10.22.0.0/16",
      "        privateSubnetIds: [subnet-0a000000, subnet-0b000000, subnet-0c000000, subnet-0d000000]",
      "        privateRouteTableIds: [rtb-0a000000, rtb-0b000000]",
      "        endpointSubnetIds: [subnet-0a000000, subnet-0b000000]",
      // Addresses its owner reserved for the Resolver's inbound endpoint (issue 19.2).
      "        resolverIps: [10.22.63.244, 10.22.127.244, 10.22.191.244, 10.22.200.244]",
      "      endpoints: true",
      "",
    ].join("\n");
    // An existing VPC's entry ranges (explicit reservations its owner made), one per private subnet.
    const entries = [
      "  hybrid-ai-infra:traffic:",
      "    aws: { entryRanges: [10.22.63.240/28, 10.22.127.240/28, 10.22.191.240/28, 10.22.200.240/28] }",
      "    onprem: { addressPool: hybrid-entries, cidr: 10.10.60.0/26 }",
      "",
    ].join("\n");
    let edited = "";
    const dir = project({
      "Pulumi.existing.yaml": (dev) => {
        edited = dev
          .replace(/ {4}network:\n(?: {6}.*\n)+/, network)
          .replace(/ {2}hybrid-ai-infra:traffic:\n(?: {4}.*\n)+/, entries);
        expect(edited).not.toBe(dev);
        return edited;
      },
    });
    cpSync(join(dir, "stacks/workloads.dev.yaml"), join(dir, "stacks/workloads.existing.yaml"));
    // What it checks is the platform's: the cluster phase is not planned.
    const existing = await runPlan(dir, "existing", ["platform"]);
    expect(existing.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")).toHaveLength(0);
    const interfaces = existing.resources.filter(
      (r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && r.inputs.vpcEndpointType === "Interface",
    );
    expect(interfaces.length).toBeGreaterThan(0);
    for (const e of interfaces) expect(e.inputs.subnetIds).toEqual(["subnet-0a000000", "subnet-0b000000"]);
    const cluster = existing.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
    if (!cluster) throw new Error("no EKS cluster in the plan");
    expect((cluster.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).toHaveLength(4);
    // The inbound endpoint takes the addresses the config pins, so dc1 is configured before the first up.
    const inbound = existing.resources.find(
      (r) => r.type === "aws:route53/resolverEndpoint:ResolverEndpoint" && r.inputs.direction === "INBOUND",
    );
    expect(inbound?.inputs.ipAddresses).toEqual([
      { subnetId: "subnet-0a000000", ip: "10.22.63.244" },
      { subnetId: "subnet-0b000000", ip: "10.22.127.244" },
      { subnetId: "subnet-0c000000", ip: "10.22.191.244" },
      { subnetId: "subnet-0d000000", ip: "10.22.200.244" },
    ]);
  });
});

describe("npm run plan, as a command", () => {
  // The command's own function, in this process, after the in-process plan (mocks are
  // process-wide): it parses the arguments, plans, starts the pack in a process of its own and
  // prints. The command line itself (tsx, npm) runs for every stack in CI (.ci/run).
  let withLock: CommandResult;
  beforeAll(async () => {
    withLock = await inProcess([
      "--project-dir",
      commands.lockDir,
      "--stack",
      "dev",
      "--json",
      "--write-lock",
    ]);
  }, 60_000);

  it("--json prints one JSON document: the plan made in-process, byte for byte, then the policy pack's verdicts", () => {
    expect(withLock.code, withLock.stderr).toBe(0);
    const printed = JSON.parse(withLock.stdout) as { policy?: { config: string; violations: unknown[] } };
    // The pack ran as the CLI runs it, under dev's pack config (everything advisory): no findings.
    expect(printed.policy).toEqual({ config: expect.stringMatching(/config\.dev\.json$/), violations: [] });
    expect(withLock.stdout).toBe(
      `${JSON.stringify({ ...planJson(plan), policy: printed.policy }, null, 2)}\n`,
    );
  });

  it("--write-lock stores the decision as the lock, which the next plan reads back as the previous decision", async () => {
    expect(withLock.code, withLock.stderr).toBe(0);
    expect(withLock.stderr).toMatch(/^wrote stacks\/placement\.dev\.lock\.json \(\d+ assignments\)/);
    const lockFile = join(commands.lockDir, "stacks/placement.dev.lock.json");
    expect(existsSync(lockFile)).toBe(true);
    const written = readFileSync(lockFile, "utf8");
    const lock = JSON.parse(written) as { version: number; assignments: unknown[] };
    const placement = (JSON.parse(withLock.stdout) as { placement: { lock: unknown } }).placement;
    expect(lock).toEqual(placement.lock);
    expect(written).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    // The lock it wrote is the committed one the plan read (so the next plan reads back exactly
    // what this one read: placement is deterministic, test/placement), and that plan kept every
    // placement: writing its lock again would write the same bytes.
    expect(written).toBe(readFileSync(join(root, "stacks/placement.dev.lock.json"), "utf8"));
    const read = planJson(plan) as { placement: { lock: unknown; cost: { movePenalty: number } } };
    expect(read.placement.lock).toEqual(lock);
    expect(read.placement.cost.movePenalty).toBe(0);
  });

  it("exits 1 with a broken stack config's ConfigError text and no stack trace", async () => {
    // The command's own function, in process: how it prints is what is tested, not tsx's start-up.
    const broken = await inProcess(["--project-dir", commands.configDir, "--stack", "broken"]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toBe(
      [
        'stack config "broken": 3 problems',
        '  - onprem.jurisdiction: "Europe" is not a jurisdiction code such as EU, US or DE',
        "  - onprem.pools: [] is too small: needs at least one pool: placement can only use capacity it knows about",
        '  - monitoring.onprem.remoteWriteUrl: is not set, and onprem "dc1" needs a Prometheus-compatible store for its metrics; give its remote-write URL (https), or set monitoring.enabled: false',
        "",
      ].join("\n"),
    );
  });

  it("refuses an on-premises site without its kubeconfig before declaring anything", async () => {
    // A ConfigError, which the command prints as it is and exits 1 (above).
    const error = await runPlan(commands.configDir, "nokube").then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'stack config "nokube": onpremKubeconfig: is not set, and onprem "dc1" needs it; run pulumi config set --secret onpremKubeconfig < kubeconfig.yaml',
    );
  });

  it("exits 1 naming the stacks that exist when the stack is unknown", async () => {
    const unknown = await inProcess(["--stack", "nope", "--project-dir", root]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^no stack "nope": .*Pulumi\.nope\.yaml does not exist; stacks here: dev/);
    await expect(runPlan(root, "nope")).rejects.toBeInstanceOf(StackFileError);
  });
});
