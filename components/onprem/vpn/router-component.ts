import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { StrongSwanProposals } from "../../facts";
import { componentSubject, ipv4Cidr, parseOrThrow } from "../../validation";
import { renderBgpdConf } from "./frr";
import type { OnPremRouter, RouterTunnel } from "./router";
import { renderInterfacesScript, renderSwanctlConf } from "./strongswan";

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
  /** The router's uplink interface the XFRM interfaces sit on. Default "eth0". */
  uplink?: string;
}

const argsSchema = z.strictObject({
  publicIp: z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "is not an IPv4 address such as 198.51.100.10"),
  asn: z.number().int().min(1).max(4_294_967_294),
  prefixes: z.array(ipv4Cidr()).min(1),
  proposals: z.looseObject({ ike: z.string().min(1), esp: z.string().min(1) }),
  tunnels: z.array(z.unknown()),
  uplink: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,15}$/, "is not a Linux interface name")
    .optional(),
});

/**
 * The on-premises router's configuration for every link that ends on it, rendered for the devices
 * the platform team runs (strongSwan and FRR on Linux): `swanctl.conf`, the FRR `bgpd`
 * configuration and the script that creates the XFRM interfaces. Nothing is deployed: the outputs
 * are secret files to install on the router (they hold the pre-shared keys).
 */
export class OnPremVpnRouter extends pulumi.ComponentResource {
  /** `/etc/swanctl/swanctl.conf` (secret). */
  public readonly swanctlConf: pulumi.Output<string>;
  /** The FRR `bgpd` configuration (secret: it names every peer). */
  public readonly bgpdConf: pulumi.Output<string>;
  /** The XFRM interfaces script (secret). */
  public readonly interfacesScript: pulumi.Output<string>;

  constructor(name: string, args: OnPremVpnRouterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    parseOrThrow(componentSubject("OnPremVpnRouter", name), argsSchema, args);
    super("hybrid-ai-infra:index:OnPremVpnRouter", name, {}, opts);
    const router = pulumi.all(args.tunnels).apply(
      (lists): OnPremRouter => ({
        publicIp: args.publicIp,
        asn: args.asn,
        prefixes: args.prefixes,
        proposals: args.proposals,
        tunnels: lists.flat(),
      }),
    );
    this.swanctlConf = pulumi.secret(router.apply(renderSwanctlConf));
    this.bgpdConf = pulumi.secret(router.apply(renderBgpdConf));
    this.interfacesScript = pulumi.secret(router.apply((r) => renderInterfacesScript(r, args.uplink)));
    this.registerOutputs({
      swanctlConf: this.swanctlConf,
      bgpdConf: this.bgpdConf,
      interfacesScript: this.interfacesScript,
    });
  }
}
