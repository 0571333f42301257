import { VirtualNetwork } from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import type { Common } from "../../kit";
import { type ExistingAzureVnet, type ParsedVnetArgs, VNET_DEFAULTS } from "./args";
import { createNatGateway } from "./egress";
import { createSecurityGroups } from "./security-groups";
import { type AzureSubnetPlan, type AzureSubnetRole, planAzureSubnets, subnetRoles } from "./subnet-plan";
import { createSubnets } from "./subnets";

/** What an `AzureVnet` exposes about its network, whether it created it or was given it. */
export interface VnetFacts {
  virtualNetworkId: pulumi.Output<string>;
  virtualNetworkName: pulumi.Output<string>;
  addressSpace: pulumi.Output<string>;
  /** The space as a plain string, when known before deployment. */
  addressSpaceCidr: string | undefined;
  systemSubnetId: pulumi.Output<string>;
  gpuSubnetId: pulumi.Output<string>;
  endpointSubnetId: pulumi.Output<string>;
  gatewaySubnetId: pulumi.Output<string | undefined>;
  /** The DNS Private Resolver's delegated subnets, when carved. */
  dnsInboundSubnetId: pulumi.Output<string> | undefined;
  dnsOutboundSubnetId: pulumi.Output<string> | undefined;
  apiServerSubnetId: pulumi.Output<string> | undefined;
  outboundType: "userAssignedNATGateway" | "userDefinedRouting";
  subnetCidrs: pulumi.Output<Partial<AzureSubnetPlan>>;
  natGatewayId: pulumi.Output<string | undefined>;
  natPublicIp: pulumi.Output<string | undefined>;
  networkSecurityGroupIds: pulumi.Output<Record<string, string>>;
}

/** The facts of a VNet that already exists, read from its ids: nothing is created. */
export function existingNetwork(e: ExistingAzureVnet): VnetFacts {
  const virtualNetworkId = pulumi.output(e.virtualNetworkId);
  return {
    virtualNetworkId,
    virtualNetworkName: virtualNetworkId.apply((id) => id.split("/").pop() ?? ""),
    addressSpace: pulumi.output(e.addressSpace),
    addressSpaceCidr: e.addressSpaceCidr ?? (typeof e.addressSpace === "string" ? e.addressSpace : undefined),
    systemSubnetId: pulumi.output(e.systemSubnetId),
    gpuSubnetId: pulumi.output(e.gpuSubnetId ?? e.systemSubnetId),
    endpointSubnetId: pulumi.output(e.endpointSubnetId),
    gatewaySubnetId: pulumi.output(e.gatewaySubnetId),
    dnsInboundSubnetId: undefined,
    dnsOutboundSubnetId: undefined,
    apiServerSubnetId: e.apiServerSubnetId === undefined ? undefined : pulumi.output(e.apiServerSubnetId),
    outboundType: e.outboundType,
    subnetCidrs: pulumi.output({}),
    natGatewayId: pulumi.output(undefined),
    natPublicIp: pulumi.output(undefined),
    networkSecurityGroupIds: pulumi.output<Record<string, string>>({}),
  };
}

/**
 * A new VNet: the address space carved into the plan's subnets (with the caller's blocks), an NSG
 * on each but the GatewaySubnet, and egress through a NAT gateway or the caller's route table.
 */
export function createNetwork(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  args: ParsedVnetArgs,
): VnetFacts {
  const { resourceGroupName, location } = args;
  const where = { resourceGroupName, location, tags: common.tags };
  const space = args.addressSpace ?? VNET_DEFAULTS.addressSpace;
  const plan: AzureSubnetPlan = { ...planAzureSubnets(space), ...args.subnets };
  const udr = args.egress === "userDefinedRouting";
  const vnet = new VirtualNetwork(
    name,
    { resourceGroupName, location, addressSpace: { addressPrefixes: [space] }, tags: common.tags },
    { parent },
  );
  const egress = udr ? undefined : createNatGateway(name, parent, where);
  const roles = subnetRoles(args);
  const nsgs = createSecurityGroups(
    name,
    parent,
    roles,
    where,
    args.apiServerClientCidrs ? { vnetCidr: space, clientCidrs: args.apiServerClientCidrs } : undefined,
  );
  const subnets = createSubnets(name, parent, roles, {
    resourceGroupName,
    vnet,
    plan,
    nsgs,
    nat: egress?.nat,
    routeTableId: args.routeTableId,
  });
  const idOf = (role: AzureSubnetRole) => subnets[role]?.id ?? pulumi.output("");
  return {
    virtualNetworkId: vnet.id,
    virtualNetworkName: vnet.name,
    addressSpace: pulumi.output(space),
    addressSpaceCidr: space,
    systemSubnetId: idOf("system"),
    gpuSubnetId: idOf("gpu"),
    endpointSubnetId: idOf("endpoints"),
    gatewaySubnetId: idOf("gateway"),
    dnsInboundSubnetId: subnets.dnsInbound?.id,
    dnsOutboundSubnetId: subnets.dnsOutbound?.id,
    apiServerSubnetId: subnets.apiServer?.id,
    outboundType: udr ? "userDefinedRouting" : "userAssignedNATGateway",
    subnetCidrs: pulumi.output(Object.fromEntries(roles.map((role) => [role, plan[role]]))),
    natGatewayId: egress ? egress.nat.id : pulumi.output(undefined),
    natPublicIp: egress ? egress.publicIp.ipAddress : pulumi.output(undefined),
    networkSecurityGroupIds: pulumi
      .all(Object.entries(nsgs).map(([role, nsg]) => nsg.id.apply((id): [string, string] => [role, id])))
      .apply((pairs) => Object.fromEntries(pairs)),
  };
}
