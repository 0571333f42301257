// Several environments in one AWS account and region, behind one on-premises router (issue 25):
// every account-scoped physical name the library sets differs per stack, no two environments share
// a customer gateway, two environments that join one router route networks and inside /28s of their
// own, and every name the config makes the components derive fits its service's limit.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWorkloadCatalog } from "../../components/kubernetes";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig, readSiblingEnvironments, sitesOf } from "../../stacks/config";
import { awsIdentityNameIssues } from "../../stacks/joins";
import { keptAccountNames } from "../helpers/account-names";
import { stackConfigOf } from "../helpers/stack-config";

const root = resolve(__dirname, "../..");

const stackFile = (stack: string) => readFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), "utf8");

function problems(stack: string, raw: Record<string, unknown>, dir = root): string {
  try {
    parsePlatformConfig(stack, raw, readSiblingEnvironments(dir, stack));
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  return "";
}

describe("environments that share the on-premises router (issue 25.2)", () => {
  it("reads the project's other stack files as the other environments", () => {
    expect(readSiblingEnvironments(root, "dev").map((s) => [s.stack, s.file])).toEqual([
      ["prod", join("stacks", "Pulumi.prod.yaml")],
      ["staging", join("stacks", "Pulumi.staging.yaml")],
    ]);
  });

  it("accepts the reference stacks side by side: their networks and inside /28s on router 198.51.100.10 are their own", () => {
    for (const stack of ["dev", "staging", "prod"])
      expect(problems(stack, stackConfigOf(stackFile(stack)))).toBe("");
  });

  it("refuses dev as it was: prod's VPC range and prod's inside /28 on the same router, by config path", () => {
    const raw = stackConfigOf(stackFile("dev")) as {
      aws: { network: { cidr: string } };
      vpn: { links: { insideCidr?: string }[] };
    };
    raw.aws.network.cidr = "10.20.0.0/16";
    delete raw.vpn.links[0]?.insideCidr;
    expect(problems("dev", raw)).toBe(
      [
        'stack config "dev": 2 problems',
        `  - aws.network: "10.20.0.0/16" overlaps prod's aws.network "10.20.0.0/16" (${join("stacks", "Pulumi.prod.yaml")}), and both environments join router 198.51.100.10; the router routes every environment at once, so give each environment's networks on it ranges of their own`,
        "  - vpn.links[0].insideCidr: aws-dc1 takes 169.254.21.0/28 on router 198.51.100.10, as prod's aws-dc1 does (vpn.links[0].insideCidr); give each environment's links on one router a /28 of their own",
      ].join("\n"),
    );
  });

  it("lets environments behind different routers use the same ranges", () => {
    const dir = mkdtempSync(join(tmpdir(), "routers-"));
    cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
    // A second data centre's router for a copy of prod.
    writeFileSync(
      join(dir, "stacks", "Pulumi.prod2.yaml"),
      stackFile("prod").replace("publicIp: 198.51.100.10", "publicIp: 198.51.100.20"),
    );
    expect(
      problems("prod2", stackConfigOf(readFileSync(join(dir, "stacks", "Pulumi.prod2.yaml"), "utf8")), dir),
    ).toBe("");
    expect(problems("prod", stackConfigOf(stackFile("prod")), dir)).toBe("");
  });
});

describe("names the config makes the AWS components derive (issue 25.5, issue 18.3)", () => {
  it("refuses a cluster name whose IAM role names pass 64 characters, at aws.cluster.name, without a component", () => {
    const raw = stackConfigOf(stackFile("dev")) as { aws: { cluster: { name: string } } };
    raw.aws.cluster.name = "ml-platform-training-europe-west-zone-a1";
    expect(problems("dev", raw)).toContain(
      'aws.cluster.name: the cluster name "ml-platform-training-europe-west-zone-a1" gives the IAM role name "ml-platform-training-europe-west-zone-a1-cluster-autoscaler-xxxxxxx" (67 characters, the last seven random), over the 64 IAM CreateRole, RoleName allows; shorten it by 3',
    );
  });

  it("refuses a pool name whose node group name passes EKS's 63, at that pool's name", () => {
    const raw = stackConfigOf(stackFile("dev")) as {
      aws: { cluster: { name: string; nodeGroups: { name: string }[] } };
    };
    raw.aws.cluster.name = "ml-platform-eu1";
    const pool = raw.aws.cluster.nodeGroups[1];
    if (!pool) throw new Error("dev has no second pool");
    pool.name = "g".repeat(40);
    expect(problems("dev", raw)).toBe(
      `stack config "dev": aws.cluster.nodeGroups[1].name: this name gives the EKS node group name "ml-platform-eu1-${"g".repeat(40)}-xxxxxxx" (64 characters, the last seven random), over the 63 EKS CreateNodegroup, nodegroupName allows; shorten it by 1`,
    );
  });

  it("refuses a workload whose AWS identity's role name passes 64, by catalog path", () => {
    const config = parsePlatformConfig("dev", stackConfigOf(stackFile("dev")));
    const catalog = parseWorkloadCatalog(
      readFileSync(join(root, "stacks", "workloads.dev.yaml"), "utf8"),
      "w.yaml",
    );
    const reader = catalog.findIndex((w) => (w.datasets ?? []).length > 0);
    const long = catalog.map((w, i) => (i === reader ? { ...w, name: "w".repeat(60) } : w));
    expect(awsIdentityNameIssues(sitesOf(config), catalog)).toEqual([]);
    expect(awsIdentityNameIssues(sitesOf(config), long)).toEqual([
      {
        path: `workloads[${reader}].name`,
        message: `this name gives the IAM role name "eks-${"w".repeat(60)}-xxxxxxx" (72 characters, the last seven random), over the 64 IAM CreateRole, RoleName allows; shorten it by 8`,
      },
    ]);
  });
});

describe("dev, staging and prod side by side in one account and region (issue 25.1)", () => {
  // Each stack's names as its own plan sets them: every stack's checks (test/helpers/stack-plan.ts)
  // fail when its plan sets other names than its file keeps, so these are the three plans' names,
  // without planning the three stacks again here.
  const kept = new Map(["dev", "staging", "prod"].map((stack) => [stack, keptAccountNames(stack)]));

  it("set no account-scoped physical name twice, and every other one is left to auto-naming or a prefix", () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [stack, names] of kept) {
      for (const name of names) {
        const first = seen.get(name);
        if (first) clashes.push(`${name}: ${first} and ${stack}`);
        seen.set(name, stack);
      }
    }
    expect(clashes).toEqual([]);
    // The names the library sets carry the environment; the rest get the provider's unique suffix.
    const dev = kept.get("dev") ?? [];
    expect(dev).toContain("aws:cloudwatch/logGroup:LogGroup /aws/vendedlogs/vpn/dev/eks-vpn");
    expect(dev).toContain("aws:eks/cluster:Cluster eks-dev");
    expect(dev.some((n) => n.startsWith("aws:iam/role:Role "))).toBe(false);
  });

  it("give dev, staging and prod a customer gateway each at the one router", () => {
    const gateways = [...kept].flatMap(([stack, names]) =>
      names
        .filter((n) => n.startsWith("aws:ec2/customerGateway:CustomerGateway 198.51.100.10 "))
        .map((n) => {
          const [, ip, , device] = n.split(" ");
          return { stack, ip, device };
        }),
    );
    expect(gateways.map((g) => g.ip)).toEqual(["198.51.100.10", "198.51.100.10", "198.51.100.10"]);
    expect(new Set(gateways.map((g) => g.device)).size).toBe(3);
    expect(gateways.map((g) => g.device).sort()).toEqual([
      "dev-aws-dc1-1",
      "prod-aws-dc1-1",
      "staging-aws-dc1-1",
    ]);
  });
});
