import { PublicIPAddress, VirtualNetworkGateway } from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import { locatedIn } from "../group";
import { AZURE_VPN_DEFAULTS, type AzureVpnGatewayArgs, azureVpnGatewayArgsSchema } from "./args";

/** The gateway's two IP configurations: one per instance of the active-active pair. */
const IP_CONFIGURATIONS = ["instance0", "instance1"] as const;

/**
 * The Azure end of a site's VPN links: a route-based, zone-redundant, active-active VPN gateway
 * (Generation2) with BGP, two zone-redundant static public IPs (one per instance), custom APIPA
 * BGP addresses for the links' tunnels. The private endpoints' NSG already admits HTTPS from
 * `VirtualNetwork`, which includes the networks the gateway learns. `VpnLink` adds a local network gateway and a connection per remote tunnel. Creating
 * the gateway takes Azure 30-45 minutes.
 */
export class AzureVpnGateway extends pulumi.ComponentResource {
  /** The gateway's resource id. */
  public readonly gatewayId: pulumi.Output<string>;
  /** Its BGP ASN. */
  public readonly asn: number;
  /** Public IPs of instance 0 and instance 1. */
  public readonly publicIps: [pulumi.Output<string>, pulumi.Output<string>];
  /** Resource ids of the two IP configurations, for each connection's custom BGP addresses. */
  public readonly ipConfigurationIds: [pulumi.Output<string>, pulumi.Output<string>];
  /** Resource group and region, where the links put their local network gateways and connections. */
  public readonly resourceGroupName: pulumi.Output<string>;
  public readonly location: string | undefined;

  constructor(name: string, args: AzureVpnGatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureVpnGateway", name), azureVpnGatewayArgsSchema, args);
    super("hybrid-ai-infra:index:AzureVpnGateway", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = azureContext(this);
    const where = { resourceGroupName: parsed.resourceGroupName, ...locatedIn(parsed.location) };
    const asn = parsed.asn ?? AZURE_VPN_DEFAULTS.asn;
    const sku = parsed.sku ?? AZURE_VPN_DEFAULTS.sku;

    const ips = IP_CONFIGURATIONS.map(
      (instance) =>
        new PublicIPAddress(
          childName(name, instance),
          {
            ...where,
            sku: { name: "Standard", tier: "Regional" },
            publicIPAllocationMethod: "Static",
            // Zone-redundant: the instance's address survives the loss of a zone.
            zones: ["1", "2", "3"],
            tags: common.tags,
          },
          { parent: this },
        ),
    );
    // The gateway's name is fixed, so the ids of its IP configurations are known before it exists:
    // its BGP settings refer to them.
    const gatewayName = name;
    const ipConfigurationIds = IP_CONFIGURATIONS.map(
      (instance) =>
        pulumi.interpolate`/subscriptions/${ctx.subscriptionId}/resourceGroups/${parsed.resourceGroupName}/providers/Microsoft.Network/virtualNetworkGateways/${gatewayName}/ipConfigurations/${instance}`,
    ) as [pulumi.Output<string>, pulumi.Output<string>];
    const gateway = new VirtualNetworkGateway(
      name,
      {
        ...where,
        virtualNetworkGatewayName: gatewayName,
        gatewayType: "Vpn",
        vpnType: "RouteBased",
        vpnGatewayGeneration: "Generation2",
        sku: { name: sku, tier: sku },
        activeActive: true,
        enableBgp: true,
        bgpSettings: {
          asn,
          bgpPeeringAddresses: IP_CONFIGURATIONS.map((_, i) => ({
            ipconfigurationId: ipConfigurationIds[i],
            customBgpIpAddresses: parsed.apipaAddresses[i],
          })),
        },
        ipConfigurations: IP_CONFIGURATIONS.map((instance, i) => ({
          name: instance,
          subnet: { id: parsed.gatewaySubnetId },
          publicIPAddress: { id: ips[i]?.id },
          privateIPAllocationMethod: "Dynamic",
        })),
        tags: common.tags,
      },
      { parent: this, customTimeouts: { create: "90m", update: "90m", delete: "60m" } },
    );
    this.gatewayId = gateway.id;
    this.asn = asn;
    this.publicIps = ips.map((ip) => ip.ipAddress.apply((a) => a ?? "")) as [
      pulumi.Output<string>,
      pulumi.Output<string>,
    ];
    this.ipConfigurationIds = ipConfigurationIds;
    this.resourceGroupName = pulumi.output(parsed.resourceGroupName);
    this.location = parsed.location;
    this.registerOutputs({ gatewayId: this.gatewayId, asn, publicIps: this.publicIps });
  }
}
