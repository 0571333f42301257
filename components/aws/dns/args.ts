import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, commonArgsShape, input } from "../../kit";
import {
  awsIdSchema,
  domainSchema,
  domainsOf,
  flagRepeats,
  ipv4AddressSchema,
  ipv4Cidr,
  listOf,
} from "../../validation";

/** A zone Route 53 Resolver forwards out of the VPC, and the resolvers that answer for it. */
export interface AwsForwardZone {
  /** The zone, with or without its trailing dot: corp.example, blob.core.windows.net, westeurope.azmk8s.io. */
  domain: string;
  /** IPv4 addresses of its resolvers (port 53), e.g. the on-premises DNS servers or Azure's inbound endpoint. */
  targetIps: pulumi.Input<string>[];
}

/** Arguments of `AwsHybridDns`. */
export interface AwsHybridDnsArgs extends CommonArgs {
  /** The VPC whose resolver answers other sites and forwards their zones. */
  vpcId: pulumi.Input<string>;
  /** Private subnets for the endpoints' addresses, one address in each: 2-10, in different Availability Zones. */
  subnetIds: pulumi.Input<string>[];
  /** Networks that may query the inbound endpoint on 53 (TCP and UDP): on-premises, and Azure's outbound endpoint subnet. */
  clientCidrs: string[];
  /**
   * Zones forwarded out of the VPC, each domain once. Default none: the resolver only answers the
   * other sites (an inbound endpoint, no outbound endpoint or rules).
   */
  forwardZones?: AwsForwardZone[];
  /**
   * The inbound endpoint's addresses, one per subnet in `subnetIds`' order, so the other sites can be
   * configured before the endpoint exists (e.g. each subnet's `AwsVpc.pinnedRanges` fifth address);
   * default AWS picks them when it creates the endpoint.
   */
  inboundIps?: string[];
}

/** The limits of `AwsHybridDnsArgs`: Route 53 Resolver takes 2-10 addresses per endpoint. */
export const AWS_HYBRID_DNS_LIMITS = { minSubnets: 2, maxSubnets: 10 } as const;

export const awsHybridDnsArgsSchema = z
  .strictObject({
    ...commonArgsShape,
    vpcId: input(awsIdSchema("vpc")),
    subnetIds: z
      .array(input(awsIdSchema("subnet")))
      .min(
        AWS_HYBRID_DNS_LIMITS.minSubnets,
        "give at least two subnets, in different Availability Zones: Route 53 Resolver endpoints need two addresses",
      )
      .max(
        AWS_HYBRID_DNS_LIMITS.maxSubnets,
        "give at most ten subnets: an endpoint takes up to ten addresses",
      ),
    clientCidrs: z.array(ipv4Cidr()).min(1, "give the networks that may query the inbound endpoint"),
    forwardZones: z
      .array(
        z.strictObject({
          domain: domainSchema(),
          targetIps: z.array(input(ipv4AddressSchema)).min(1, "give at least one resolver to forward to"),
        }),
      )
      .default([]),
    inboundIps: z.array(ipv4AddressSchema).optional(),
  })
  // `when` runs this while other fields are wrong too, so one error lists every problem; values that
  // failed their own check are skipped (they are not strings, or not the repeated one).
  .superRefine(
    (args, ctx) => {
      flagRepeats(ctx, listOf(args.subnetIds), (i) => ["subnetIds", i], "give each subnet once");
      flagRepeats(ctx, listOf(args.clientCidrs), (i) => ["clientCidrs", i], "give each network once");
      flagRepeats(ctx, listOf(args.inboundIps), (i) => ["inboundIps", i], "give each address once");
      const ips = listOf(args.inboundIps);
      if (args.inboundIps !== undefined && ips.length !== listOf(args.subnetIds).length)
        ctx.addIssue({
          code: "custom",
          path: ["inboundIps"],
          message: `has ${ips.length} addresses for ${listOf(args.subnetIds).length} subnets; give one per subnet, in subnetIds' order`,
        });
      flagRepeats(
        ctx,
        domainsOf(args.forwardZones),
        (i) => ["forwardZones", i, "domain"],
        "a VPC takes one forwarding rule per domain",
      );
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/** `AwsHybridDnsArgs` once parsed: domains lower-case, without the trailing dot. */
export type ParsedAwsHybridDnsArgs = z.output<typeof awsHybridDnsArgsSchema>;
