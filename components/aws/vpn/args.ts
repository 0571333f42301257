import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isAmazonSideAsn } from "../../facts";
import { type CommonArgs, commonArgsShape, input } from "../../kit";
import { awsIdSchema, ipv4Cidr, oneOfNumbers } from "../../validation";
import { LOG_RETENTION_DAYS } from "../logs";

/** The VPC a VPN gateway serves: an `AwsVpc`, or the ids of an existing one. */
export interface AwsVpnNetwork {
  /** VPC id. */
  vpcId: pulumi.Input<string>;
  /** The private route tables, one Input each: routes learned over BGP are propagated into them (an `AwsVpc` gives `privateRouteTables`). */
  privateRouteTables: pulumi.Input<string>[];
  /** Security group of the VPC's interface endpoints (an `AwsVpc`'s); peer networks may reach it on 443. */
  endpointSecurityGroupId?: pulumi.Input<string | undefined>;
}

/** Arguments of `AwsVpnGateway`. */
export interface AwsVpnGatewayArgs extends CommonArgs {
  /** The VPC the gateway attaches to. */
  network: AwsVpnNetwork;
  /** The gateway's BGP ASN: 64512-65534 or 4200000000-4294967294 (a link to Azure also refuses 65515-65520). Default 64512 (AWS's). Changing it replaces the gateway: its VPN connections are deleted first, then the gateway is detached and deleted, then all are created anew. */
  amazonSideAsn?: number;
  /** Networks on the far side of the gateway's links that may reach the VPC's interface endpoints on 443 (the cluster's API endpoint takes its own list). */
  peerCidrs?: string[];
  /** Days the tunnel logs are kept (a CloudWatch retention value). Default 365. */
  logRetentionDays?: number;
}

/** Defaults of `AwsVpnGatewayArgs`. */
export const VPN_GATEWAY_DEFAULTS = { amazonSideAsn: 64512, logRetentionDays: 365 } as const;

export { isAmazonSideAsn };

export const vpnGatewayArgsSchema = z.strictObject({
  ...commonArgsShape,
  network: z.looseObject({
    vpcId: input(awsIdSchema("vpc")),
    privateRouteTables: z.array(input(awsIdSchema("rtb"))).min(1),
    endpointSecurityGroupId: input(awsIdSchema("sg").optional()).optional(),
  }),
  amazonSideAsn: z
    .number()
    .int()
    .refine(
      isAmazonSideAsn,
      "is not an ASN a virtual private gateway takes (64512-65534 or 4200000000-4294967294)",
    )
    .optional(),
  peerCidrs: z.array(ipv4Cidr()).optional(),
  logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
});
