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

/**
 * Who may call the API server in its subnet (API server VNet integration): the VNet's own space on
 * 443 and 4443 (AKS's documented NSG needs: nodes to the API server; pods of the overlay leave
 * through their node's address), the given client ranges on 443, and no other network the VNet
 * reaches. Without these rules Azure's AllowVnetInBound admits every VPN-connected network (the
 * VirtualNetwork tag holds the routes the gateway learns), pods of the other sites included.
 * Azure Load Balancer's probes (UDP 9988) stay allowed by AllowAzureLoadBalancerInBound.
 */
export interface ApiServerAccess {
  /** The VNet's address space. */
  vnetCidr: string;
  /** Networks outside the VNet that call the API server: the ranges the cluster phase runs from. */
  clientCidrs: readonly string[];
}

/** The API server subnet's inbound rules when its callers are named. */
export function apiServerRules(access: ApiServerAccess): Rule[] {
  const allow = (
    name: string,
    priority: number,
    sources: readonly string[],
    ports: string[],
    why: string,
  ): Rule => ({
    name,
    description: why,
    priority,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    // One source in the singular field, as every other rule here has it: the form Azure keeps,
    // so a refresh reads back what the program sends.
    ...(sources.length === 1 ? { sourceAddressPrefix: sources[0] } : { sourceAddressPrefixes: [...sources] }),
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRanges: ports,
  });
  return [
    allow(
      "allow-api-from-vnet",
      100,
      [access.vnetCidr],
      ["443", "4443"],
      "Nodes reach the API server (443, and 4443 for konnectivity)",
    ),
    ...(access.clientCidrs.length > 0
      ? [
          allow(
            "allow-api-from-deployers",
            110,
            access.clientCidrs,
            ["443"],
            "The ranges the cluster phase runs from",
          ),
        ]
      : []),
    {
      name: "deny-api-from-other-networks",
      description: "No other network the VNet reaches (VPN-connected sites) calls the API server",
      priority: 3900,
      direction: "Inbound",
      access: "Deny",
      protocol: "Tcp",
      sourceAddressPrefix: "VirtualNetwork",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["443", "4443"],
    },
    DENY_INTERNET_INBOUND,
  ];
}

/** An NSG with its role's inbound rules for each subnet of `roles` but the GatewaySubnet. */
export function createSecurityGroups(
  name: string,
  parent: pulumi.Resource,
  roles: readonly AzureSubnetRole[],
  options: { resourceGroupName: pulumi.Input<string>; location: string; tags: Record<string, string> },
  apiServerAccess?: ApiServerAccess,
): Partial<Record<AzureSubnetRole, NetworkSecurityGroup>> {
  const nsgs: Partial<Record<AzureSubnetRole, NetworkSecurityGroup>> = {};
  for (const role of roles) {
    if (role === "gateway") continue;
    nsgs[role] = new NetworkSecurityGroup(
      childName(name, SUBNET_NAMES[role]),
      {
        resourceGroupName: options.resourceGroupName,
        location: options.location,
        securityRules:
          role === "apiServer" && apiServerAccess ? apiServerRules(apiServerAccess) : NSG_RULES[role],
        tags: options.tags,
      },
      { parent },
    );
  }
  return nsgs;
}
