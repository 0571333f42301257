import type * as pulumi from "@pulumi/pulumi";
import { strongSwanProposals } from "../../components/facts";
import type { CommonArgs } from "../../components/kit";
import { OnPremVpnRouter } from "../../components/onprem";
import { type LinkTunnel, VpnLink } from "../../components/vpn";
import type { Site, SiteKind, Sites } from "../config";
import type { SiteVpnEnd } from "../sites";

/** What the platform exports about its links: their tunnels, and the router's files (secret). */
export interface VpnOutputs {
  links: Record<string, pulumi.Output<LinkTunnel[]>>;
  /** Per site: the private endpoints and networks of other sites it reaches over its links. */
  reach: Record<string, string[]>;
  onpremRouter?: {
    swanctlConf: pulumi.Output<string>;
    bgpdConf: pulumi.Output<string>;
    interfacesScript: pulumi.Output<string>;
    charonConf: pulumi.Output<string>;
  };
}

function providersOf(opts: pulumi.ComponentResourceOptions): Record<string, pulumi.ProviderResource> {
  const given = opts.providers;
  return given && !Array.isArray(given) ? (given as Record<string, pulumi.ProviderResource>) : {};
}

/**
 * What a site offers the sites across its links: an AWS site its private EKS API endpoint (its VPC's
 * interface endpoints serve the VPC only: nothing across a link needs them); an Azure site its private API server and storage endpoints (their NSG admits HTTPS from
 * VirtualNetwork, which takes in the gateway's routes); an on-premises site its network.
 */
function offers(site: Site): string[] {
  if (site.kind === "aws") return [`${site.name} EKS API endpoint (443)`];
  if (site.kind === "azure")
    return [
      `${site.name} AKS API server (443)`,
      ...(site.stores.length > 0 ? ["azure storage private endpoints (443)"] : []),
    ];
  return site.networkCidr ? [`${site.name} ${site.networkCidr}`] : [];
}

/** What each site reaches over its links, by site name. */
export function reachOverLinks(sites: Sites): Record<string, string[]> {
  // The clouds by their kind, the on-premises site by its name, as the links name their ends.
  const nameOf = (kind: SiteKind) => (kind === "onprem" ? (sites.onprem?.name ?? kind) : kind);
  const reach: Record<string, string[]> = {};
  for (const { sites: pair } of sites.links) {
    const [a, b] = pair.map((kind) => sites.of(kind));
    if (!a || !b) continue;
    reach[nameOf(a.kind)] = [...(reach[nameOf(a.kind)] ?? []), ...offers(b)];
    reach[nameOf(b.kind)] = [...(reach[nameOf(b.kind)] ?? []), ...offers(a)];
  }
  return reach;
}

/**
 * The links the config lists, each between the ends its sites declared, in the inside-address slot
 * its config or its site pair gives it; and, when links end on-premises, the router's rendered
 * configuration.
 */
export function declareVpn(
  sites: Sites,
  common: CommonArgs,
  ends: Partial<Record<SiteKind, SiteVpnEnd>>,
): VpnOutputs | undefined {
  if (sites.links.length === 0) return undefined;
  const declared = sites.links.map((link) => {
    const [a, b] = link.sites.map((kind) => {
      const end = ends[kind];
      if (!end)
        throw new Error(
          `vpn.links[${String(link.path[2])}]: the ${kind} site declared no VPN end; the config check should have said so`,
        );
      return end;
    }) as [SiteVpnEnd, SiteVpnEnd];
    const name = `${a.end.name}-${b.end.name}`;
    // The link's resources go to both ends' clouds: each end brings its provider.
    const providers = { ...providersOf(a.opts), ...providersOf(b.opts) };
    const vpnLink = new VpnLink(
      name,
      { ...common, ends: [a.end, b.end], insideSlot: link.slot, crypto: link.crypto },
      { providers },
    );
    return { name, link: vpnLink, toOnPrem: link.sites.includes("onprem") };
  });
  const outputs: VpnOutputs = {
    links: Object.fromEntries(declared.map(({ name, link }) => [name, link.tunnels])),
    reach: reachOverLinks(sites),
  };
  const onprem = ends.onprem?.end;
  const toOnPrem = declared.filter((d) => d.toOnPrem);
  if (onprem?.site === "onprem" && toOnPrem.length > 0) {
    const suites = new Set(toOnPrem.map(({ link }) => link.suiteName));
    if (suites.size > 1)
      throw new Error(
        `the links to ${onprem.name} use several suites (${[...suites].join(", ")}); one router config takes one`,
      );
    const first = toOnPrem[0]?.link;
    if (!first) throw new Error("no link to the on-premises router");
    const router = new OnPremVpnRouter(`${onprem.name}-router`, {
      publicIp: onprem.publicIp,
      asn: onprem.asn,
      prefixes: [...onprem.networks],
      proposals: strongSwanProposals(first.suite),
      tunnels: toOnPrem.map(({ link }) => link.onpremTunnels),
      otherSiteAsns: siteAsns(ends),
      // Several environments share the router: their connections must not replace each other's.
      connectionPrefix: sites.config.environment,
      ...(sites.onprem?.config.router?.uplink ? { uplink: sites.onprem.config.router.uplink } : {}),
    });
    outputs.onpremRouter = {
      swanctlConf: router.swanctlConf,
      bgpdConf: router.bgpdConf,
      interfacesScript: router.interfacesScript,
      charonConf: router.charonConf,
    };
  }
  return outputs;
}

/** Every VPN end's ASN: the router keeps each site from learning its prefixes through another. */
function siteAsns(ends: Partial<Record<SiteKind, SiteVpnEnd>>): number[] {
  return Object.values(ends).flatMap(({ end }) =>
    end.site === "aws" ? [end.gateway.amazonSideAsn] : end.site === "azure" ? [end.gateway.asn] : [end.asn],
  );
}
