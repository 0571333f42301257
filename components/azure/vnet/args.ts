import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, input } from "../../kit";
import { type IssueSink, ipv4Cidr } from "../../validation";
import { type AzureClusterNetwork, clusterNetworkShape } from "../cluster-network";
import { LOCATION, RESOURCE_GROUP_NAME, ROUTE_TABLE_ID, SUBNET_ID } from "../ids";
import { AZURE_SUBNET_ROLES, type AzureSubnetRole, checkSubnetPlan } from "./subnet-plan";

/**
 * A VNet that already exists, for `AzureVnetArgs.existing`: what a cluster on it needs (its
 * address space, node subnets, API server subnet and outbound type), and its endpoint and
 * gateway subnets.
 */
export interface ExistingAzureVnet extends AzureClusterNetwork {
  /** Subnet of private endpoints. */
  endpointSubnetId: pulumi.Input<string>;
  /** Its GatewaySubnet, if it has one. */
  gatewaySubnetId?: pulumi.Input<string>;
}

/** Arguments of `AzureVnet`. */
export interface AzureVnetArgs extends CommonArgs {
  /** Resource group of the VNet and its NAT gateway, NSGs and flow-log storage (the stack creates it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope: the VNet's, and the Network Watcher's that records its flows. */
  location: string;
  /** IPv4 address space of a new VNet, /16 to /22. Default 10.30.0.0/16. Ignored with `existing`. */
  addressSpace?: string;
  /** Blocks for some subnets instead of the plan's (quarters of the space; see `planAzureSubnets`). */
  subnets?: Partial<Record<AzureSubnetRole, string>>;
  /**
   * Carve a /28 delegated to AKS for API server VNet integration. Default true: a cluster on this
   * VNet then keeps its etcd KMS Key Vault private (no public endpoint). Set false only where the
   * region lacks API server VNet integration; the cluster's KMS vault is then internet-reachable
   * (Entra ID and RBAC still gate it).
   */
  apiServerSubnet?: boolean;
  /**
   * With the API server subnet: the networks outside the VNet that may call the API server (TCP
   * 443), e.g. the ranges a deployment runs from across a VPN link. Given (even empty), the
   * subnet's NSG admits the VNet itself and these alone, and denies every other network the VNet
   * reaches. Default: Azure's AllowVnetInBound, which admits every VPN-connected network.
   */
  apiServerClientCidrs?: string[];
  /** Carve two /28s delegated to Azure DNS Private Resolver (its inbound and outbound endpoints), for hybrid DNS. Default false. */
  dnsResolverSubnets?: boolean;
  /** Node egress: "natGateway" (default; one static public IP, no public IPs on nodes) or "userDefinedRouting" (your route table, e.g. to a firewall). */
  egress?: "natGateway" | "userDefinedRouting";
  /** With `egress: "userDefinedRouting"`: the route table (0.0.0.0/0 to your firewall) for the node subnets. */
  routeTableId?: pulumi.Input<string>;
  /** Record the VNet's flows (VNet flow logs) to a dedicated storage account. Default true for a new VNet, false for an existing one. */
  flowLogs?: boolean;
  /** Days flow logs are kept, 1-365. Default 90. */
  flowLogRetentionDays?: number;
  /** The region's Network Watcher; default `NetworkWatcher_<location>`, which Azure creates per region. */
  networkWatcherName?: string;
  /** Its resource group; default `NetworkWatcherRG`. */
  networkWatcherResourceGroupName?: string;
  /**
   * Create that Network Watcher (its resource group must exist) instead of using the one Azure
   * creates with a region's first VNet: only for a subscription that opted out of automatic
   * creation, as Azure allows one watcher per region and subscription. Default false: the watcher
   * is looked up before anything is created and a missing one is reported with what to set.
   */
  createNetworkWatcher?: boolean;
  /** Use this VNet instead of creating one; only flow logs (when asked) are added to it. */
  existing?: ExistingAzureVnet;
}

/**
 * The defaults of `AzureVnetArgs`. Flow logs default on for a new VNet and off for an existing
 * one; the Network Watcher is the one Azure creates per region, `NetworkWatcher_<location>`.
 */
export const VNET_DEFAULTS = {
  addressSpace: "10.30.0.0/16",
  apiServerSubnet: true,
  egress: "natGateway",
  flowLogRetentionDays: 90,
  networkWatcherResourceGroupName: "NetworkWatcherRG",
} as const;

// An existing VNet's fields in the order they are checked (and reported).
const { apiServerSubnetId, outboundType, ...nodeNetworkShape } = clusterNetworkShape;
const existingVnetShape = {
  ...nodeNetworkShape,
  endpointSubnetId: input(SUBNET_ID),
  gatewaySubnetId: input(SUBNET_ID).optional(),
  apiServerSubnetId,
  outboundType,
};

const vnetArgsShape = {
  ...commonArgsShape,
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  location: LOCATION,
  addressSpace: ipv4Cidr({ min: 16, max: 22 }).optional(),
  subnets: z
    .strictObject(
      Object.fromEntries(
        AZURE_SUBNET_ROLES.map((role) => [role, ipv4Cidr({ min: 16, max: 29 }).optional()]),
      ) as Record<AzureSubnetRole, z.ZodOptional<ReturnType<typeof ipv4Cidr>>>,
    )
    .optional(),
  apiServerSubnet: z.boolean().optional(),
  apiServerClientCidrs: z.array(ipv4Cidr()).optional(),
  dnsResolverSubnets: z.boolean().optional(),
  egress: z.enum(["natGateway", "userDefinedRouting"]).optional(),
  routeTableId: input(ROUTE_TABLE_ID).optional(),
  flowLogs: z.boolean().optional(),
  flowLogRetentionDays: z.number().int().min(1).max(365).optional(),
  networkWatcherName: z.string().min(1).max(80).optional(),
  networkWatcherResourceGroupName: RESOURCE_GROUP_NAME.optional(),
  createNetworkWatcher: z.boolean().optional(),
  existing: z.strictObject(existingVnetShape).optional(),
};
type VnetArgsFields = z.output<z.ZodObject<typeof vnetArgsShape>>;

/** The zod schema of `AzureVnetArgs`, with the checks that span fields. */
export const vnetArgsSchema = z.strictObject(vnetArgsShape).superRefine((args, ctx) => {
  if (args.existing) {
    checkExisting(args, ctx);
    return;
  }
  checkEgress(args, ctx);
  for (const field of ["subnets.apiServer", "apiServerClientCidrs"] as const) {
    const given = field === "apiServerClientCidrs" ? args.apiServerClientCidrs : args.subnets?.apiServer;
    if (given !== undefined && args.apiServerSubnet === false) {
      ctx.addIssue({
        code: "custom",
        path: field.split("."),
        message: "does not apply with apiServerSubnet: false",
      });
    }
  }
  checkSubnetPlan(args.addressSpace ?? VNET_DEFAULTS.addressSpace, args, ctx);
});

/** `AzureVnetArgs` once parsed. */
export type ParsedVnetArgs = z.output<typeof vnetArgsSchema>;

/** An existing VNet has one address space, and takes none of the args that shape a new one. */
function checkExisting(args: VnetArgsFields, ctx: IssueSink): void {
  const given = args.existing;
  if (
    typeof given?.addressSpace === "string" &&
    given.addressSpaceCidr !== undefined &&
    given.addressSpaceCidr !== given.addressSpace
  ) {
    ctx.addIssue({
      code: "custom",
      path: ["existing", "addressSpaceCidr"],
      message: `"${given.addressSpaceCidr}" differs from existing.addressSpace "${given.addressSpace}"; give the VNet's one space`,
    });
  }
  for (const field of [
    "addressSpace",
    "subnets",
    "apiServerSubnet",
    "apiServerClientCidrs",
    "dnsResolverSubnets",
    "egress",
    "routeTableId",
  ] as const) {
    if (args[field] !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [field],
        message: "only applies to a new VNet; remove it or drop `existing`",
      });
    }
  }
}

/** A route table goes with user-defined routing, and only with it. */
function checkEgress(args: VnetArgsFields, ctx: IssueSink): void {
  const udr = args.egress === "userDefinedRouting";
  if (udr && args.routeTableId === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["routeTableId"],
      message: 'is required with egress "userDefinedRouting": the node subnets need a route to your firewall',
    });
  }
  if (!udr && args.routeTableId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["routeTableId"],
      message: 'only applies with egress "userDefinedRouting"',
    });
  }
}
