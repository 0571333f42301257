import { PrivateRecordSet, PrivateZone, VirtualNetworkLink } from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  componentSubject,
  dnsLabelSchema,
  domainSchema,
  ipv4AddressSchema,
  parseOrThrow,
} from "../../validation";
import { RESOURCE_GROUP_NAME } from "../ids";

/** Arguments of `AzureServiceZone`. */
export interface AzureServiceZoneArgs extends CommonArgs {
  /** Resource group of the zone. */
  resourceGroupName: pulumi.Input<string>;
  /** The VNet that answers the names; the zone is linked to it alone, without auto-registration. */
  virtualNetworkId: pulumi.Input<string>;
  /** The zone, e.g. svc.prod.hybrid.internal: answered here, never forwarded to another site. */
  domain: string;
  /** One A record set per service: its name in the zone and this site's gateway address. */
  records: { name: string; addresses: string[] }[];
  /** Record TTL in seconds; default 30. */
  ttl?: number;
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  virtualNetworkId: input(z.string().min(1)),
  domain: domainSchema(),
  records: z.array(z.strictObject({ name: dnsLabelSchema, addresses: z.array(ipv4AddressSchema).min(1) })),
  ttl: z.number().int().min(5).max(86_400).optional(),
});

/**
 * The cross-site services' private names at the Azure site: an Azure private DNS zone linked to the
 * VNet, one A record set per service answering with this site's gateway (its internal load
 * balancer's pinned address).
 */
export class AzureServiceZone extends pulumi.ComponentResource {
  /** The zone's id. */
  public readonly zoneId: pulumi.Output<string>;

  constructor(name: string, args: AzureServiceZoneArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureServiceZone", name), argsSchema, args);
    super("hybrid-ai-infra:index:AzureServiceZone", name, {}, opts);
    const common = resolveCommon(parsed);
    const zone = new PrivateZone(
      name,
      {
        resourceGroupName: parsed.resourceGroupName,
        privateZoneName: parsed.domain,
        location: "Global",
        tags: common.tags,
      },
      { parent: this },
    );
    new VirtualNetworkLink(
      name,
      {
        resourceGroupName: parsed.resourceGroupName,
        privateZoneName: zone.name,
        location: "Global",
        virtualNetwork: { id: parsed.virtualNetworkId },
        registrationEnabled: false,
        tags: common.tags,
      },
      { parent: this },
    );
    for (const record of parsed.records) {
      new PrivateRecordSet(
        childName(name, record.name),
        {
          resourceGroupName: parsed.resourceGroupName,
          privateZoneName: zone.name,
          relativeRecordSetName: record.name,
          recordType: "A",
          ttl: parsed.ttl ?? 30,
          aRecords: record.addresses.map((ipv4Address) => ({ ipv4Address })),
        },
        { parent: this },
      );
    }
    this.zoneId = zone.id;
    this.registerOutputs({ zoneId: this.zoneId });
  }
}
