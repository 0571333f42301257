import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isAmazonSideAsn } from "../../facts";
import { type Common, type CommonArgs, commonArgsShape, input, resolveCommon } from "../../kit";
import { awsIdSchema, componentSubject, oneOfNumbers, parseOrThrow } from "../../validation";
import { LOG_RETENTION_DAYS } from "../logs";

/** The VPC a VPN gateway serves: an `AwsVpc`, or the ids of an existing one. */
export interface AwsVpnNetwork {
  /** VPC id. */
  vpcId: pulumi.Input<string>;
  /** The private route tables, one Input each: routes learned over BGP are propagated into them (an `AwsVpc` gives `privateRouteTables`). */
  privateRouteTables: pulumi.Input<string>[];
}

/** Arguments of `AwsVpnGateway`. */
export interface AwsVpnGatewayArgs extends CommonArgs {
  /** The VPC the gateway attaches to. */
  network: AwsVpnNetwork;
  /** The gateway's BGP ASN: 64512-65534 or 4200000000-4294967294 (a link to Azure also refuses 65515-65520). Default 64512 (AWS's). Changing it replaces the gateway: its VPN connections are deleted first, then the gateway is detached and deleted, then all are created anew. */
  amazonSideAsn?: number;
  /** Days the tunnel logs are kept (a CloudWatch retention value). Default 365. */
  logRetentionDays?: number;
}

/** Defaults of `AwsVpnGatewayArgs`. */
export const VPN_GATEWAY_DEFAULTS = { amazonSideAsn: 64512, logRetentionDays: 365 } as const;

export { isAmazonSideAsn };

/**
 * The tunnel log group's name: under /aws/vendedlogs/, as AWS advises (the VPN service adds the
 * group to the account's CloudWatch Logs resource policy, whose size is limited), and carrying the
 * environment, since log group names are unique per account and region and environments share
 * them.
 */
export function tunnelLogGroupName(environment: string, gateway: string): string {
  return `/aws/vendedlogs/vpn/${environment}/${gateway}`;
}

export const vpnGatewayArgsSchema = z.strictObject({
  ...commonArgsShape,
  network: z.looseObject({
    vpcId: input(awsIdSchema("vpc")),
    privateRouteTables: z.array(input(awsIdSchema("rtb"))).min(1),
  }),
  amazonSideAsn: z
    .number()
    .int()
    .refine(
      isAmazonSideAsn,
      "is not an ASN a virtual private gateway takes (64512-65534 or 4200000000-4294967294)",
    )
    .optional(),
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
});

/** `AwsVpnGatewayArgs` with every default applied. */
export interface ResolvedVpnGatewayArgs {
  common: Common;
  network: z.output<typeof vpnGatewayArgsSchema>["network"];
  amazonSideAsn: number;
  logRetentionDays: number;
}

/** Validates and resolves the args of the gateway component `name` (the defaults of `VPN_GATEWAY_DEFAULTS`). */
export function resolveVpnGatewayArgs(name: string, args: AwsVpnGatewayArgs): ResolvedVpnGatewayArgs {
  const parsed = parseOrThrow(componentSubject("AwsVpnGateway", name), vpnGatewayArgsSchema, args);
  return {
    common: resolveCommon(parsed),
    network: parsed.network,
    amazonSideAsn: parsed.amazonSideAsn ?? VPN_GATEWAY_DEFAULTS.amazonSideAsn,
    logRetentionDays: parsed.logRetentionDays ?? VPN_GATEWAY_DEFAULTS.logRetentionDays,
  };
}
