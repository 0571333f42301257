import { cloudPrivateZones } from "../../../components/onprem";
import { cidrContains } from "../../../components/validation";
import { trafficDomain } from "../traffic";
import type { CheckIssue, ConfigCheck } from "./check";
import { issueAt } from "./check";

const within = (name: string, zone: string) => name === zone || name.endsWith(`.${zone}`);

/**
 * Every site answers the services' names with its own gateway, so their zone must never be
 * forwarded to another site: it may not lie inside (or contain) a zone hybrid DNS forwards.
 */
export const trafficZoneAnsweredLocally: ConfigCheck = {
  name: "the services' zone is answered at each site",
  check: (sites) => {
    const domain = trafficDomain(sites.config);
    const zones = cloudPrivateZones({
      ...(sites.aws ? { awsRegion: sites.aws.region } : {}),
      ...(sites.azure ? { azureLocation: sites.azure.region } : {}),
    });
    const forwarded = [
      ...(sites.onprem?.config.dns ? [sites.onprem.config.dns.domain] : []),
      ...zones.aws,
      ...zones.azure,
    ];
    const clash = forwarded.find((zone) => within(domain, zone) || within(zone, domain));
    if (!clash) return [];
    return [
      issueAt(
        sites.config.traffic?.domain ? ["traffic", "domain"] : ["environment"],
        `"${domain}" (the services' zone) overlaps ${clash}, which hybrid DNS forwards between sites: one site would answer with another's gateway; pick a zone of its own, e.g. svc.${sites.config.environment}.hybrid.internal`,
      ),
    ];
  },
};

/** The on-premises entries take addresses from the MetalLB pool config names, inside the site's network. */
export const onPremPoolInNetwork: ConfigCheck = {
  name: "the on-premises entry pool lies in the site's network",
  check: ({ config, onprem }) => {
    const pool = config.traffic?.onprem;
    if (!pool) return [];
    if (!onprem) return [issueAt(["traffic", "onprem"], "is set, and the config has no onprem site")];
    if (onprem.networkCidr && !cidrContains(onprem.networkCidr, pool.cidr))
      return [
        issueAt(
          ["traffic", "onprem", "cidr"],
          `"${pool.cidr}" is outside onprem.networkCidr ${onprem.networkCidr}; the other sites reach only the routed network`,
        ),
      ];
    return [];
  },
};

/** An existing VPC's entry ranges: one /28 per private subnet, inside the VPC; a new VPC has its own. */
export const awsEntryRangesFit: ConfigCheck = {
  name: "the AWS entry ranges fit the VPC",
  check: ({ aws, config }) => {
    const ranges = config.traffic?.aws?.entryRanges;
    if (!ranges) return [];
    if (!aws) return [issueAt(["traffic", "aws"], "is set, and the config has no aws site")];
    const network = aws.config.network;
    if (!("existing" in network))
      return [
        issueAt(
          ["traffic", "aws"],
          "is set, and the stack creates the VPC, which reserves its own entry ranges; leave it out",
        ),
      ];
    const issues: CheckIssue[] = [];
    if (ranges.length !== network.existing.privateSubnetIds.length)
      issues.push(
        issueAt(
          ["traffic", "aws", "entryRanges"],
          `has ${ranges.length} ranges for ${network.existing.privateSubnetIds.length} private subnets; give one per subnet, in privateSubnetIds' order (an NLB takes an address in each)`,
        ),
      );
    ranges.forEach((r, i) => {
      if (!cidrContains(aws.cidr, r))
        issues.push(issueAt(["traffic", "aws", "entryRanges", i], `"${r}" is outside the VPC ${aws.cidr}`));
    });
    return issues;
  },
};

/**
 * Without NAT gateways the EKS nodes reach only the VPC's endpoints: the AWS Load Balancer
 * Controller then needs the Elastic Load Balancing endpoint (it calls that API) and images from
 * ECR (pull-through caches of public.ecr.aws and Docker Hub).
 */
export const trafficImagesReachable: ConfigCheck = {
  name: "the load balancer controller and gateways reachable without NAT",
  check: ({ aws, config }) => {
    const network = aws?.config.network;
    if (!aws || !network || !("cidr" in network) || (network.natGateways ?? "none") !== "none") return [];
    const why = 'aws.network.natGateways is "none", so EKS nodes';
    const issues: CheckIssue[] = [];
    if (!(network.extraInterfaceEndpoints ?? []).includes("elasticloadbalancing"))
      issues.push(
        issueAt(
          ["aws", "network", "extraInterfaceEndpoints"],
          `lacks "elasticloadbalancing", and ${why} reach no Elastic Load Balancing API: the AWS Load Balancer Controller could create no internal NLB; add it, or use a NAT gateway`,
        ),
      );
    if (!config.traffic?.awsLoadBalancerControllerImage)
      issues.push(
        issueAt(
          ["traffic", "awsLoadBalancerControllerImage"],
          `is not set, and ${why} cannot pull from public.ecr.aws; give an ECR pull-through cache URI of public.ecr.aws/eks/aws-load-balancer-controller, or use a NAT gateway`,
        ),
      );
    if (!config.traffic?.gatewayImage)
      issues.push(
        issueAt(
          ["traffic", "gatewayImage"],
          `is not set, and ${why} cannot pull from Docker Hub; give an ECR pull-through cache URI of docker.io/library/haproxy, or use a NAT gateway`,
        ),
      );
    return issues;
  },
};
