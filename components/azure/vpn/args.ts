import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
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
  /** The gateway's BGP ASN: private, not one Azure reserves (65515-65520). Default 65000. */
  asn?: number;
  /** Zone-redundant SKU, VpnGw2AZ (default) or larger. */
  sku?: (typeof AZURE_VPN_SKUS)[number];
  /** Custom APIPA BGP addresses of each of the two instances (169.254.21.0-169.254.22.255), one per tunnel that ends on it; `azureApipaAddresses` computes them from the links. */
  apipaAddresses: [string[], string[]];
}

/** Defaults of `AzureVpnGatewayArgs`. */
export const AZURE_VPN_DEFAULTS = { asn: 65000, sku: "VpnGw2AZ" } as const;

const AZURE_RESERVED_ASNS = new Set([8074, 8075, 12076, 23456, 65515, 65517, 65518, 65519, 65520]);
const APIPA = /^169\.254\.(21|22)\.(\d{1,3})$/;

export const azureVpnGatewayArgsSchema = z.strictObject({
  ...groupArgsShape,
  gatewaySubnetId: input(SUBNET_ID),
  asn: z
    .number()
    .int()
    .refine(
      (asn) =>
        asn >= 1 &&
        asn <= 4_294_967_294 &&
        !AZURE_RESERVED_ASNS.has(asn) &&
        !(asn >= 64496 && asn <= 64511) &&
        !(asn >= 65535 && asn <= 65551),
      "is an ASN Azure reserves or rejects (65515-65520, 8074, 8075, 12076, 23456, 64496-64511, 65535-65551)",
    )
    .optional(),
  sku: z.enum(AZURE_VPN_SKUS).optional(),
  apipaAddresses: z.tuple([
    z.array(z.string().regex(APIPA, "is not in Azure's APIPA range 169.254.21.0-169.254.22.255")),
    z.array(z.string().regex(APIPA, "is not in Azure's APIPA range 169.254.21.0-169.254.22.255")),
  ]),
});
