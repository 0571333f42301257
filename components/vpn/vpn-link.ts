import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { createAwsVpnConnections } from "../aws";
import type { RouterTunnel } from "../onprem";
import { ConfigError, componentSubject, findOverlaps, ipv4Cidr, parseOrThrow } from "../pulumi-free";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../pulumi-kit";
import {
  awsTunnelCrypto,
  CRYPTO_SUITES,
  type VpnEnd as CryptoEnd,
  type CryptoSuite,
  type CryptoSuiteName,
  checkSuite,
  DEFAULT_CRYPTO_SUITE,
} from "./crypto";
import { INSIDE_SLOTS, type TunnelInside, tunnelInsides } from "./inside-addresses";
import { createPresharedKey } from "./preshared-key";

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
  /** The router's BGP ASN (private 64512-65534 or 4200000000-4294967294; not a cloud end's). */
  asn: number;
  /** The on-premises networks the router announces. */
  networks: readonly string[];
}

/** One end of a `VpnLink`. */
export type VpnLinkEnd = AwsVpnEnd | OnPremVpnEnd;

/** Arguments of `VpnLink`. */
export interface VpnLinkArgs extends CommonArgs {
  /** The two sites the link joins (aws and onprem today). */
  ends: [VpnLinkEnd, VpnLinkEnd];
  /** Which /28 of 169.254.21.0-169.254.22.255 the link's tunnels use (0-31), unique per stack; changing it replaces the AWS connections. */
  insideSlot: number;
  /** A suite of `CRYPTO_SUITES` by name, or a suite of its own. Default "aes256gcm-sha384-ecp384". */
  crypto?: CryptoSuiteName | CryptoSuite;
}

/** One tunnel of a link, as the plan's table of links shows it. */
export interface LinkTunnel {
  /** Tunnel name, `<link>-<n>`. */
  name: string;
  /** Sites of the two ends, in the link's order. */
  sites: [string, string];
  /** Outside (public) addresses of the two ends. */
  outside: [string, string];
  /** Inside addresses of the two ends (BGP peers), in the link's order. */
  inside: [string, string];
  /** BGP ASNs of the two ends. */
  asns: [number, number];
  /** The suite's name, or "custom". */
  suite: string;
}

const RESERVED_ASNS = new Set([7224, 9059, 10124, 17493, 23456, 65515, 65517, 65518, 65519, 65520]);
const privateAsn = z
  .number()
  .int()
  .refine(
    (asn) =>
      ((asn >= 64512 && asn <= 65534) || (asn >= 4_200_000_000 && asn <= 4_294_967_294)) &&
      !RESERVED_ASNS.has(asn),
    "is not a private ASN the clouds accept (64512-65534 or 4200000000-4294967294, not 65515-65520)",
  );
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
      .max(INSIDE_SLOTS - 1),
    crypto: suiteSchema.optional(),
  })
  .superRefine((args, ctx) => {
    const [a, b] = args.ends;
    const kinds = [a.site, b.site].sort().join("-");
    if (kinds !== "aws-onprem") {
      ctx.addIssue({
        code: "custom",
        path: ["ends"],
        message: `joins ${a.site} and ${b.site}; a link joins aws and onprem`,
      });
    }
    const asnOf = (end: typeof a) => (end.site === "aws" ? end.gateway.amazonSideAsn : end.asn);
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
 * A site-to-site VPN link between two sites: two tunnels per peer device, each with its own
 * pre-shared key (random, secret), inside /30s from the link's slot, BGP between the ends' ASNs,
 * and the crypto suite pinned on both ends. The AWS end gets a customer gateway and a VPN
 * connection; the on-premises end gets `onpremTunnels`, which `OnPremVpnRouter` renders into
 * the router's strongSwan and FRR configuration.
 */
export class VpnLink extends pulumi.ComponentResource {
  /** The link's tunnels: sites, outside and inside addresses, ASNs and suite. */
  public readonly tunnels: pulumi.Output<LinkTunnel[]>;
  /** The on-premises router's tunnels of this link (secret: they hold the pre-shared keys). */
  public readonly onpremTunnels: pulumi.Output<RouterTunnel[]>;
  /** The suite both ends negotiate. */
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
    const common = resolveCommon(parsed);
    type Parsed = (typeof parsed.ends)[number];
    const aws = parsed.ends.find((e): e is Extract<Parsed, { site: "aws" }> => e.site === "aws");
    const onprem = parsed.ends.find((e): e is Extract<Parsed, { site: "onprem" }> => e.site === "onprem");
    if (!aws || !onprem)
      throw new ConfigError(subject, [{ path: "ends", message: "needs an aws and an onprem end" }]);

    const insides = tunnelInsides(parsed.insideSlot, 2) as [TunnelInside, TunnelInside];
    const keys = [1, 2].map((n) => createPresharedKey(childName(name, "psk", String(n)), this)) as [
      pulumi.Output<string>,
      pulumi.Output<string>,
    ];
    const [connection] = createAwsVpnConnections(name, this, {
      vpnGatewayId: aws.gateway.vpnGatewayId,
      peerAsn: onprem.asn,
      peers: [{ outsideIp: onprem.publicIp, insides, presharedKeys: keys }],
      crypto: awsTunnelCrypto(suite),
      logGroupArn: aws.gateway.tunnelLogGroupArn,
      tags: common.tags,
    });
    if (!connection) throw new Error(`VpnLink ${JSON.stringify(name)}: no AWS connection was declared`);
    const outsides = pulumi.all([connection.tunnel1Address, connection.tunnel2Address]);
    const suiteName = typeof parsed.crypto === "object" ? "custom" : (parsed.crypto ?? DEFAULT_CRYPTO_SUITE);
    const awsFirst = parsed.ends[0].site === "aws";
    const order = <T>(awsValue: T, onpremValue: T): [T, T] =>
      awsFirst ? [awsValue, onpremValue] : [onpremValue, awsValue];

    this.suite = suite;
    this.suiteName = suiteName;
    this.tunnels = outsides.apply((addresses) =>
      addresses.map((address, i) => {
        const inside = insides[i] as TunnelInside;
        return {
          name: childName(name, String(i + 1)),
          sites: order(aws.name, onprem.name),
          outside: order(address, onprem.publicIp),
          inside: order(inside.first, inside.second),
          asns: order(aws.gateway.amazonSideAsn, onprem.asn),
          suite: suiteName,
        };
      }),
    );
    this.onpremTunnels = pulumi.secret(
      pulumi.all([outsides, keys[0], keys[1]]).apply(([addresses, ...psks]) =>
        addresses.map((address, i) => {
          const inside = insides[i] as TunnelInside;
          return {
            name: childName(name, String(i + 1)),
            peerOutside: address,
            localInside: `${inside.second}/30`,
            peerInside: inside.first,
            peerAsn: aws.gateway.amazonSideAsn,
            presharedKey: psks[i] as string,
            ifId: parsed.insideSlot * 4 + i + 1,
          };
        }),
      ),
    );
    this.registerOutputs({ tunnels: this.tunnels, onpremTunnels: this.onpremTunnels, suite: suiteName });
  }
}
