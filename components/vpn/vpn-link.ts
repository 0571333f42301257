import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  CRYPTO_SUITES,
  type VpnEnd as CryptoEnd,
  type CryptoSuite,
  type CryptoSuiteName,
  checkSuite,
  DEFAULT_CRYPTO_SUITE,
  DEFAULT_INSIDE_SLOTS,
  INSIDE_SLOTS,
  isUsablePrivateAsn,
  LINK_KINDS,
  type LinkKind,
  USABLE_PRIVATE_ASNS_TEXT,
} from "../facts";
import { type CommonArgs, commonArgsShape, input, resolveCommon } from "../kit";
import type { RouterTunnel } from "../onprem";
import { ConfigError, componentSubject, findOverlaps, ipv4Cidr, parseOrThrow } from "../validation";
import { buildAwsAzure, buildAwsOnPrem, buildAzureOnPrem, type LinkTunnel } from "./links";

/** The AWS end of a link: a site's `AwsVpnGateway` (or its outputs) and the networks behind it. */
export interface AwsVpnEnd {
  site: "aws";
  /** Site name, as tables and errors show it. */
  name: string;
  /** The gateway: its id, ASN and tunnel log group. */
  gateway: {
    vpnGatewayId: pulumi.Input<string>;
    amazonSideAsn: number;
    tunnelLogGroupArn: pulumi.Input<string>;
  };
  /** Networks behind the gateway (the VPC's block), checked against the other end's. */
  networks: readonly string[];
}

/** The on-premises end of a link: the router `OnPremVpnRouter` renders the configuration of. */
export interface OnPremVpnEnd {
  site: "onprem";
  /** Site name. */
  name: string;
  /** The router's public IPv4 address: every cloud end builds its tunnels to it. */
  publicIp: string;
  /** The router's BGP ASN: private, 64512-65514, 65521-65534 or 4200000000-4294967294 (above 2147483647 AWS's customer gateway takes it as `bgpAsnExtended`); not a cloud end's. */
  asn: number;
  /** The on-premises networks the router announces. */
  networks: readonly string[];
}

/** The Azure end of a link: a site's `AzureVpnGateway` (or its outputs) and the networks behind it. */
export interface AzureVpnEnd {
  site: "azure";
  /** Site name. */
  name: string;
  /** The gateway: id, ASN, the two instances' public IPs and IP configuration ids, where it lives. */
  gateway: {
    gatewayId: pulumi.Input<string>;
    asn: number;
    publicIps: [pulumi.Input<string>, pulumi.Input<string>];
    ipConfigurationIds: [pulumi.Input<string>, pulumi.Input<string>];
    resourceGroupName: pulumi.Input<string>;
    location?: string | undefined;
  };
  /** Networks behind the gateway (the VNet's space and the AKS overlay ranges). */
  networks: readonly string[];
}

/** One end of a `VpnLink`. */
export type VpnLinkEnd = AwsVpnEnd | AzureVpnEnd | OnPremVpnEnd;

/** Arguments of `VpnLink`. */
export interface VpnLinkArgs extends CommonArgs {
  /** The two sites the link joins (aws and onprem today). */
  ends: [VpnLinkEnd, VpnLinkEnd];
  /**
   * Which /28 of 169.254.21.0-169.254.22.255 the link's tunnels use (0-31): unique per stack and per
   * on-premises router. Default by site pair (aws-onprem 0, aws-azure 1, azure-onprem 2), so no
   * other link's addition or removal moves it; changing it replaces the AWS connections.
   */
  insideSlot?: number;
  /** A suite of `CRYPTO_SUITES` by name, or a suite of its own. Default "aes256gcm-sha384-ecp384". */
  crypto?: CryptoSuiteName | CryptoSuite;
}

const privateAsn = z.number().int().refine(isUsablePrivateAsn, `is not ${USABLE_PRIVATE_ASNS_TEXT}`);
const ipv4Address = z
  .string()
  .regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "is not an IPv4 address such as 198.51.100.10");

const endSchema = z.discriminatedUnion("site", [
  z.strictObject({
    site: z.literal("aws"),
    name: z.string().min(1),
    gateway: z.looseObject({
      vpnGatewayId: input(z.string()),
      amazonSideAsn: z.number().int(),
      tunnelLogGroupArn: input(z.string()),
    }),
    networks: z.array(ipv4Cidr()).min(1),
  }),
  z.strictObject({
    site: z.literal("azure"),
    name: z.string().min(1),
    gateway: z.looseObject({
      gatewayId: input(z.string()),
      asn: z.number().int(),
      publicIps: z.tuple([input(z.string()), input(z.string())]),
      ipConfigurationIds: z.tuple([input(z.string()), input(z.string())]),
      resourceGroupName: input(z.string()),
      location: z.string().optional(),
    }),
    networks: z.array(ipv4Cidr()).min(1),
  }),
  z.strictObject({
    site: z.literal("onprem"),
    name: z.string().min(1),
    publicIp: ipv4Address,
    asn: privateAsn,
    networks: z.array(ipv4Cidr()).min(1),
  }),
]);

const suiteSchema = z.union([
  z.enum(Object.keys(CRYPTO_SUITES) as [CryptoSuiteName, ...CryptoSuiteName[]]),
  z.custom<CryptoSuite>((v) => typeof v === "object" && v !== null && "ike" in v && "esp" in v, {
    message: "is neither a suite name nor a suite",
  }),
]);

const linkSchema = z
  .strictObject({
    ...commonArgsShape,
    ends: z.tuple([endSchema, endSchema]),
    insideSlot: z
      .number()
      .int()
      .min(0)
      .max(INSIDE_SLOTS - 1)
      .optional(),
    crypto: suiteSchema.optional(),
  })
  .superRefine((args, ctx) => {
    const [a, b] = args.ends;
    const kinds = [a.site, b.site].sort().join("-");
    if (!(LINK_KINDS as readonly string[]).includes(kinds)) {
      ctx.addIssue({
        code: "custom",
        path: ["ends"],
        message: `joins ${a.site} and ${b.site}; a link joins ${LINK_KINDS.join(" or ")}`,
      });
    }
    const asnOf = (end: typeof a) =>
      end.site === "aws" ? end.gateway.amazonSideAsn : end.site === "azure" ? end.gateway.asn : end.asn;
    // The clouds' gateways check their own ranges; a link also needs every end's ASN to be one
    // the other ends accept (an AWS gateway in 65515-65520 cannot peer with Azure).
    args.ends.forEach((end, i) => {
      if (end.site !== "onprem" && !isUsablePrivateAsn(asnOf(end))) {
        ctx.addIssue({
          code: "custom",
          path: ["ends", i, "gateway", end.site === "aws" ? "amazonSideAsn" : "asn"],
          message: `${asnOf(end)} is not ${USABLE_PRIVATE_ASNS_TEXT}`,
        });
      }
    });
    if (asnOf(a) === asnOf(b)) {
      ctx.addIssue({
        code: "custom",
        path: ["ends", 1],
        message: `has ASN ${asnOf(b)}, the same as ${a.name}; eBGP needs two ASNs`,
      });
    }
    const networks = [a, b].flatMap((end) =>
      end.networks.map((cidr) => ({ name: `${end.name} ${cidr}`, cidr })),
    );
    for (const { a: x, b: y } of findOverlaps(networks)) {
      ctx.addIssue({
        code: "custom",
        path: ["ends"],
        message: `${y.name} overlaps ${x.name}; networks joined by VPN must not overlap`,
      });
    }
  });

/**
 * A site-to-site VPN link between two sites: two tunnels per remote device, each with its own
 * pre-shared key (random, secret), inside /30s from the link's slot, BGP between the ends' ASNs,
 * and the crypto suite pinned on every end. aws-onprem: a customer gateway and a VPN connection
 * (two tunnels) to the router, whose side `onpremTunnels` carries to `OnPremVpnRouter`.
 * aws-azure: a customer gateway and a VPN connection per Azure gateway instance, and a local
 * network gateway and connection per AWS tunnel (four tunnels). azure-onprem: a local network
 * gateway and one connection, which both gateway instances run. Exactly one end opens IKE on
 * each tunnel (the router; Azure towards AWS). Replacements are ordered for AWS and Azure (see
 * `createAwsVpnConnections` and `createAzureVpnConnections`): the program needs Pulumi CLI 3.207
 * or later.
 */
export class VpnLink extends pulumi.ComponentResource {
  /** The link's tunnels: sites, outside and inside addresses, ASNs and suite. */
  public readonly tunnels: pulumi.Output<LinkTunnel[]>;
  /** The on-premises router's tunnels of this link (secret: they hold the pre-shared keys); empty without an on-premises end. */
  public readonly onpremTunnels: pulumi.Output<RouterTunnel[]>;
  /** The suite every end negotiates. */
  public readonly suite: CryptoSuite;
  /** The suite's name, or "custom". */
  public readonly suiteName: string;

  constructor(name: string, args: VpnLinkArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const subject = componentSubject("VpnLink", name);
    const parsed = parseOrThrow(subject, linkSchema, args);
    const suite =
      typeof parsed.crypto === "object"
        ? parsed.crypto
        : CRYPTO_SUITES[parsed.crypto ?? DEFAULT_CRYPTO_SUITE];
    const ends: CryptoEnd[] = parsed.ends.map((e) => (e.site === "onprem" ? "strongswan" : e.site));
    checkSuite(subject, suite, ends);
    super("hybrid-ai-infra:index:VpnLink", name, {}, opts);
    const suiteName = typeof parsed.crypto === "object" ? "custom" : (parsed.crypto ?? DEFAULT_CRYPTO_SUITE);
    const kind = [parsed.ends[0].site, parsed.ends[1].site].sort().join("-") as LinkKind;
    const context = {
      name,
      parent: this,
      suite,
      suiteName,
      slot: parsed.insideSlot ?? DEFAULT_INSIDE_SLOTS[kind],
      tags: resolveCommon(parsed).tags,
    };
    const [a, b] = parsed.ends as [VpnLinkEnd, VpnLinkEnd];
    const pick = <K extends VpnLinkEnd["site"]>(site: K) =>
      [a, b].find((e): e is Extract<VpnLinkEnd, { site: K }> => e.site === site);
    const aws = pick("aws");
    const onprem = pick("onprem");
    const azure = pick("azure");
    const built =
      aws && onprem
        ? buildAwsOnPrem(context, aws, onprem, a.site === "aws")
        : aws && azure
          ? buildAwsAzure(context, aws, azure, a.site === "aws")
          : azure && onprem
            ? buildAzureOnPrem(context, azure, onprem, a.site === "azure")
            : undefined;
    if (!built) throw new ConfigError(subject, [{ path: "ends", message: `joins ${a.site} and ${b.site}` }]);

    this.suite = suite;
    this.suiteName = suiteName;
    this.tunnels = built.tunnels;
    this.onpremTunnels = built.onpremTunnels;
    this.registerOutputs({ tunnels: this.tunnels, onpremTunnels: this.onpremTunnels, suite: suiteName });
  }
}
