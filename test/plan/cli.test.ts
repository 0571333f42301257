import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");
const tsx = join(root, "node_modules/.bin/tsx");
const cli = join(root, "scripts/plan/cli.ts");

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
}

async function plan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let json: PlanJson;
let jsonText: string;
let again: string;
let text: string;

beforeAll(async () => {
  const [first, second, human] = await Promise.all([
    plan(["--stack", "dev", "--json"]),
    plan(["--stack", "dev", "--json"]),
    plan([]),
  ]);
  expect(first.code, first.stderr).toBe(0);
  jsonText = first.stdout;
  again = second.stdout;
  json = JSON.parse(first.stdout) as PlanJson;
  text = human.stdout;
});

const find = (type: string, name?: string) => {
  const found = json.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0] as PlanResource;
};

describe("npm run plan -- --stack dev --json", () => {
  it("prints one JSON document with stack, resources and outputs", () => {
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
    expect(jsonText).not.toContain("apiVersion: v1");
  });

  it("adds the whole placement result", () => {
    const placement = (json as unknown as { placement: Record<string, any> }).placement;
    expect(Object.keys(placement)).toEqual(
      expect.arrayContaining(["assignments", "unplaced", "packing", "cost", "explanations", "lock"]),
    );
    expect(placement.unplaced).toEqual([]);
    expect(placement.explanations["patient-finetune"].chosen).toEqual(["dc1/a100"]);
    expect(placement.explanations["patient-finetune"].reason).toMatch(/\w+/);
  });

  it("prints the same bytes every time", () => {
    expect(again).toBe(jsonText);
  });
});

describe("npm run plan (text)", () => {
  it("prints the tree, the counts by type, the security settings and the secret outputs", () => {
    expect(text).toContain("Plan for stack dev");
    expect(text).toMatch(/├─ hybrid-ai-infra:index:AwsPrivateCluster {2}eks/);
    expect(text).toMatch(/aws:eks:NodeGroup\s+3/);
    expect(text).toContain("API endpoint         private only");
    expect(text).toContain("clusters.eks.kubeconfig (secret): [secret]");
  });

  it("prints the placement table with reasons and the rejected alternatives", () => {
    expect(text).toMatch(/Placement \(workloads\)\n\s+workload\s+where\s+replicas\s+\$\/h\s+why/);
    expect(text).toMatch(/patient-finetune\s+dc1\/a100\s+2\s+\$\d+\.\d\d\s+\w+/);
    expect(text).toContain("Rejected alternatives");
    expect(text).toMatch(/eks: restricted data runs only on private targets/);
  });
});

describe("npm run plan -- --write-lock", () => {
  it("stores the decision as the lock, which the next plan reads back as the previous decision", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-lock-"));
    cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
    const lockFile = join(dir, "stacks/placement.dev.lock.json");
    const first = await plan(["--project-dir", dir, "--write-lock", "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^wrote stacks\/placement\.dev\.lock\.json \(\d+ assignments\)/);
    expect(existsSync(lockFile)).toBe(true);
    const lock = JSON.parse(readFileSync(lockFile, "utf8")) as { version: number; assignments: unknown[] };
    const placement = (JSON.parse(first.stdout) as { placement: { lock: unknown } }).placement;
    expect(lock).toEqual(placement.lock);
    const second = await plan(["--project-dir", dir, "--write-lock", "--json"]);
    expect(readFileSync(lockFile, "utf8")).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    expect(
      (JSON.parse(second.stdout) as { placement: { cost: { movePenalty: number } } }).placement.cost
        .movePenalty,
    ).toBe(0);
  });
});

describe("a broken stack config", () => {
  it("exits 1 with the ConfigError text and no stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-"));
    cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
    writeFileSync(
      join(dir, "stacks/Pulumi.broken.yaml"),
      [
        "config:",
        "  hybrid-ai-infra:onprem:",
        "    name: dc1",
        "    region: fra",
        "    jurisdiction: Europe",
        "    pools: []",
      ].join("\n"),
    );
    const result = await plan(["--project-dir", dir, "--stack", "broken"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        'stack config "broken": 2 problems',
        '  - onprem.jurisdiction: "Europe" is not a jurisdiction code such as EU, US or DE',
        "  - onprem.pools: [] is too small: needs at least one pool: placement can only use capacity it knows about",
        "",
      ].join("\n"),
    );
  });

  it("refuses an on-premises site without its kubeconfig before declaring anything", async () => {
    const dir = mkdtempSync(join(tmpdir(), "plan-"));
    cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
    const dev = readFileSync(join(dir, "stacks/Pulumi.dev.yaml"), "utf8");
    writeFileSync(
      join(dir, "stacks/Pulumi.nokube.yaml"),
      dev.replace(/\n {2}hybrid-ai-infra:onpremKubeconfig:\n.*\n/, "\n"),
    );
    const result = await plan(["--project-dir", dir, "--stack", "nokube"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'stack config "nokube": onpremKubeconfig: is not set, and onprem "dc1" needs it; run pulumi config set --secret onpremKubeconfig < kubeconfig.yaml\n',
    );
  });

  it("exits 1 naming the stacks that exist when the stack is unknown", async () => {
    const result = await plan(["--stack", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^no stack "nope": .*Pulumi\.nope\.yaml does not exist; stacks here: dev/);
  });
});
