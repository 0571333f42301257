import { PrivateDnsZoneGroup, PrivateEndpoint } from "@pulumi/azure-native/network";
import { PrivateZone, VirtualNetworkLink } from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { type GroupAndRegion, locatedIn } from "../group";

/** The private DNS zone blob private endpoints resolve through (Azure public cloud). */
export const BLOB_PRIVATE_DNS_ZONE = "privatelink.blob.core.windows.net";

/** Where the blob endpoint goes and how it resolves. */
export interface BlobEndpointOptions extends GroupAndRegion {
  accountId: pulumi.Input<string>;
  virtualNetworkId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** A fixed address for the endpoint; default Azure's pick. */
  endpointIp: string | undefined;
  /** A given privatelink.blob zone; default a new one linked to the VNet. */
  privateDnsZoneId: pulumi.Input<string> | undefined;
  tags: Record<string, string>;
}

/**
 * The only way in: a private endpoint for the account's blob service in the VNet, registered in
 * the privatelink.blob zone (a given one, or a new zone linked to the VNet).
 */
export function createBlobEndpoint(
  name: string,
  parent: pulumi.Resource,
  options: BlobEndpointOptions,
): { endpoint: PrivateEndpoint; privateDnsZoneId: pulumi.Output<string>; endpointIp: pulumi.Output<string> } {
  const privateDnsZoneId =
    options.privateDnsZoneId === undefined
      ? createBlobZone(childName(name, "blob-dns"), parent, options)
      : pulumi.output(options.privateDnsZoneId);
  const endpoint = new PrivateEndpoint(
    childName(name, "blob"),
    {
      resourceGroupName: options.resourceGroupName,
      ...locatedIn(options.location),
      subnet: { id: options.subnetId },
      // A static address for the blob member: the egress /32 is then known before the endpoint exists.
      ...(options.endpointIp
        ? {
            ipConfigurations: [
              { name: "blob", groupId: "blob", memberName: "blob", privateIPAddress: options.endpointIp },
            ],
          }
        : {}),
      privateLinkServiceConnections: [
        { name: "blob", privateLinkServiceId: options.accountId, groupIds: ["blob"] },
      ],
      tags: options.tags,
    },
    { parent },
  );
  const zoneGroup = new PrivateDnsZoneGroup(
    childName(name, "blob"),
    {
      resourceGroupName: options.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: "blob", privateDnsZoneId }],
    },
    { parent },
  );
  // The A record the zone group wrote for the endpoint: its one address in the endpoint subnet.
  const recorded = zoneGroup.privateDnsZoneConfigs.apply((configs) => {
    const ip = configs?.[0]?.recordSets[0]?.ipAddresses?.[0];
    if (!ip) throw new Error(`storage ${JSON.stringify(name)}: Azure reported no private endpoint address`);
    return ip;
  });
  const endpointIp = options.endpointIp ? pulumi.output(options.endpointIp) : recorded;
  return { endpoint, privateDnsZoneId, endpointIp };
}

/** A privatelink.blob zone named `name` linked to the VNet (without auto-registration); returns its id. */
export function createBlobZone(
  name: string,
  parent: pulumi.Resource,
  options: {
    resourceGroupName: pulumi.Input<string>;
    virtualNetworkId: pulumi.Input<string>;
    tags: Record<string, string>;
  },
): pulumi.Output<string> {
  const zone = new PrivateZone(
    name,
    {
      resourceGroupName: options.resourceGroupName,
      privateZoneName: BLOB_PRIVATE_DNS_ZONE,
      location: "Global",
      tags: options.tags,
    },
    { parent },
  );
  new VirtualNetworkLink(
    name,
    {
      resourceGroupName: options.resourceGroupName,
      privateZoneName: zone.name,
      location: "Global",
      virtualNetwork: { id: options.virtualNetworkId },
      registrationEnabled: false,
      tags: options.tags,
    },
    { parent },
  );
  return zone.id;
}
