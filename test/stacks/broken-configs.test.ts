// The mistakes a platform engineer makes in a stack file or catalog, one class each (issue 12),
// through the plan command's own function: exit 1, the config path, the offending value, no
// stack trace. A valid variant (another region, an extra pool, another GPU family) still plans.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { planCli } from "../../scripts/plan/cli";

const root = resolve(__dirname, "../..");
let dir: string;
let dev: string;
let catalog: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "broken-"));
  cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
  cpSync(join(root, "policies"), join(dir, "policies"), { recursive: true });
  dev = readFileSync(join(dir, "stacks/Pulumi.dev.yaml"), "utf8");
  catalog = readFileSync(join(dir, "stacks/workloads.dev.yaml"), "utf8");
});

async function plan(stack: string, file: string, files: Record<string, string> = {}) {
  // Each case is a copy of dev and stands alone: beside dev (or another case) it would share its
  // router and networks, which the stack config refuses.
  for (const entry of readdirSync(join(dir, "stacks")))
    if (/^Pulumi\..+\.yaml$/.test(entry)) rmSync(join(dir, "stacks", entry));
  writeFileSync(join(dir, "stacks", `Pulumi.${stack}.yaml`), file);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "stacks", name), text);
  const out = { stdout: "", stderr: "" };
  const code = await planCli(["--project-dir", dir, "--stack", stack, "--no-policy"], {
    out: (t) => (out.stdout += t),
    err: (t) => (out.stderr += t),
  });
  return { code, ...out };
}

const replace = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`the dev stack file has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
};

describe("broken stack files and catalogs", () => {
  it.each([
    {
      what: "a key in a misspelt namespace",
      file: () => `${dev}  hybrid-ai-infr:dataClassification: restricted\n`,
      says: ["hybrid-ai-infr:dataClassification", "did you mean hybrid-ai-infra:dataClassification?"],
    },
    {
      what: "a credential in clear text",
      file: () =>
        dev.replace(
          / {2}hybrid-ai-infra:onpremKubeconfig:\n {4}secure: .*\n/,
          "  hybrid-ai-infra:onpremKubeconfig: apiVersion-v1\n",
        ),
      says: [
        "hybrid-ai-infra:onpremKubeconfig",
        "is in clear text",
        "pulumi config set --secret onpremKubeconfig",
      ],
    },
    {
      what: "a misspelt region, and zones of another region",
      file: () => replace(dev, "region: eu-west-1", "region: eu-wset-1"),
      says: [
        'aws.region: "eu-wset-1"',
        "Did you mean eu-west-1?",
        'aws.network.availabilityZones[0]: "eu-west-1a" is a zone of eu-west-1, not of eu-wset-1',
      ],
    },
    {
      what: "an unknown Kubernetes version",
      file: () => replace(dev, 'kubernetesVersion: "1.34"', 'kubernetesVersion: "1.99"'),
      says: ['aws.cluster.kubernetesVersion: "1.99"', "allowUnlisted.kubernetesVersions"],
    },
    {
      what: "an ARN of the wrong kind",
      file: () =>
        replace(
          dev,
          "          diskSizeGiB: 200",
          "          diskSizeGiB: 200\n          diskKmsKeyArn: arn:aws:iam::123456789012:role/not-a-key",
        ),
      says: ["aws.cluster.nodeGroups[1].diskKmsKeyArn", "arn:aws:iam::123456789012:role/not-a-key"],
    },
    {
      what: "two buckets of one name",
      file: () =>
        replace(
          dev,
          "    buckets:\n      - name: datasets\n",
          "    buckets:\n      - name: datasets\n      - name: datasets\n",
        ),
      says: ["aws.buckets[1].name", '"datasets"'],
    },
    {
      what: "a restricted workload reading a dataset no site hosts",
      file: () => dev,
      files: (stack: string) => ({
        [`workloads.${stack}.yaml`]: catalog.replace(
          "{ name: patient-records, readGiBPerHour: 200 }",
          "{ name: mystery-records, readGiBPerHour: 200 }",
        ),
      }),
      says: ["workloads[0].datasets[0].name", '"mystery-records" is hosted by no site'],
    },
    {
      what: "a replica count a few zeros too long",
      file: () => dev,
      files: (stack: string) => ({
        [`workloads.${stack}.yaml`]: catalog.replace("replicas: 2", "replicas: 2000000"),
      }),
      says: ["replicas", "2000000 is too big: the most one workload may ask for is 10000 replicas"],
    },
    {
      what: "traffic settings that name sites the service is not on, and an internet-facing entry for internal data",
      file: () => dev,
      files: (stack: string) => ({
        [`workloads.${stack}.yaml`]: replace(
          catalog,
          "    spread: { minTargets: 2 }\n    ports: [{ name: http, port: 8080 }]\n",
          "    spread: { minTargets: 2 }\n    ports: [{ name: http, port: 8080 }]\n    traffic: { weights: { aks: 2 }, preferLocal: [aks], entry: internet-facing }\n",
        ),
      }),
      says: [
        "workloads[3].traffic.weights.aks",
        "is a weight for aks, where storefront is not placed; it runs on dc1, eks",
        "workloads[3].traffic.preferLocal[0]",
        '"aks" runs no copy of storefront to prefer',
        "workloads[3].traffic.entry",
        "is internet-facing, and storefront's data is internal",
      ],
    },
    {
      what: "an on-premises entry pool outside the site's network",
      file: () => replace(dev, "cidr: 10.10.60.0/26", "cidr: 10.99.60.0/26"),
      says: ["traffic.onprem.cidr", '"10.99.60.0/26" is outside onprem.networkCidr 10.10.0.0/16'],
    },
    {
      // Issue 24, point 10: flannel accepts NetworkPolicies and enforces none.
      what: "an on-premises CNI that ignores NetworkPolicy under restricted data",
      file: () => replace(dev, "      cni: calico\n", "      cni: flannel\n"),
      files: (stack: string) => ({ [`workloads.${stack}.yaml`]: catalog }),
      says: ["onprem.cluster.cni", "is flannel, which does not enforce NetworkPolicy", "patient-finetune"],
    },
    {
      what: "restricted data on an on-premises cluster whose CNI is not stated",
      file: () => replace(dev, "      cni: calico\n", ""),
      files: (stack: string) => ({ [`workloads.${stack}.yaml`]: catalog }),
      says: ["onprem.cluster.cni", "is unset, and restricted workload patient-finetune"],
    },
    {
      what: "on-premises GPU pools with no device plugin stated",
      file: () =>
        replace(
          dev,
          '      gpu:\n        devicePlugin: nvidia-device-plugin\n        taint: { key: nvidia.com/gpu, value: "true", effect: NoSchedule }\n',
          "",
        ),
      says: ["onprem.cluster.gpu", "pool a100 has GPUs", "devicePlugin"],
    },
    {
      // The Secrets Store CSI driver mounts files: a secret as environment variables has no way in.
      what: "a secret as environment variables on a cluster whose secrets come from the CSI driver",
      file: () =>
        replace(
          dev,
          "      name: eks\n",
          "      name: eks\n      workloadSecrets: { driver: secrets-store-csi, provider: aws }\n",
        ),
      files: (stack: string) => ({
        [`workloads.${stack}.yaml`]: replace(
          catalog,
          "    image: registry.internal.example.com/web/storefront:5.12.0\n",
          "    image: registry.internal.example.com/web/storefront:5.12.0\n    serviceAccountName: storefront\n    secrets: [{ name: api-key, store: vault, remoteKey: web/storefront/api-key }]\n",
        ),
      }),
      says: [
        "workloads[3].secrets[0].mountPath",
        "eks mounts secrets with the Secrets Store CSI driver (aws.cluster.workloadSecrets)",
      ],
    },
    {
      what: "a stack file that is not YAML",
      file: () => `${dev}   broken: [\n`,
      says: ["Pulumi.case-", "is not valid YAML", "line "],
    },
  ])("$what: exit 1, the path and the value, no stack trace", async ({ file, files, says }) => {
    const stack = `case-${Math.random().toString(36).slice(2, 8)}`;
    const result = await plan(stack, file(), files ? files(stack) : {});
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe("");
    for (const text of says) expect(result.stderr).toContain(text);
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it("plans a valid variant: another region with its zones, an extra pool, another GPU family", async () => {
    const variant = replace(
      replace(
        replace(dev, "region: eu-west-1", "region: eu-central-1"),
        "availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]",
        "availabilityZones: [eu-central-1a, eu-central-1b, eu-central-1c]",
      ),
      "          instanceTypes: [g5.xlarge]",
      "          instanceTypes: [g6.xlarge]",
    ).replace(
      "        - name: gpu-spot",
      "        - name: batch\n          instanceTypes: [c7i.2xlarge]\n          minSize: 0\n          maxSize: 2\n        - name: gpu-spot",
    );
    const result = await plan("variant", variant, {
      "workloads.variant.yaml": catalog,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Plan for stack variant");
  });

  it("--out writes the output to the file (JSON for a .json name, --json or not), not to stdout; --svg draws the plan beside it", async () => {
    const out = join(dir, "plan.json");
    const svg = join(dir, "plan.svg");
    const result = { stdout: "", stderr: "" };
    const code = await planCli(
      [
        "--project-dir",
        dir,
        "--stack",
        "variant",
        "--phase",
        "platform",
        "--no-policy",
        "--out",
        out,
        "--svg",
        svg,
      ],
      {
        out: (t) => (result.stdout += t),
        err: (t) => (result.stderr += t),
      },
    );
    expect(code, result.stderr).toBe(0);
    expect(result.stdout).toBe("");
    expect((JSON.parse(readFileSync(out, "utf8")) as { stack: string }).stack).toBe("variant");
    expect(readFileSync(svg, "utf8")).toContain("<svg");
  });
});
