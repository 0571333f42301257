import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { input } from "../kit";
import { ipv4Cidr } from "../validation";
import { SUBNET_ID, VNET_ID } from "./ids";

/** The network a cluster runs in: an `AzureVnet`, or the ids of an existing VNet. */
export interface AzureClusterNetwork {
  /** VNet resource id. */
  virtualNetworkId: pulumi.Input<string>;
  /** The VNet's IPv4 address space; the pod and service ranges must not overlap it. */
  addressSpace: pulumi.Input<string>;
  /** The same space as a plain string (an `AzureVnet` sets it), so the overlap check runs when `addressSpace` is an Output. */
  addressSpaceCidr?: string | undefined;
  /** Subnet of the system pool, and of general-purpose pools unless they name another. */
  systemSubnetId: pulumi.Input<string>;
  /** Subnet of GPU pools; default the system subnet. */
  gpuSubnetId?: pulumi.Input<string>;
  /** Subnet delegated to Microsoft.ContainerService/managedClusters (an `AzureVnet` carves one by default): the cluster then runs its API server in it (VNet integration) and keeps its KMS vault private. */
  apiServerSubnetId?: pulumi.Input<string>;
  /** How nodes reach the internet: "userAssignedNATGateway" (the subnets' NAT gateway) or "userDefinedRouting" (the subnets' route table, e.g. to a firewall). */
  outboundType: "userAssignedNATGateway" | "userDefinedRouting";
}

/** The zod shape of `AzureClusterNetwork`: what a cluster reads from an `AzureVnet` or an existing VNet. */
export const clusterNetworkShape = {
  virtualNetworkId: input(VNET_ID),
  addressSpace: input(ipv4Cidr()),
  addressSpaceCidr: ipv4Cidr().optional(),
  systemSubnetId: input(SUBNET_ID),
  gpuSubnetId: input(SUBNET_ID).optional(),
  apiServerSubnetId: input(SUBNET_ID).optional(),
  outboundType: z.enum(["userAssignedNATGateway", "userDefinedRouting"]),
};
