import { createHash } from "node:crypto";
import {
  DnsForwardingRuleset,
  DnsResolver,
  ForwardingRule,
  InboundEndpoint,
  OutboundEndpoint,
  PrivateResolverVirtualNetworkLink,
} from "@pulumi/azure-native/dnsresolver";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import {
  AZURE_HYBRID_DNS_DEFAULTS,
  type AzureHybridDnsArgs,
  azureHybridDnsArgsSchema,
  type ParsedAzureHybridDnsArgs,
} from "./args";

/** A zone as a name part: corp.example -> corp-example. */
export function domainSlug(domain: string): string {
  return domain.replace(/\./g, "-");
}

/**
 * A forwarding rule's name: `fwd-` and the zone (a rule name starts with a letter and holds letters,
 * digits, `_` and `-`), at most 80 characters; a longer one keeps its start and a hash of the whole.
 */
export function forwardingRuleName(domain: string): string {
  const text = `fwd-${domainSlug(domain)}`;
  if (text.length <= 80) return text;
  return `${text.slice(0, 71)}-${createHash("sha256").update(text).digest("hex").slice(0, 8)}`;
}

/**
 * Hybrid DNS for a VNet: an Azure DNS Private Resolver whose inbound endpoint the other sites
 * forward Azure's zones to (blob.core.windows.net, <region>.azmk8s.io, answered from the VNet's
 * privatelink zones), and an outbound endpoint with a ruleset, linked to the VNet, that forwards
 * their zones (on-premises domains, the EKS endpoint's zone) to their resolvers.
 */
export class AzureHybridDns extends pulumi.ComponentResource {
  /** The inbound endpoint's address: the other sites' forward target. */
  public readonly inboundEndpointIp: pulumi.Output<string>;
  /** The resolver's id. */
  public readonly resolverId: pulumi.Output<string>;
  /** The forwarding ruleset's id (link more VNets of the region to it); empty without forwardZones. */
  public readonly rulesetId: pulumi.Output<string>;

  constructor(name: string, args: AzureHybridDnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureHybridDns", name), azureHybridDnsArgsSchema, args);
    super("hybrid-ai-infra:index:AzureHybridDns", name, {}, opts);
    const common = resolveCommon(parsed);
    const where = { resourceGroupName: parsed.resourceGroupName, location: parsed.location };
    const tags = common.tags;

    const resolver = new DnsResolver(
      name,
      { ...where, virtualNetwork: { id: parsed.virtualNetworkId }, tags },
      { parent: this },
    );
    const inbound = new InboundEndpoint(
      childName(name, "inbound"),
      {
        ...where,
        dnsResolverName: resolver.name,
        // Pinned when given (the other sites forward to it); else Dynamic, Azure's default, stated so
        // the plan shows it: the subnet's first free address.
        ipConfigurations: [
          parsed.inboundIp
            ? {
                subnet: { id: parsed.inboundSubnetId },
                privateIpAllocationMethod: "Static",
                privateIpAddress: parsed.inboundIp,
              }
            : { subnet: { id: parsed.inboundSubnetId }, privateIpAllocationMethod: "Dynamic" },
        ],
        tags,
      },
      { parent: this },
    );
    const zones = parsed.forwardZones ?? [];
    const outboundSubnetId = parsed.outboundSubnetId;
    // Inbound only when nothing is forwarded out: the other sites still resolve this VNet's names.
    const ruleset =
      zones.length > 0 && outboundSubnetId !== undefined
        ? forwardOut(name, this, parsed, resolver, outboundSubnetId, zones)
        : undefined;

    this.inboundEndpointIp = inbound.ipConfigurations.apply((configs) => {
      const ip = configs[0]?.privateIpAddress;
      if (!ip)
        throw new Error(`AzureHybridDns ${JSON.stringify(name)}: Azure reported no inbound endpoint address`);
      return ip;
    });
    this.resolverId = resolver.id;
    this.rulesetId = ruleset ? ruleset.id : pulumi.output("");
    this.registerOutputs({
      inboundEndpointIp: this.inboundEndpointIp,
      resolverId: this.resolverId,
      rulesetId: this.rulesetId,
    });
  }
}

/** The outbound endpoint, the ruleset with a rule per zone, and the ruleset's link to the VNet. */
function forwardOut(
  name: string,
  parent: pulumi.Resource,
  parsed: ParsedAzureHybridDnsArgs,
  resolver: DnsResolver,
  outboundSubnetId: pulumi.Input<string>,
  zones: NonNullable<ParsedAzureHybridDnsArgs["forwardZones"]>,
): DnsForwardingRuleset {
  const tags = resolveCommon(parsed).tags;
  const where = { resourceGroupName: parsed.resourceGroupName, location: parsed.location };
  const outbound = new OutboundEndpoint(
    childName(name, "outbound"),
    { ...where, dnsResolverName: resolver.name, subnet: { id: outboundSubnetId }, tags },
    { parent },
  );
  const ruleset = new DnsForwardingRuleset(
    name,
    { ...where, dnsResolverOutboundEndpoints: [{ id: outbound.id }], tags },
    { parent },
  );
  for (const zone of zones) {
    // Named by domain, not position: reordering the zones replaces nothing.
    new ForwardingRule(
      childName(name, "fwd", domainSlug(zone.domain)),
      {
        resourceGroupName: parsed.resourceGroupName,
        dnsForwardingRulesetName: ruleset.name,
        forwardingRuleName: forwardingRuleName(zone.domain),
        // Azure takes the domain dot-terminated.
        domainName: `${zone.domain}.`,
        targetDnsServers: zone.targetIps.map((ipAddress) => ({
          ipAddress,
          port: zone.port ?? AZURE_HYBRID_DNS_DEFAULTS.port,
        })),
        forwardingRuleState: "Enabled",
      },
      { parent },
    );
  }
  new PrivateResolverVirtualNetworkLink(
    name,
    {
      resourceGroupName: parsed.resourceGroupName,
      dnsForwardingRulesetName: ruleset.name,
      virtualNetwork: { id: parsed.virtualNetworkId },
    },
    { parent },
  );
  return ruleset;
}
