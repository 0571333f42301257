import { NetworkSecurityGroup } from "@pulumi/azure-native/network";
import type { network as networkInputs } from "@pulumi/azure-native/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { type AzureSubnetRole, SUBNET_NAMES } from "./subnet-plan";

type Rule = networkInputs.SecurityRuleArgs;

const DENY_INTERNET_INBOUND: Rule = {
  name: "deny-internet-inbound",
  description:
    "Nothing on this subnet is reachable from the internet, even if a public IP or load balancer appears",
  priority: 4000,
  direction: "Inbound",
  access: "Deny",
  protocol: "*",
  sourceAddressPrefix: "Internet",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "*",
};

// Inbound rules per subnet role (outbound keeps Azure's defaults: nodes need egress through NAT or
// routes). Azure's own rules still allow the VNet (which includes VPN-connected sites) and load
// balancer probes. The GatewaySubnet gets no NSG: Azure does not support one there.
const NSG_RULES: Record<Exclude<AzureSubnetRole, "gateway">, Rule[]> = {
  system: [DENY_INTERNET_INBOUND],
  gpu: [DENY_INTERNET_INBOUND],
  apiServer: [DENY_INTERNET_INBOUND],
  // The resolver's endpoints answer the VNet and the sites across the VPN (VirtualNetwork).
  dnsInbound: [DENY_INTERNET_INBOUND],
  dnsOutbound: [DENY_INTERNET_INBOUND],
  endpoints: [
    {
      name: "allow-https-from-vnet",
      description: "Private endpoints (storage) answer HTTPS from the VNet and connected sites",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "VirtualNetwork",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "443",
    },
    {
      name: "deny-all-inbound",
      description: "Nothing else reaches the private endpoints",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    },
  ],
};

/** An NSG with its role's inbound rules for each subnet of `roles` but the GatewaySubnet. */
export function createSecurityGroups(
  name: string,
  parent: pulumi.Resource,
  roles: readonly AzureSubnetRole[],
  options: { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> },
): Partial<Record<AzureSubnetRole, NetworkSecurityGroup>> {
  const nsgs: Partial<Record<AzureSubnetRole, NetworkSecurityGroup>> = {};
  for (const role of roles) {
    if (role === "gateway") continue;
    nsgs[role] = new NetworkSecurityGroup(
      childName(name, SUBNET_NAMES[role]),
      {
        resourceGroupName: options.resourceGroupName,
        location: options.location,
        securityRules: NSG_RULES[role],
        tags: options.tags,
      },
      { parent },
    );
  }
  return nsgs;
}
