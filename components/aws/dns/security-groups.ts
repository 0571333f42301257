import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";

/** DNS runs over UDP, and over TCP for answers too large for a datagram (and zone transfers). */
const DNS_PROTOCOLS = ["tcp", "udp"] as const;
const DNS_PORT = 53;

/** Orders dotted quads by value, so outputs and rule lists read the same on every run. */
export function compareIpv4(a: string, b: string): number {
  const value = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
  return value(a) - value(b);
}

// Narrow rules are connection-tracked, which AWS says can hold an endpoint to about 1500 queries/s
// per address: ample for a few forwarded zones, and the price of not opening 0.0.0.0/0.

/**
 * The inbound endpoint's group: DNS from the client networks only. No egress rule (the provider
 * removes AWS's default one): answers leave through the connection the query opened.
 */
export function createInboundSecurityGroup(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  vpcId: pulumi.Input<string>,
  clientCidrs: string[],
): ec2.SecurityGroup {
  const groupName = childName(name, "inbound");
  const group = new ec2.SecurityGroup(
    groupName,
    {
      vpcId,
      description: `Route 53 Resolver inbound endpoint of ${name}: DNS from the client networks`,
      tags: { ...common.tags, Name: groupName },
    },
    { parent },
  );
  for (const cidr of clientCidrs) {
    for (const protocol of DNS_PROTOCOLS) {
      new vpc.SecurityGroupIngressRule(
        childName(groupName, cidr.replace(/[./]/g, "-"), protocol),
        {
          securityGroupId: group.id,
          ipProtocol: protocol,
          fromPort: DNS_PORT,
          toPort: DNS_PORT,
          cidrIpv4: cidr,
          description: `DNS over ${protocol.toUpperCase()} from ${cidr}`,
          tags: common.tags,
        },
        { parent },
      );
    }
  }
  return group;
}

/**
 * The outbound endpoint's group: DNS to the forward targets' /32s only, nothing in. The rules are
 * inline, one list per protocol deduplicated once the addresses are known: targets may be Outputs
 * (another cloud's inbound endpoint) and repeat across zones, and AWS refuses a duplicate rule.
 */
export function createOutboundSecurityGroup(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  vpcId: pulumi.Input<string>,
  targetIps: pulumi.Input<string>[],
): ec2.SecurityGroup {
  const groupName = childName(name, "outbound");
  const cidrBlocks = pulumi
    .all(targetIps)
    .apply((ips) => [...new Set(ips)].sort(compareIpv4).map((ip) => `${ip}/32`));
  return new ec2.SecurityGroup(
    groupName,
    {
      vpcId,
      description: `Route 53 Resolver outbound endpoint of ${name}: DNS to the forward targets`,
      egress: DNS_PROTOCOLS.map((protocol) => ({
        protocol,
        fromPort: DNS_PORT,
        toPort: DNS_PORT,
        cidrBlocks,
        description: `DNS over ${protocol.toUpperCase()} to the forward targets`,
      })),
      tags: { ...common.tags, Name: groupName },
    },
    { parent },
  );
}
