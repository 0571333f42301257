import type { NatGateway, NetworkSecurityGroup, VirtualNetwork } from "@pulumi/azure-native/network";
import { Subnet } from "@pulumi/azure-native/network";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { type AzureSubnetPlan, type AzureSubnetRole, SUBNET_NAMES } from "./subnet-plan";

/** What the subnets are carved from and attached to. */
export interface SubnetOptions {
  resourceGroupName: pulumi.Input<string>;
  vnet: VirtualNetwork;
  plan: AzureSubnetPlan;
  nsgs: Partial<Record<AzureSubnetRole, NetworkSecurityGroup>>;
  /** The node subnets' NAT gateway, with NAT egress. */
  nat: NatGateway | undefined;
  /** The node subnets' route table, with user-defined routing. */
  routeTableId: pulumi.Input<string> | undefined;
}

/**
 * The subnets of `roles`, one at a time (Azure rejects concurrent changes to subnets of one VNet):
 * each with its NSG and no default outbound access (the GatewaySubnet excepted), node subnets
 * egressing through the NAT gateway or the route table, network policies on for private endpoints,
 * and the API server's delegated to AKS.
 */
export function createSubnets(
  name: string,
  parent: pulumi.Resource,
  roles: readonly AzureSubnetRole[],
  options: SubnetOptions,
): Partial<Record<AzureSubnetRole, Subnet>> {
  const { nat, routeTableId } = options;
  const subnets: Partial<Record<AzureSubnetRole, Subnet>> = {};
  let previous: Subnet | undefined;
  for (const role of roles) {
    const nodes = role === "system" || role === "gpu";
    const nsg = options.nsgs[role];
    previous = new Subnet(
      childName(name, SUBNET_NAMES[role]),
      {
        resourceGroupName: options.resourceGroupName,
        virtualNetworkName: options.vnet.name,
        subnetName: SUBNET_NAMES[role],
        addressPrefix: options.plan[role],
        ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
        // No implicit internet access: egress only through the NAT gateway or your routes.
        ...(role === "gateway" ? {} : { defaultOutboundAccess: false }),
        ...(nodes && nat ? { natGateway: { id: nat.id } } : {}),
        ...(nodes && routeTableId !== undefined ? { routeTable: { id: routeTableId } } : {}),
        // NSGs and routes apply to the private endpoints too.
        ...(role === "endpoints" ? { privateEndpointNetworkPolicies: "Enabled" } : {}),
        ...(role === "apiServer"
          ? { delegations: [{ name: "aks", serviceName: "Microsoft.ContainerService/managedClusters" }] }
          : {}),
        ...(role === "dnsInbound" || role === "dnsOutbound"
          ? { delegations: [{ name: "dns-resolver", serviceName: "Microsoft.Network/dnsResolvers" }] }
          : {}),
      },
      { parent, ...(previous ? { dependsOn: [previous] } : {}) },
    );
    subnets[role] = previous;
  }
  return subnets;
}
