import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, input, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { RESOURCE_GROUP_NAME, VNET_ID } from "../ids";
import { createBlobZone } from "./private-endpoint";

/** Arguments of `AzureBlobPrivateDns`. */
export interface AzureBlobPrivateDnsArgs extends CommonArgs {
  /** Resource group of the zone (a private DNS zone is global; the group only holds it). */
  resourceGroupName: pulumi.Input<string>;
  /** The VNet the zone is linked to (a VNet links one zone of a name). */
  virtualNetworkId: pulumi.Input<string>;
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  virtualNetworkId: input(VNET_ID),
});

/**
 * The privatelink.blob.core.windows.net zone of a VNet and its link, made once for every storage
 * account whose private endpoint lives there (give each `AzureEncryptedStorage` its
 * `privateDnsZoneId`): removing one account then removes only its own record, never the zone the
 * others resolve through.
 */
export class AzureBlobPrivateDns extends pulumi.ComponentResource {
  /** The zone's resource id, for `AzureEncryptedStorageArgs.privateDnsZoneId`. */
  public readonly privateDnsZoneId: pulumi.Output<string>;

  constructor(name: string, args: AzureBlobPrivateDnsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureBlobPrivateDns", name), argsSchema, args);
    super("hybrid-ai-infra:index:AzureBlobPrivateDns", name, {}, opts);
    const { tags } = resolveCommon(parsed);
    this.privateDnsZoneId = createBlobZone(name, this, {
      resourceGroupName: parsed.resourceGroupName,
      virtualNetworkId: parsed.virtualNetworkId,
      tags,
    });
    this.registerOutputs({ privateDnsZoneId: this.privateDnsZoneId });
  }
}
