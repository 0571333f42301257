import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatPath } from "../../pulumi-free";
import { type CommonArgs, input } from "../../pulumi-kit";
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
  /** Subnet of the outbound endpoint, in that VNet, another than the inbound one: /28 to /24, delegated the same way. */
  outboundSubnetId: pulumi.Input<string>;
  /** Zones forwarded out of the VNet, each domain once. */
  forwardZones: AzureForwardZone[];
}

/** The defaults and limits of `AzureHybridDnsArgs` (a forwarding rule's domain has 2-34 labels). */
export const AZURE_HYBRID_DNS_DEFAULTS = { port: 53, maxLabels: 34 } as const;

// A local copy of the DNS-name rule components/onprem/dns applies: folders share only through doors.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const domain = z.string().transform((text, ctx) => {
  const name = text.trim().toLowerCase().replace(/\.$/, "");
  const labels = name.split(".");
  const valid = name.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l));
  if (valid && labels.length <= AZURE_HYBRID_DNS_DEFAULTS.maxLabels) return name;
  ctx.addIssue({
    code: "custom",
    input: text,
    message: valid
      ? `${JSON.stringify(text)} has ${labels.length} labels; a forwarding rule takes at most 34`
      : `${JSON.stringify(text)} is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)`,
  });
  return z.NEVER;
});
const ipv4 = z.ipv4({ error: "is not an IPv4 address such as 10.10.0.53" });

/** The list a field holds, or none when it is not one (its own check reports that). */
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const domainsOf = (zones: unknown): unknown[] =>
  listOf(zones).map((zone) =>
    typeof zone === "object" && zone !== null ? (zone as { domain?: unknown }).domain : undefined,
  );

/** Flags each plain value that repeats an earlier one (Outputs are left to Azure). */
function flagRepeats(
  ctx: z.RefinementCtx,
  values: unknown[],
  path: (i: number) => PropertyKey[],
  why: string,
) {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    if (typeof value !== "string") return;
    const first = seen.get(value.toLowerCase());
    if (first === undefined) seen.set(value.toLowerCase(), i);
    else
      ctx.addIssue({
        code: "custom",
        path: path(i),
        message: `"${value}" repeats ${formatPath(path(first))}; ${why}`,
      });
  });
}

/** Flags a plain subnet id outside the plain VNet id: the endpoints must be in the resolver's VNet. */
function flagOutsideVnet(ctx: z.RefinementCtx, vnetId: unknown, field: string, subnetId: unknown) {
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
    outboundSubnetId: input(SUBNET_ID),
    forwardZones: z
      .array(
        z.strictObject({
          domain,
          targetIps: z.array(input(ipv4)).min(1, "give at least one resolver to forward to"),
          port: z.number().int().min(1).max(65535).optional(),
        }),
      )
      .min(1, "give at least one zone to forward"),
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
      flagRepeats(
        ctx,
        domainsOf(args.forwardZones),
        (i) => ["forwardZones", i, "domain"],
        "a ruleset takes one rule per domain",
      );
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  );

/** `AzureHybridDnsArgs` once parsed: domains lower-case, without the trailing dot. */
export type ParsedAzureHybridDnsArgs = z.output<typeof azureHybridDnsArgsSchema>;
