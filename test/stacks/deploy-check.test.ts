import { describe, expect, it } from "vitest";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig } from "../../stacks/config";
import { referenceStackConfig } from "../helpers/stack-config";

type Raw = Record<string, unknown> & {
  deploy?: { from: string; cidrs: string[] };
  vpn?: { links: { sites: string[]; insideCidr?: string }[] };
};

/** A reference stack's config as the program sees it: keys without the namespace, no secrets. */
function stackConfig(stack: "dev" | "staging"): Raw {
  return referenceStackConfig(stack) as Raw;
}

/** The issues the config check reports on `deploy`, one line each; [] when the config parses. */
function deployIssues(stack: "dev" | "staging", raw: Raw): string[] {
  try {
    parsePlatformConfig(stack, raw);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues
      .map((i) => `${i.path}: ${i.message}`)
      .filter((l) => l.startsWith("deploy"));
  }
}

describe("where the cluster phase runs (issue 19.1)", () => {
  it("accepts dev and staging as committed: each cloud joined to dc1, the admin range inside dc1", () => {
    expect(deployIssues("dev", stackConfig("dev"))).toEqual([]);
    expect(deployIssues("staging", stackConfig("staging"))).toEqual([]);
  });

  it("refuses a config with cloud clusters and no deploy section, naming the clusters", () => {
    const raw = stackConfig("staging");
    delete raw.deploy;
    const issues = deployIssues("staging", raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^deploy: is not set, and the cluster phase must reach the private API servers of /,
    );
    expect(issues[0]).toContain("(aws)");
    expect(issues[0]).toContain("(azure)");
  });

  it("refuses a site that reaches a cloud over no VPN link, naming that cloud and the link to add", () => {
    const raw = stackConfig("staging");
    raw.vpn = { links: (raw.vpn?.links ?? []).filter((l) => !l.sites.includes("azure")) };
    const issues = deployIssues("staging", raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^deploy\.from: "onprem" does not reach \S+ \(azure\): no VPN link joins them/);
    expect(issues[0]).toContain("vpn.links: [{ sites: [onprem, azure] }]");
  });

  it("refuses a runner in a cloud that no link joins to the other cloud, and takes its range in the VPC", () => {
    const raw = stackConfig("staging");
    raw.deploy = { from: "aws", cidrs: ["10.21.250.0/24"] };
    // The range is inside the VPC and dc1 is joined to it; AKS is reached over no link of the VPC.
    const issues = deployIssues("staging", raw);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^deploy\.from: "aws" does not reach \S+ \(azure\): no VPN link joins them/);
    raw.vpn?.links.push({ sites: ["aws", "azure"] });
    expect(deployIssues("staging", raw)).toEqual([]);
  });

  it("refuses admin ranges outside the site it runs from, by index", () => {
    const raw = stackConfig("dev");
    raw.deploy = { from: "onprem", cidrs: ["10.10.5.0/24", "192.168.7.0/24"] };
    expect(deployIssues("dev", raw)).toEqual([
      expect.stringMatching(
        /^deploy\.cidrs\[1\]: "192\.168\.7\.0\/24" is not inside onprem's network \(10\.10\.0\.0\/16\)/,
      ),
    ]);
  });

  it("refuses a site the config does not have", () => {
    const raw = stackConfig("dev");
    raw.deploy = { from: "azure", cidrs: ["10.10.5.0/24"] };
    expect(deployIssues("dev", raw)).toEqual(["deploy.from: names azure, which the config does not have"]);
  });
});

describe("an existing VPC's pinned resolver addresses (issue 19.2)", () => {
  /** dev on an existing VPC of four private subnets, with the given inbound addresses. */
  function existingVpc(resolverIps: string[]): Raw {
    const raw = stackConfig("dev");
    const aws = raw.aws as { network: unknown };
    aws.network = {
      existing: {
        vpcId: "vpc-0123456789abcdef0",
        cidr: "10.22.0.0/16",
        privateSubnetIds: ["subnet-0a000000", "subnet-0b000000", "subnet-0c000000", "subnet-0d000000"],
        privateRouteTableIds: ["rtb-0a000000"],
        resolverIps,
      },
    };
    raw.traffic = {
      aws: { entryRanges: ["10.22.63.240/28", "10.22.127.240/28", "10.22.191.240/28", "10.22.200.240/28"] },
      onprem: { addressPool: "hybrid-entries", cidr: "10.10.60.0/26" },
    };
    return raw;
  }
  const issuesOf = (raw: Raw): string[] => {
    try {
      parsePlatformConfig("dev", raw);
      return [];
    } catch (e) {
      return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
    }
  };

  it("takes one address per private subnet inside the VPC", () => {
    const config = parsePlatformConfig(
      "dev",
      existingVpc(["10.22.63.244", "10.22.127.244", "10.22.191.244", "10.22.200.244"]),
    );
    const network = config.aws?.network;
    expect(network && "existing" in network ? network.existing.resolverIps : undefined).toHaveLength(4);
  });

  it("refuses too few addresses, one outside the VPC and a repeated one, by path", () => {
    expect(issuesOf(existingVpc(["10.22.63.244", "10.23.0.10", "10.22.63.244"]))).toEqual([
      "aws.network.existing.resolverIps: has 3 addresses for 4 private subnets; give one per subnet, in privateSubnetIds' order (the inbound endpoint takes an address in each)",
      'aws.network.existing.resolverIps[1]: "10.23.0.10" is outside the VPC 10.22.0.0/16',
      'aws.network.existing.resolverIps[2]: "10.22.63.244" repeats resolverIps[0]; give each address once',
    ]);
  });
});
