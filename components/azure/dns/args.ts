import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, input } from "../../kit";
import { domainSchema, domainsOf, flagRepeats, type IssueSink, ipv4AddressSchema } from "../../validation";
import { groupArgsShape } from "../group";
import { LOCATION, SUBNET_ID, VNET_ID } from "../ids";

/** A zone the VNet's resolver forwards out, and the resolvers that answer for it. */
export interface AzureForwardZone {
  /** The zone, with or without its trailing dot (the rule gets one, as Azure requires): corp.example, eu-west-1.eks.amazonaws.com. */
  domain: string;
  /** IPv4 addresses of its resolvers, e.g. the on-premises DNS servers or AWS's inbound endpoint. */
  targetIps: pulumi.Input<string>[];
  /** Their port. Default 53. */
  port?: number;
}

/** Arguments of `AzureHybridDns`. */
export interface AzureHybridDnsArgs extends CommonArgs {
  /** Resource group of the resolver and its ruleset. */
  resourceGroupName: pulumi.Input<string>;
  /** The VNet's region, e.g. westeurope: a resolver lives in its VNet's region, which need not be the group's. */
  location: string;
  /** The VNet the resolver serves (one resolver per VNet; it cannot move). */
  virtualNetworkId: pulumi.Input<string>;
  /** Subnet of the inbound endpoint, in that VNet: /28 to /24, delegated to Microsoft.Network/dnsResolvers only. */
  inboundSubnetId: pulumi.Input<string>;
  /** Subnet of the outbound endpoint, in that VNet, another than the inbound one: /28 to /24, delegated the same way. Needed only with `forwardZones`. */
  outboundSubnetId?: pulumi.Input<string>;
  /**
   * The inbound endpoint's address, pinned (Static), so the other sites can be configured before it
   * exists: an address of `inboundSubnetId` past Azure's four reserved ones, e.g. its fifth; default
   * Azure picks the subnet's first free address (Dynamic).
   */
  inboundIp?: string;
  /** Zones forwarded out of the VNet, each domain once. Default none: the resolver only answers the other sites (inbound). */
  forwardZones?: AzureForwardZone[];
}

/** The defaults and limits of `AzureHybridDnsArgs` (a forwarding rule's domain has 2-34 labels). */
export const AZURE_HYBRID_DNS_DEFAULTS = { port: 53, maxLabels: 34 } as const;

/** Flags a plain subnet id outside the plain VNet id: the endpoints must be in the resolver's VNet. */
function flagOutsideVnet(ctx: IssueSink, vnetId: unknown, field: string, subnetId: unknown) {
  if (typeof vnetId !== "string" || typeof subnetId !== "string") return;
  if (!VNET_ID.safeParse(vnetId).success || !SUBNET_ID.safeParse(subnetId).success) return;
  if (subnetId.toLowerCase().startsWith(`${vnetId.toLowerCase()}/subnets/`)) return;
  ctx.addIssue({
    code: "custom",
    path: [field],
    message: `"${subnetId}" is not a subnet of virtualNetworkId; an endpoint's subnet must be in the resolver's VNet`,
  });
}

export const azureHybridDnsArgsSchema = z
  .strictObject({
    ...groupArgsShape,
    location: LOCATION,
    virtualNetworkId: input(VNET_ID),
    inboundSubnetId: input(SUBNET_ID),
    inboundIp: ipv4AddressSchema.optional(),
    outboundSubnetId: input(SUBNET_ID).optional(),
    forwardZones: z
      .array(
        z.strictObject({
          domain: domainSchema(AZURE_HYBRID_DNS_DEFAULTS.maxLabels),
          targetIps: z.array(input(ipv4AddressSchema)).min(1, "give at least one resolver to forward to"),
          port: z.number().int().min(1).max(65535).optional(),
        }),
      )
      .optional(),
  })
  // `when` runs this while other fields are wrong too, so one error lists every problem; values that
  // failed their own check are skipped.
  .superRefine(
    (args, ctx) => {
      flagOutsideVnet(ctx, args.virtualNetworkId, "inboundSubnetId", args.inboundSubnetId);
      flagOutsideVnet(ctx, args.virtualNetworkId, "outboundSubnetId", args.outboundSubnetId);
      flagRepeats(
        ctx,
        [args.inboundSubnetId, args.outboundSubnetId],
        (i) => [i === 0 ? "inboundSubnetId" : "outboundSubnetId"],
        "each endpoint needs a subnet of its own",
      );
      if ((args.forwardZones ?? []).length > 0 && args.outboundSubnetId === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["outboundSubnetId"],
          message: "is required with forwardZones: the ruleset forwards through an outbound endpoint",
        });
      }
      flagRepeats(
        ctx,
        domainsOf(args.forwardZones ?? []),
        (i) => ["forwardZones", i, "domain"],
        "a ruleset takes one rule per domain",
      );
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/** `AzureHybridDnsArgs` once parsed: domains lower-case, without the trailing dot. */
export type ParsedAzureHybridDnsArgs = z.output<typeof azureHybridDnsArgsSchema>;
