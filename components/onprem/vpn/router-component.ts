import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isUsablePrivateAsn, type StrongSwanProposals, USABLE_PRIVATE_ASNS_TEXT } from "../../facts";
import { componentSubject, ipv4Cidr, parseOrThrow } from "../../validation";
import { renderBgpdConf } from "./frr";
import type { OnPremRouter, RouterTunnel } from "./router";
import { renderCharonConf, renderInterfacesScript, renderSwanctlConf } from "./strongswan";

/** Arguments of `OnPremVpnRouter`. */
export interface OnPremVpnRouterArgs {
  /** The router's public IPv4 address. */
  publicIp: string;
  /** The router's BGP ASN. */
  asn: number;
  /** The on-premises networks it announces. */
  prefixes: string[];
  /** The suite its links negotiate, as strongSwan proposals (`strongSwanProposals(link.suite)`). */
  proposals: StrongSwanProposals;
  /** The tunnels of every link that ends here (`VpnLink.onpremTunnels`). */
  tunnels: pulumi.Input<RouterTunnel[]>[];
  /**
   * ASNs of the platform's other sites, linked to this router or not: each announcement carries
   * those of the sites it is not for, so no site accepts the on-premises prefixes through another.
   * The tunnels' peers are always included; pass every VPN end's ASN.
   */
  otherSiteAsns?: number[];
  /** The router's uplink interface the XFRM interfaces sit on. Default "eth0". */
  uplink?: string;
  /**
   * Put before every swanctl connection name, so the files of several environments sit on one
   * router side by side (`prod-aws-dc1-1`); default none.
   */
  connectionPrefix?: string;
}

const argsSchema = z.strictObject({
  publicIp: z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "is not an IPv4 address such as 198.51.100.10"),
  asn: z.number().int().refine(isUsablePrivateAsn, `is not ${USABLE_PRIVATE_ASNS_TEXT}`),
  prefixes: z.array(ipv4Cidr()).min(1),
  proposals: z.looseObject({
    ike: z.string().min(1),
    esp: z.string().min(1),
    ikeRekeySeconds: z.number().int().positive(),
    childRekeySeconds: z.number().int().positive(),
    dpdDelaySeconds: z.number().int().positive(),
    retransmit: z.strictObject({
      timeoutSeconds: z.number().positive(),
      base: z.number().min(1),
      tries: z.number().int().min(0),
    }),
  }),
  tunnels: z.array(z.unknown()),
  otherSiteAsns: z.array(z.number().int().min(1).max(4_294_967_294)).optional(),
  uplink: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,15}$/, "is not a Linux interface name")
    .optional(),
  connectionPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "is not a name prefix such as prod")
    .optional(),
});

/**
 * The on-premises router's configuration for every link that ends on it, rendered for the devices
 * the platform team runs (strongSwan and FRR on Linux): `swanctl.conf`, charon's settings, the FRR
 * `bgpd` configuration and the script that creates the XFRM interfaces. Nothing is deployed: the
 * outputs are files to install on the router (all but charon's are secret: they hold the
 * pre-shared keys, or name every peer).
 */
export class OnPremVpnRouter extends pulumi.ComponentResource {
  /** `/etc/swanctl/swanctl.conf` (secret). */
  public readonly swanctlConf: pulumi.Output<string>;
  /** The FRR `bgpd` configuration (secret: it names every peer). */
  public readonly bgpdConf: pulumi.Output<string>;
  /** The XFRM interfaces script (secret). */
  public readonly interfacesScript: pulumi.Output<string>;
  /** charon's settings, `/etc/strongswan.d/hybrid-ai-infra.conf`: retransmission, hence dead-peer detection. */
  public readonly charonConf: pulumi.Output<string>;

  constructor(name: string, args: OnPremVpnRouterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    parseOrThrow(componentSubject("OnPremVpnRouter", name), argsSchema, args);
    super("hybrid-ai-infra:index:OnPremVpnRouter", name, {}, opts);
    const router = pulumi.all(args.tunnels).apply(
      (lists): OnPremRouter => ({
        publicIp: args.publicIp,
        asn: args.asn,
        prefixes: args.prefixes,
        proposals: args.proposals,
        tunnels: lists
          .flat()
          .map((t) => (args.connectionPrefix ? { ...t, name: `${args.connectionPrefix}-${t.name}` } : t)),
        otherSiteAsns: [...new Set([...(args.otherSiteAsns ?? []), ...lists.flat().map((t) => t.peerAsn)])],
      }),
    );
    this.swanctlConf = pulumi.secret(router.apply(renderSwanctlConf));
    this.bgpdConf = pulumi.secret(router.apply(renderBgpdConf));
    this.interfacesScript = pulumi.secret(router.apply((r) => renderInterfacesScript(r, args.uplink)));
    // No key and no peer in it: not secret.
    this.charonConf = pulumi.output(renderCharonConf(args.proposals));
    this.registerOutputs({
      swanctlConf: this.swanctlConf,
      bgpdConf: this.bgpdConf,
      interfacesScript: this.interfacesScript,
      charonConf: this.charonConf,
    });
  }
}
