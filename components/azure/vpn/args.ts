import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isUsablePrivateAsn, USABLE_PRIVATE_ASNS_TEXT } from "../../facts";
import type { CommonArgs } from "../../kit";
import { input } from "../../kit";
import { groupArgsShape } from "../group";
import { SUBNET_ID } from "../ids";

/** Zone-redundant SKUs that run active-active with custom APIPA BGP addresses. */
export const AZURE_VPN_SKUS = ["VpnGw2AZ", "VpnGw3AZ", "VpnGw4AZ", "VpnGw5AZ"] as const;

/** Arguments of `AzureVpnGateway`. */
export interface AzureVpnGatewayArgs extends CommonArgs {
  /** Resource group of the gateway and its public IPs. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region; default the resource group's. */
  location?: string;
  /** The VNet's `GatewaySubnet` (an `AzureVnet`'s `gatewaySubnetId`). */
  gatewaySubnetId: pulumi.Input<string>;
  /** The gateway's BGP ASN: private, 64512-65514, 65521-65534 or 4200000000-4294967294 (Azure VPN Gateway FAQ). Default 65000. */
  asn?: number;
  /** Zone-redundant SKU, VpnGw2AZ (default) or larger. */
  sku?: (typeof AZURE_VPN_SKUS)[number];
  /** Custom APIPA BGP addresses of each of the two instances (169.254.21.0-169.254.22.255), one per tunnel that ends on it; `azureApipaAddresses` computes them from the links. */
  apipaAddresses: [string[], string[]];
}

/** Defaults of `AzureVpnGatewayArgs`. */
export const AZURE_VPN_DEFAULTS = { asn: 65000, sku: "VpnGw2AZ" } as const;

const APIPA = /^169\.254\.(21|22)\.(\d{1,3})$/;

export const azureVpnGatewayArgsSchema = z.strictObject({
  ...groupArgsShape,
  gatewaySubnetId: input(SUBNET_ID),
  asn: z.number().int().refine(isUsablePrivateAsn, `is not ${USABLE_PRIVATE_ASNS_TEXT}`).optional(),
  sku: z.enum(AZURE_VPN_SKUS).optional(),
  apipaAddresses: z.tuple([
    z.array(z.string().regex(APIPA, "is not in Azure's APIPA range 169.254.21.0-169.254.22.255")),
    z.array(z.string().regex(APIPA, "is not in Azure's APIPA range 169.254.21.0-169.254.22.255")),
  ]),
});
