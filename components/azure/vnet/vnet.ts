import * as pulumi from "@pulumi/pulumi";
import { resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { type AzureVnetArgs, VNET_DEFAULTS, vnetArgsSchema } from "./args";
import { recordFlowLogs } from "./flow-logs";
import { createNetwork, existingNetwork } from "./network";
import type { AzureSubnetPlan } from "./subnet-plan";

/**
 * A VNet for private AKS clusters and private endpoints: subnets carved from one address space
 * (system nodes, GPU nodes, private endpoints, a GatewaySubnet kept for the VPN gateway, and the
 * API server's delegated subnet, which keeps a cluster's KMS vault private), an NSG on every
 * subnet but the GatewaySubnet,
 * no default outbound access, egress through a NAT gateway or your routes, and VNet flow logs to a
 * dedicated storage account written with a managed identity. Or an existing VNet, to which only
 * flow logs (when asked) are added.
 */
export class AzureVnet extends pulumi.ComponentResource {
  /** The VNet's resource id. */
  public readonly virtualNetworkId: pulumi.Output<string>;
  /** The VNet's name. */
  public readonly virtualNetworkName: pulumi.Output<string>;
  /** The VNet's IPv4 address space. */
  public readonly addressSpace: pulumi.Output<string>;
  /**
   * The same space as a plain string, known before deployment, so a cluster can check its pod and
   * service ranges against it; undefined only for an existing VNet whose space is an Output and
   * that was not given `addressSpaceCidr`.
   */
  public readonly addressSpaceCidr?: string;
  /** Subnet of the system pool and general-purpose pools. */
  public readonly systemSubnetId: pulumi.Output<string>;
  /** Subnet of the GPU pools. */
  public readonly gpuSubnetId: pulumi.Output<string>;
  /** Subnet of private endpoints. */
  public readonly endpointSubnetId: pulumi.Output<string>;
  /** The GatewaySubnet for the VPN gateway; undefined for an existing VNet without one. */
  public readonly gatewaySubnetId: pulumi.Output<string | undefined>;
  /** The subnet delegated to AKS for API server VNet integration; absent with `apiServerSubnet: false` or an existing VNet without one. */
  public readonly apiServerSubnetId?: pulumi.Output<string>;
  /** The DNS Private Resolver's inbound endpoint subnet (with `dnsResolverSubnets`). */
  public readonly dnsInboundSubnetId?: pulumi.Output<string>;
  /** Its outbound endpoint subnet. */
  public readonly dnsOutboundSubnetId?: pulumi.Output<string>;
  /** How the node subnets reach the internet, as AKS names it (`networkProfile.outboundType`). */
  public readonly outboundType: "userAssignedNATGateway" | "userDefinedRouting";
  /** The subnet blocks, by role (empty for an existing VNet). */
  public readonly subnetCidrs: pulumi.Output<Partial<AzureSubnetPlan>>;
  /** The NAT gateway; undefined without one. */
  public readonly natGatewayId: pulumi.Output<string | undefined>;
  /** The NAT gateway's static public IP (allow-list it where egress lands); undefined without one. */
  public readonly natPublicIp: pulumi.Output<string | undefined>;
  /** The NSGs, by subnet role. */
  public readonly networkSecurityGroupIds: pulumi.Output<Record<string, string>>;
  /** The storage account the flow logs land in; undefined without flow logs. */
  public readonly flowLogStorageAccountId: pulumi.Output<string | undefined>;

  constructor(name: string, args: AzureVnetArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureVnet", name), vnetArgsSchema, args);
    super("hybrid-ai-infra:index:AzureVnet", name, {}, opts);
    const common = resolveCommon(parsed);
    const net = parsed.existing
      ? existingNetwork(parsed.existing)
      : createNetwork(name, this, common, parsed);
    const flowLogs =
      (parsed.flowLogs ?? !parsed.existing)
        ? recordFlowLogs(name, this, common, {
            resourceGroupName: parsed.resourceGroupName,
            location: parsed.location,
            virtualNetworkId: net.virtualNetworkId,
            retentionDays: parsed.flowLogRetentionDays ?? VNET_DEFAULTS.flowLogRetentionDays,
            networkWatcherName: parsed.networkWatcherName ?? `NetworkWatcher_${parsed.location}`,
            networkWatcherResourceGroupName:
              parsed.networkWatcherResourceGroupName ?? VNET_DEFAULTS.networkWatcherResourceGroupName,
            createNetworkWatcher: parsed.createNetworkWatcher ?? false,
          })
        : undefined;

    this.virtualNetworkId = net.virtualNetworkId;
    this.virtualNetworkName = net.virtualNetworkName;
    this.addressSpace = net.addressSpace;
    if (net.addressSpaceCidr !== undefined) this.addressSpaceCidr = net.addressSpaceCidr;
    this.systemSubnetId = net.systemSubnetId;
    this.gpuSubnetId = net.gpuSubnetId;
    this.endpointSubnetId = net.endpointSubnetId;
    this.gatewaySubnetId = net.gatewaySubnetId;
    if (net.apiServerSubnetId !== undefined) this.apiServerSubnetId = net.apiServerSubnetId;
    if (net.dnsInboundSubnetId !== undefined) this.dnsInboundSubnetId = net.dnsInboundSubnetId;
    if (net.dnsOutboundSubnetId !== undefined) this.dnsOutboundSubnetId = net.dnsOutboundSubnetId;
    this.outboundType = net.outboundType;
    this.subnetCidrs = net.subnetCidrs;
    this.natGatewayId = net.natGatewayId;
    this.natPublicIp = net.natPublicIp;
    this.networkSecurityGroupIds = net.networkSecurityGroupIds;
    this.flowLogStorageAccountId = flowLogs ? flowLogs.id : pulumi.output(undefined);
    this.registerOutputs({
      virtualNetworkId: this.virtualNetworkId,
      virtualNetworkName: this.virtualNetworkName,
      addressSpace: this.addressSpace,
      addressSpaceCidr: this.addressSpaceCidr,
      systemSubnetId: this.systemSubnetId,
      gpuSubnetId: this.gpuSubnetId,
      endpointSubnetId: this.endpointSubnetId,
      gatewaySubnetId: this.gatewaySubnetId,
      apiServerSubnetId: this.apiServerSubnetId,
      outboundType: this.outboundType,
      subnetCidrs: this.subnetCidrs,
      natGatewayId: this.natGatewayId,
      natPublicIp: this.natPublicIp,
      networkSecurityGroupIds: this.networkSecurityGroupIds,
      flowLogStorageAccountId: this.flowLogStorageAccountId,
    });
  }
}
