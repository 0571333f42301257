// The components' own rules, run on config before anything is declared: a value the config schema
// lets through but a component would refuse (a bucket name too short to make a bucket prefix, an
// EKS name the environment makes too long) is reported with every other problem, by config path,
// not later by the component in its arguments' words and one at a time.

import { parseBucketArgs, parseClusterArgs } from "../../components/aws/internal";
import { commonArgsOf } from "../../components/kit";
import { ConfigError, type ConfigIssue } from "../../components/validation";
import { datasetName } from "./datasets";
import type { PlatformConfig } from "./fields";

/** Component fields the stack derives from a config entry's `name`. */
const FROM_NAME = new Set(["bucketPrefix", "clusterName"]);

/**
 * A component's issue as a config issue: its path under the config entry when the entry has that
 * field, else the entry's name (for fields derived from it) or the entry itself.
 */
function underConfig(issue: ConfigIssue, prefix: string, entry: Record<string, unknown>): ConfigIssue {
  const head = issue.path.split(/[.[]/)[0] ?? "";
  if (head && head in entry) return { path: `${prefix}.${issue.path}`, message: issue.message };
  if (FROM_NAME.has(head)) {
    // The component's advice names its own argument, which the stack file cannot set.
    const why = issue.message.replace(/^is not given, and /, "").replace(new RegExp(`; set ${head}$`), "");
    return {
      path: `${prefix}.name`,
      message: `${JSON.stringify(entry.name)} cannot be used: the stack derives the component's ${head} from it, and ${why}; choose another name`,
    };
  }
  return { path: prefix, message: `${issue.path ? `${issue.path}: ` : ""}${issue.message}` };
}

function collect(prefix: string, entry: Record<string, unknown>, check: () => unknown): ConfigIssue[] {
  try {
    check();
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.issues.map((i) => underConfig(i, prefix, entry));
  }
}

/** Every component rule the config breaks, by config path; empty when the program can declare it all. */
export function preflightIssues(config: PlatformConfig): ConfigIssue[] {
  const common = commonArgsOf(config);
  const issues: ConfigIssue[] = [];
  const { aws } = config;
  if (aws) {
    (aws.buckets ?? []).forEach((b, i) => {
      const { name, datasets, ...args } = b;
      issues.push(
        ...collect(`aws.buckets[${i}]`, b, () =>
          parseBucketArgs(name, { ...common, ...args, datasets: (datasets ?? []).map(datasetName) }),
        ),
      );
    });
    const { name, kueueImage: _kueueImage, ...cluster } = aws.cluster;
    const net = aws.network;
    const cidr = "cidr" in net ? net.cidr : net.existing.cidr;
    // A new VPC knows its zones (the pinned ones, else the region's first three); an existing one does not.
    const zones =
      "cidr" in net ? (net.availabilityZones ?? ["a", "b", "c"].map((z) => `${aws.region}${z}`)) : undefined;
    issues.push(
      ...collect("aws.cluster", aws.cluster, () =>
        parseClusterArgs(name, {
          ...common,
          ...cluster,
          network: {
            vpcId: "vpc-00000000",
            cidrBlock: cidr,
            privateSubnetIds: ["subnet-00000000", "subnet-00000001"],
            ...(zones ? { privateSubnetZones: zones } : {}),
          },
          placement: { region: aws.region, jurisdiction: aws.jurisdiction },
        }),
      ),
    );
  }
  return issues;
}
