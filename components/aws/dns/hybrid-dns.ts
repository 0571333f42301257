import { createHash } from "node:crypto";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { type AwsHybridDnsArgs, awsHybridDnsArgsSchema, type ParsedAwsHybridDnsArgs } from "./args";
import { compareIpv4, createInboundSecurityGroup, createOutboundSecurityGroup } from "./security-groups";

/** A zone as a name part: corp.example -> corp-example. */
export function domainSlug(domain: string): string {
  return domain.replace(/\./g, "-");
}

/**
 * A Route 53 Resolver display name: letters, digits, `-`, `_` and spaces, at most 64 characters; a
 * longer one keeps its start and a hash of the whole, so two long names stay apart.
 */
export function resolverName(...parts: string[]): string {
  const text = parts.join("-").replace(/[^0-9A-Za-z_ -]/g, "-");
  if (text.length <= 64) return text;
  return `${text.slice(0, 55)}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * Hybrid DNS for a VPC: a Route 53 Resolver inbound endpoint the other sites forward the VPC's
 * private zones to (the EKS private endpoint's name, interface endpoints), and, when the VPC
 * forwards zones of theirs (on-premises domains, Azure's blob and AKS zones), an outbound endpoint
 * and a FORWARD rule per zone associated with the VPC. Each endpoint has one address in each given
 * subnet and its own security group: DNS in from the client networks, DNS out to the forward
 * targets, nothing else.
 */
export class AwsHybridDns extends pulumi.ComponentResource {
  /** The inbound endpoint's addresses, in address order: the other sites' forward targets. */
  public readonly inboundEndpointIps: pulumi.Output<string[]>;
  /** The inbound endpoint's id. */
  public readonly inboundEndpointId: pulumi.Output<string>;
  /** The outbound endpoint's id (further rules may use it); empty without forwardZones. */
  public readonly outboundEndpointId: pulumi.Output<string>;
  /** The forwarding rules' ids, in `forwardZones` order (to share them with other VPCs through RAM). */
  public readonly ruleIds: pulumi.Output<string[]>;

  constructor(name: string, args: AwsHybridDnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsHybridDns", name), awsHybridDnsArgsSchema, args);
    super("hybrid-ai-infra:index:AwsHybridDns", name, {}, opts);
    const common = resolveCommon(parsed);
    const { vpcId, forwardZones } = parsed;

    const inboundGroup = createInboundSecurityGroup(name, this, common, vpcId, parsed.clientCidrs);
    // One address per subnet: Route 53 Resolver needs two at least, and two zones keep DNS up when
    // one is down. The inbound addresses are pinned when given (the other sites forward to them);
    // the outbound ones, which nobody names, AWS picks.
    const inbound = createEndpoint(
      name,
      this,
      common,
      "INBOUND",
      inboundGroup.id,
      parsed.subnetIds,
      parsed.inboundIps,
    );
    // Inbound only when nothing is forwarded out: the other sites still resolve the VPC's names
    // (a site joined by a link needs them whether or not the VPC asks it anything).
    const out = forwardZones.length > 0 ? forwardOut(name, this, common, parsed) : undefined;

    // AWS fills in every address it picks; an address still missing (a mock) is left out.
    this.inboundEndpointIps = inbound.ipAddresses.apply((addresses) =>
      addresses.flatMap((a) => (a.ip ? [a.ip] : [])).sort(compareIpv4),
    );
    this.inboundEndpointId = inbound.id;
    this.outboundEndpointId = out ? out.endpoint.id : pulumi.output("");
    this.ruleIds = pulumi.all((out?.rules ?? []).map((r) => r.id));
    this.registerOutputs({
      inboundEndpointIps: this.inboundEndpointIps,
      inboundEndpointId: this.inboundEndpointId,
      outboundEndpointId: this.outboundEndpointId,
      ruleIds: this.ruleIds,
    });
  }
}

/** A Resolver endpoint with one address in each subnet, pinned where `ips` gives them. */
function createEndpoint(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  direction: "INBOUND" | "OUTBOUND",
  groupId: pulumi.Output<string>,
  subnetIds: readonly pulumi.Input<string>[],
  ips?: readonly string[],
): route53.ResolverEndpoint {
  const endpointName = childName(name, direction.toLowerCase());
  return new route53.ResolverEndpoint(
    endpointName,
    {
      // Display names are per account and region: the environment keeps environments apart.
      name: resolverName(common.environment, endpointName),
      direction,
      ipAddresses: subnetIds.map((subnetId, i) => (ips ? { subnetId, ip: ips[i] } : { subnetId })),
      securityGroupIds: [groupId],
      tags: { ...common.tags, Name: endpointName },
    },
    { parent },
  );
}

/** The outbound endpoint, its group, and a FORWARD rule per zone associated with the VPC. */
function forwardOut(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  parsed: ParsedAwsHybridDnsArgs,
): { endpoint: route53.ResolverEndpoint; rules: route53.ResolverRule[] } {
  const { vpcId, forwardZones } = parsed;
  const targets = forwardZones.flatMap((zone) => zone.targetIps);
  const outboundGroup = createOutboundSecurityGroup(name, parent, common, vpcId, targets);
  const endpoint = createEndpoint(name, parent, common, "OUTBOUND", outboundGroup.id, parsed.subnetIds);
  const rules = forwardZones.map((zone) => {
    // Named by domain, not position: reordering the zones replaces nothing.
    const ruleName = childName(name, "fwd", domainSlug(zone.domain));
    const rule = new route53.ResolverRule(
      ruleName,
      {
        name: resolverName(common.environment, ruleName),
        domainName: zone.domain,
        ruleType: "FORWARD",
        resolverEndpointId: endpoint.id,
        targetIps: zone.targetIps.map((ip) => ({ ip, port: 53 })),
        tags: { ...common.tags, Name: ruleName },
      },
      { parent },
    );
    new route53.ResolverRuleAssociation(
      ruleName,
      { name: resolverName(ruleName), resolverRuleId: rule.id, vpcId },
      { parent },
    );
    return rule;
  });
  return { endpoint, rules };
}
