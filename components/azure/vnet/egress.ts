import { NatGateway, PublicIPAddress } from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";

/**
 * A NAT gateway with one static public IP: the node subnets' only way out (no public IPs on nodes,
 * no default outbound access), and one address to allow-list where egress lands.
 */
export function createNatGateway(
  name: string,
  parent: pulumi.Resource,
  options: { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> },
): { nat: NatGateway; publicIp: PublicIPAddress } {
  const publicIp = new PublicIPAddress(
    childName(name, "nat"),
    {
      resourceGroupName: options.resourceGroupName,
      location: options.location,
      sku: { name: "Standard", tier: "Regional" },
      publicIPAllocationMethod: "Static",
      publicIPAddressVersion: "IPv4",
      tags: options.tags,
    },
    { parent },
  );
  const nat = new NatGateway(
    name,
    {
      resourceGroupName: options.resourceGroupName,
      location: options.location,
      sku: { name: "Standard" },
      publicIpAddresses: [{ id: publicIp.id }],
      idleTimeoutInMinutes: 4,
      tags: options.tags,
    },
    { parent },
  );
  return { nat, publicIp };
}
