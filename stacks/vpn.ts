import type * as pulumi from "@pulumi/pulumi";
import { type AwsVpc, AwsVpnGateway } from "../components/aws";
import { type AzureVnet, AzureVpnGateway } from "../components/azure";
import { awsAzureApipa, azureOnPremApipa, strongSwanProposals } from "../components/facts";
import type { CommonArgs } from "../components/kit";
import { OnPremVpnRouter } from "../components/onprem";
import { VpnLink, type VpnLinkEnd } from "../components/vpn";
import type { PlatformConfig } from "./config";

/** A site kind a link can join. */
export type VpnSite = "aws" | "azure" | "onprem";

/** One site's end of its links, and the options its link resources take (its cloud provider). */
export interface SiteVpnEnd {
  end: VpnLinkEnd;
  opts: pulumi.ComponentResourceOptions;
}

/** What the platform exports about its links: their tunnels, and the router's files (secret). */
export interface VpnOutputs {
  links: Record<string, pulumi.Output<unknown>>;
  /** Per site: the private endpoints and networks of other sites it reaches over its links. */
  reach: Record<string, string[]>;
  onpremRouter?: {
    swanctlConf: pulumi.Output<string>;
    bgpdConf: pulumi.Output<string>;
    interfacesScript: pulumi.Output<string>;
  };
}

function providersOf(opts: pulumi.ComponentResourceOptions): Record<string, pulumi.ProviderResource> {
  const given = opts.providers;
  return given && !Array.isArray(given) ? (given as Record<string, pulumi.ProviderResource>) : {};
}

/** The sites some link joins. */
export function linkedSites(config: PlatformConfig): Set<VpnSite> {
  return new Set((config.vpn?.links ?? []).flatMap((l) => l.sites));
}

/** The networks on the far side of `site`'s links, which may reach its private endpoints. */
export function peerNetworks(config: PlatformConfig, site: VpnSite): string[] {
  const networkOf = (s: VpnSite): string[] =>
    s === "onprem"
      ? config.onprem?.networkCidr
        ? [config.onprem.networkCidr]
        : []
      : s === "azure"
        ? config.azure
          ? [config.azure.network.addressSpace]
          : []
        : config.aws
          ? ["cidr" in config.aws.network ? config.aws.network.cidr : config.aws.network.existing.cidr]
          : [];
  return (config.vpn?.links ?? [])
    .filter((l) => l.sites.includes(site))
    .flatMap((l) => l.sites.filter((s) => s !== site).flatMap(networkOf));
}

/** The AWS site's VPN gateway, when a link joins the AWS site: attached to its VPC. */
export function declareAwsVpnEnd(
  config: PlatformConfig,
  site: NonNullable<PlatformConfig["aws"]>,
  vpc: AwsVpc,
  common: CommonArgs,
  opts: pulumi.ComponentResourceOptions,
): SiteVpnEnd | undefined {
  if (!linkedSites(config).has("aws")) return undefined;
  const net = site.network;
  const endpoints = "cidr" in net || (net.endpoints ?? false);
  const gateway = new AwsVpnGateway(
    `${site.cluster.name}-vpn`,
    {
      ...common,
      network: {
        vpcId: vpc.vpcId,
        privateRouteTables: vpc.privateRouteTables,
        ...(endpoints ? { endpointSecurityGroupId: vpc.endpointSecurityGroupId } : {}),
      },
      peerCidrs: endpoints ? peerNetworks(config, "aws") : [],
    },
    opts,
  );
  const cidr = "cidr" in net ? net.cidr : net.existing.cidr;
  return { end: { site: "aws", name: "aws", gateway, networks: [cidr] }, opts };
}

/**
 * What each site reaches over its links: an AWS site opens its private EKS API endpoint and its
 * VPC's interface endpoints to the peers' networks on 443 (gateway endpoints such as S3's serve
 * only the VPC itself); an on-premises site offers its network.
 */
export function reachOverLinks(config: PlatformConfig): Record<string, string[]> {
  const offers = (site: VpnSite): string[] => {
    if (site === "aws" && config.aws) {
      const net = config.aws.network;
      const endpoints = "cidr" in net || (net.endpoints ?? false);
      return [
        `${config.aws.cluster.name} EKS API endpoint (443)`,
        ...(endpoints ? ["aws VPC interface endpoints (443)"] : []),
      ];
    }
    if (site === "azure" && config.azure) {
      // The endpoints' NSG admits HTTPS from VirtualNetwork, which takes in the gateway's routes.
      return [
        `${config.azure.cluster.name} AKS API server (443)`,
        ...((config.azure.storage ?? []).length > 0 ? ["azure storage private endpoints (443)"] : []),
      ];
    }
    if (site === "onprem" && config.onprem?.networkCidr)
      return [`${config.onprem.name} ${config.onprem.networkCidr}`];
    return [];
  };
  const nameOf = (site: VpnSite) => (site === "onprem" ? (config.onprem?.name ?? site) : site);
  const reach: Record<string, string[]> = {};
  for (const { sites } of config.vpn?.links ?? []) {
    const [a, b] = sites;
    reach[nameOf(a)] = [...(reach[nameOf(a)] ?? []), ...offers(b)];
    reach[nameOf(b)] = [...(reach[nameOf(b)] ?? []), ...offers(a)];
  }
  return reach;
}

/**
 * The Azure site's VPN gateway, when a link joins the Azure site: in the VNet's GatewaySubnet, with
 * the custom APIPA addresses of every aws-azure link (its slot decides them).
 */
export function declareAzureVpnEnd(
  config: PlatformConfig,
  site: NonNullable<PlatformConfig["azure"]>,
  vnet: AzureVnet,
  where: { resourceGroupName: pulumi.Input<string>; location: string },
  common: CommonArgs,
  opts: pulumi.ComponentResourceOptions,
): SiteVpnEnd | undefined {
  if (!linkedSites(config).has("azure")) return undefined;
  const apipa: [string[], string[]] = [[], []];
  (config.vpn?.links ?? []).forEach((link, slot) => {
    const kind = [...link.sites].sort().join("-");
    if (kind !== "aws-azure" && kind !== "azure-onprem") return;
    const [zero, one] = kind === "aws-azure" ? awsAzureApipa(slot) : azureOnPremApipa(slot);
    apipa[0].push(...zero);
    apipa[1].push(...one);
  });
  const gateway = new AzureVpnGateway(
    `${site.cluster.name}-vpn`,
    {
      ...common,
      ...where,
      gatewaySubnetId: vnet.gatewaySubnetId.apply((id) => {
        if (!id) throw new Error("the Azure VNet has no GatewaySubnet for its VPN gateway");
        return id;
      }),
      apipaAddresses: apipa,
    },
    opts,
  );
  return { end: { site: "azure", name: "azure", gateway, networks: [site.network.addressSpace] }, opts };
}

/** The on-premises site's end: its router, as config describes it. */
export function onPremVpnEnd(config: PlatformConfig): SiteVpnEnd | undefined {
  const onprem = config.onprem;
  if (!onprem?.router || !onprem.networkCidr || !linkedSites(config).has("onprem")) return undefined;
  return {
    end: {
      site: "onprem",
      name: onprem.name,
      publicIp: onprem.router.publicIp,
      asn: onprem.router.asn,
      networks: [onprem.networkCidr],
    },
    opts: {},
  };
}

/**
 * The links the config lists, each between the ends its sites declared, with its position as its
 * inside-address slot; and, when links end on-premises, the router's rendered configuration.
 */
export function declareVpn(
  config: PlatformConfig,
  common: CommonArgs,
  ends: Partial<Record<VpnSite, SiteVpnEnd>>,
): VpnOutputs | undefined {
  const links = config.vpn?.links ?? [];
  if (links.length === 0) return undefined;
  const declared = links.map((link, slot) => {
    const [a, b] = link.sites.map((site) => {
      const end = ends[site];
      if (!end)
        throw new Error(
          `vpn.links[${slot}]: the ${site} site declared no VPN end; the config check should have said so`,
        );
      return end;
    }) as [SiteVpnEnd, SiteVpnEnd];
    const name = `${a.end.name}-${b.end.name}`;
    // The link's resources go to both ends' clouds: each end brings its provider.
    const providers = { ...providersOf(a.opts), ...providersOf(b.opts) };
    const vpnLink = new VpnLink(
      name,
      { ...common, ends: [a.end, b.end], insideSlot: slot, crypto: link.crypto },
      { providers },
    );
    return { name, link: vpnLink };
  });
  const outputs: VpnOutputs = {
    links: Object.fromEntries(declared.map(({ name, link }) => [name, link.tunnels])),
    reach: reachOverLinks(config),
  };
  const onprem = ends.onprem?.end;
  const toOnPrem = declared.filter(({ link }, i) => links[i]?.sites.includes("onprem") && link);
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
    });
    outputs.onpremRouter = {
      swanctlConf: router.swanctlConf,
      bgpdConf: router.bgpdConf,
      interfacesScript: router.interfacesScript,
    };
  }
  return outputs;
}
