import {
  checkClusterNames,
  checkDerivedBucketPrefix,
  checkDerivedClusterName,
  checkEfaPlacement,
  checkImagesReachable,
  checkNameLimits,
  checkNetworkPolicySupport,
  checkOneEntryPerPrincipal,
  resolveFlowLogsFlag,
  resolveNewVpc,
  vpcGeneratedNames,
} from "../../../components/aws/internal";
import { cidrContains } from "../../../components/validation";
import type { CheckIssue, ConfigCheck } from "./check";
import { collect, issueAt } from "./check";

// The AWS components' rules, run on the config by config path: the stack derives the components'
// names and network from its entries, so a rule that needs them is run here on the same values the
// program will pass, not on placeholder args.

/** Issues a component rule reported relative to the config entry at `prefix`. */
function under(prefix: readonly (string | number)[], issues: CheckIssue[]): CheckIssue[] {
  return issues.map((i) => issueAt([...prefix, ...i.path], i.message));
}

/**
 * An EFA group names its zone: one of the VPC's zones (the pinned ones, or the region's), matched to
 * a subnet the VPC creates; an existing VPC's subnets have no known zone, so it gives efaSubnetId.
 */
export const efaZones: ConfigCheck = {
  name: "EFA groups in one of the VPC's zones",
  check: ({ aws }) => {
    if (!aws) return [];
    const pinned = "cidr" in aws.config.network ? aws.config.network.availabilityZones : undefined;
    return aws.config.cluster.nodeGroups.flatMap((group, i): CheckIssue[] => {
      const path = ["aws", "cluster", "nodeGroups", i];
      const issues = collect((sink) => checkEfaPlacement(group, sink, { zonesKnown: aws.createsVpc, path }));
      const zone = group.efaZone;
      if (zone !== undefined && (pinned ? !pinned.includes(zone) : !zone.startsWith(aws.region)))
        issues.push(
          issueAt(
            [...path, "efaZone"],
            `"${zone}" is not a zone of the VPC; pick one of ${pinned ? pinned.join(", ") : `${aws.region}'s zones, e.g. ${aws.region}a`}`,
          ),
        );
      return issues;
    });
  },
};

/**
 * Without NAT gateways the nodes reach only the VPC's endpoints, so the cluster phase's images must
 * come from a registry behind them: the cluster's own rule (NVIDIA's plugin, Cluster Autoscaler),
 * with the config's words for why, and Kueue's image, which the stack adds in the cluster phase.
 */
export const imagesReachable: ConfigCheck = {
  name: "add-on images reachable without NAT",
  check: ({ aws }) => {
    const network = aws?.config.network;
    if (!aws || !network || !("cidr" in network)) return [];
    const c = aws.config.cluster;
    const internetEgress = resolveNewVpc({ natGateways: network.natGateways }).natGateways !== "none";
    const why = 'aws.network.natGateways is "none", so nodes cannot pull from';
    const issues = under(
      ["aws", "cluster"],
      collect((sink) => checkImagesReachable({ ...c, internetEgress }, sink, why)),
    );
    if (!internetEgress && !c.kueueImage)
      issues.push(
        issueAt(
          ["aws", "cluster", "kueueImage"],
          `is not set, and ${why} registry.k8s.io; mirror Kueue in ECR (a pull-through cache rule for registry.k8s.io serves registry.k8s.io/kueue/kueue) and give its URI, or use a NAT gateway`,
        ),
      );
    return issues;
  },
};

/** Whether the stack's VPC gets flow logs (a new one always; an existing one as its config says). */
function vpcFlowLogs(network: { flowLogs?: boolean | undefined } | { cidr: string }): boolean {
  return "cidr" in network
    ? resolveFlowLogsFlag(undefined, false)
    : resolveFlowLogsFlag(network.flowLogs, true);
}

/**
 * Every name the stack makes the AWS components derive from its config is one the services take:
 * the EKS cluster name (`<name>-<environment>`), every generated IAM role, node group and launch
 * template name within its limit (reported at the cluster's or the pool's `name`), the VPC's flow
 * log role, and each bucket's prefix.
 */
export const awsNames: ConfigCheck = {
  name: "AWS names within the services' rules",
  check: ({ aws, config }) => {
    if (!aws) return [];
    const c = aws.config.cluster;
    const named = (i: CheckIssue): CheckIssue =>
      i.path.length === 0
        ? issueAt(["aws", "cluster", "name"], i.message)
        : issueAt(["aws", "cluster", ...i.path], i.message);
    const source = `the cluster name ${JSON.stringify(c.name)}`;
    return [
      ...collect((sink) =>
        checkDerivedClusterName(c.name, config.environment, sink, ["aws", "cluster", "name"]),
      ),
      ...collect((sink) => checkClusterNames(c.name, c.nodeGroups, sink, source)).map(named),
      // The VPC is `<cluster name>-vpc` (stacks/sites/aws.ts); with flow logs it has a delivery role.
      ...collect((sink) =>
        checkNameLimits(vpcGeneratedNames(`${c.name}-vpc`, vpcFlowLogs(aws.config.network)), sink, source),
      ).map(named),
      ...(aws.config.buckets ?? []).flatMap((b, i) =>
        collect((sink) => checkDerivedBucketPrefix(b.name, sink, ["aws", "buckets", i, "name"])),
      ),
    ];
  },
};

/** One access entry per principal: EKS refuses a second. */
export const accessEntriesOnce: ConfigCheck = {
  name: "one EKS access entry per principal",
  check: ({ aws }) =>
    aws
      ? under(
          ["aws", "cluster"],
          collect((sink) => checkOneEntryPerPrincipal(aws.config.cluster, sink)),
        )
      : [],
};

/** A pinned VPC CNI enforces the cluster's network policy mode (the cluster's own rule). */
export const networkPolicySupport: ConfigCheck = {
  name: "VPC CNI enforces the network policies",
  check: ({ aws }) =>
    aws
      ? under(
          ["aws", "cluster"],
          collect((sink) => checkNetworkPolicySupport(aws.config.cluster, sink)),
        )
      : [],
};

/**
 * An existing VPC's pinned Resolver inbound addresses: one per private subnet, each inside the VPC,
 * each once (the endpoint takes one address in each subnet, in that order).
 */
export const awsResolverIpsFit: ConfigCheck = {
  name: "the AWS resolver addresses fit the VPC",
  check: ({ aws }) => {
    const network = aws?.config.network;
    if (!aws || !network || !("existing" in network) || !network.existing.resolverIps) return [];
    const { resolverIps, privateSubnetIds } = network.existing;
    const path = ["aws", "network", "existing", "resolverIps"];
    const issues: CheckIssue[] = [];
    if (resolverIps.length !== privateSubnetIds.length)
      issues.push(
        issueAt(
          path,
          `has ${resolverIps.length} addresses for ${privateSubnetIds.length} private subnets; give one per subnet, in privateSubnetIds' order (the inbound endpoint takes an address in each)`,
        ),
      );
    resolverIps.forEach((ip, i) => {
      if (!cidrContains(aws.cidr, `${ip}/32`))
        issues.push(issueAt([...path, i], `"${ip}" is outside the VPC ${aws.cidr}`));
      else if (resolverIps.indexOf(ip) !== i)
        issues.push(
          issueAt(
            [...path, i],
            `"${ip}" repeats ${path.at(-1)}[${resolverIps.indexOf(ip)}]; give each address once`,
          ),
        );
    });
    return issues;
  },
};
