// The site model: one environment's configuration read once into sites (each with its network,
// cluster, pools, datasets, VPN end and DNS end) and the links that join them. Everything after
// parsing (the cross-site checks, the program, the plan) reads these facts from here instead of
// re-deriving them from raw config.
import { pinnedRange, planAwsSubnets } from "../../components/aws/internal";
import { CLUSTER_DEFAULTS, planAzureSubnets } from "../../components/azure/internal";
import {
  DEFAULT_INSIDE_SLOTS,
  type FeatureScope,
  type LinkKind,
  slotOfInsideCidr,
} from "../../components/facts";
import type { Classification } from "../../components/placement";
import { addressAt } from "../../components/validation";
import { type Dataset, type DatasetEntry, datasetName, datasetOf } from "./datasets";
import type { AwsConfig, AzureConfig, OnPremConfig, PlatformConfig, SiteKind, VpnLinkConfig } from "./fields";

/** Ports on-premises storage serves on when config names none: HTTPS (an S3-compatible store). */
export const ONPREM_STORAGE_PORTS: readonly number[] = [443];

/** A routed range of a site, with the config path that sets it (for overlap messages). */
export interface SiteNetwork {
  cidr: string;
  /** Config path of the value, e.g. `aws.network.cidr`'s parent `aws.network`. */
  path: string;
  /** Why the range is there when config does not set it (a cloud's default), for messages. */
  defaulted?: string;
}

/** A store (bucket, storage account, on-premises storage) and the datasets it hosts. */
export interface SiteStore {
  /** The store's name in config (the component's name); the site's name for on-premises storage. */
  name: string;
  /** Config path of the store's entry, e.g. `["aws", "buckets", 0]`. */
  path: (string | number)[];
  /** The names of the datasets it hosts. */
  datasets: string[];
  /** The datasets as declared: classification, residency, backups, staging. */
  entries: Dataset[];
}

/** What every kind of site has. */
interface SiteBase {
  kind: SiteKind;
  /** The site's cluster name, which is also its placement target's name. */
  name: string;
  /** Region (AWS), location (Azure) or the region label config gives (on-premises). */
  region: string;
  jurisdiction: string;
  trust?: "private" | "public" | undefined;
  egressPricePerGiB?: number | undefined;
  /** The ranges the site routes: its VPC, VNet (and AKS's overlay ranges) or on-premises network. */
  networks: SiteNetwork[];
  /** The stores the site hosts datasets in. */
  stores: SiteStore[];
  /** Whether a VPN link ends at this site. */
  linked: boolean;
}

/** The AWS site: a VPC (new or existing), a private EKS cluster, buckets. */
export interface AwsSite extends SiteBase {
  kind: "aws";
  config: AwsConfig;
  /** The VPC's block. */
  cidr: string;
  /** Whether the program creates the VPC (else it adopts an existing one). */
  createsVpc: boolean;
  /** The VPC's zones when known (a new VPC: the pinned ones, else the region's first three). */
  zones?: string[];
  /**
   * The Resolver inbound endpoint's addresses, pinned in each private subnet's reserved range, so the
   * other sites can be configured before the first update; for an existing VPC, the ones its config
   * gives (`existing.resolverIps`), else unknown until the endpoint exists.
   */
  resolverIps?: string[];
}

/** The Azure site: a resource group, a VNet, a private AKS cluster, storage accounts. */
export interface AzureSite extends SiteBase {
  kind: "azure";
  config: AzureConfig;
  /** The VNet's address space. */
  addressSpace: string;
  /** The DNS Private Resolver inbound endpoint's address, pinned: its subnet's first usable one. */
  resolverIp: string;
}

/** The on-premises site: an existing cluster, its router, resolvers and storage, from config. */
export interface OnPremSite extends SiteBase {
  kind: "onprem";
  config: OnPremConfig;
  /** The site's routed range, when config gives it (a VPN link needs it). */
  networkCidr?: string | undefined;
  /** Where the site's datasets are served: addresses and ports workloads may reach. */
  storage?: { cidrs: string[]; ports: number[] } | undefined;
}

export type Site = AwsSite | AzureSite | OnPremSite;

/** A VPN link between two sites, as config lists it. */
export interface SiteLink {
  /** Config path of the link's entry. */
  path: (string | number)[];
  sites: [SiteKind, SiteKind];
  /** The sorted pair, e.g. `aws-onprem`. */
  pair: string;
  /** The link's inside-address slot. */
  slot: number;
  crypto?: VpnLinkConfig["crypto"];
}

/** One environment's sites and links. */
export class Sites {
  readonly aws?: AwsSite;
  readonly azure?: AzureSite;
  readonly onprem?: OnPremSite;
  /** Every configured site, in declaration order (AWS, Azure, on-premises). */
  readonly all: Site[];
  readonly links: SiteLink[];

  constructor(readonly config: PlatformConfig) {
    this.links = linksOf(config);
    const linked = new Set(this.links.flatMap((l) => l.sites));
    const level: Classification = config.dataClassification ?? "internal";
    if (config.aws) this.aws = awsSite(config.aws, linked.has("aws"), level);
    if (config.azure) this.azure = azureSite(config.azure, linked.has("azure"), level);
    if (config.onprem) this.onprem = onPremSite(config.onprem, linked.has("onprem"), level);
    this.all = [this.aws, this.azure, this.onprem].filter((s): s is Site => s !== undefined);
  }

  /** The site of a kind, if configured. */
  of(kind: SiteKind): Site | undefined {
    return this[kind];
  }

  /** The sites joined to `kind` by a link (configured ones only). */
  peersOf(kind: SiteKind): Site[] {
    return this.links
      .filter((l) => l.sites.includes(kind))
      .flatMap((l) => l.sites.filter((s) => s !== kind))
      .flatMap((s) => this.of(s) ?? []);
  }

  /**
   * What the rendered objects rely on at `kind`'s cluster: the on-premises cluster manages
   * MultiKueue when a cloud is linked to it (`queueRoles` in program.ts), and needs its Jobs'
   * `managedBy` honoured.
   */
  featureScopesOf(kind: SiteKind): FeatureScope[] {
    return kind === "onprem" && this.onprem && this.peersOf("onprem").length > 0
      ? ["always", "multikueue-manager"]
      : ["always"];
  }

  /** The routed networks on the far side of `kind`'s links, which may reach its private endpoints. */
  peerNetworks(kind: SiteKind): string[] {
    return this.peersOf(kind).flatMap(routedNetworks);
  }

  /** Every dataset as declared, in site and store order (a dataset hosted twice appears twice; a check refuses that). */
  datasets(): Dataset[] {
    return this.all.flatMap((site) => site.stores.flatMap((store) => store.entries));
  }

  /** The site hosting each dataset (config allows one home per dataset; the first wins here). */
  datasetHomes(): Map<string, Site> {
    const homes = new Map<string, Site>();
    for (const site of this.all)
      for (const store of site.stores) for (const d of store.datasets) if (!homes.has(d)) homes.set(d, site);
    return homes;
  }

  /**
   * The datasets hosted on other sites that `kind`'s cluster can read. Only on-premises datasets
   * qualify, from a cloud joined to the on-premises site by a VPN link: its storage answers at the
   * addresses config gives, with its own credentials. A cloud's datasets stay with that cloud's
   * cluster: the S3 gateway endpoint is not reachable over a VPN, Azure Storage admits only its
   * private endpoint, and no identity here federates one site's service accounts with another
   * cloud. Placement keeps a workload off a cluster that cannot read its data.
   */
  remoteDatasets(kind: SiteKind): string[] {
    if (kind === "onprem" || !this.onprem) return [];
    const joined = this.links.some((l) => l.sites.includes(kind) && l.sites.includes("onprem"));
    return joined ? [...datasetsOf(this.onprem)].sort() : [];
  }

  /** Each cluster's routed networks, by target name: peers on other clusters see its traffic from there. */
  targetNetworks(): Record<string, string[]> {
    return Object.fromEntries(
      this.all.flatMap((s) => {
        const routed = routedNetworks(s);
        return routed.length > 0 ? [[s.name, routed]] : [];
      }),
    );
  }
}

/** Reads a validated configuration into its sites and links. */
export function sitesOf(config: PlatformConfig): Sites {
  return new Sites(config);
}

/** Every dataset a site hosts. */
export function datasetsOf(site: Site): string[] {
  return site.stores.flatMap((s) => s.datasets);
}

/**
 * The ranges a site announces over its links: the VPC, the VNet's address space, the on-premises
 * network (AKS's overlay ranges are not routed: pods leave the node as the node).
 */
export function routedNetworks(site: Site): string[] {
  if (site.kind === "aws") return [site.cidr];
  if (site.kind === "azure") return [site.addressSpace];
  return site.networkCidr ? [site.networkCidr] : [];
}

/**
 * A link's inside-address slot: the /28 its config names, else its site pair's. Never its
 * position, so removing one link renumbers no other (their addresses and AWS connections stay).
 */
export function linkSlot(link: {
  sites: readonly [SiteKind, SiteKind];
  insideCidr?: string | undefined;
}): number {
  const named = link.insideCidr === undefined ? undefined : slotOfInsideCidr(link.insideCidr);
  if (typeof named === "number") return named;
  return DEFAULT_INSIDE_SLOTS[[...link.sites].sort().join("-") as LinkKind] ?? 0;
}

function linksOf(config: PlatformConfig): SiteLink[] {
  return (config.vpn?.links ?? []).map((link, i) => ({
    path: ["vpn", "links", i],
    sites: link.sites,
    pair: [...link.sites].sort().join("-"),
    slot: linkSlot(link),
    ...(link.crypto ? { crypto: link.crypto } : {}),
  }));
}

function placementFacts(site: {
  jurisdiction: string;
  trust?: "private" | "public" | undefined;
  egressPricePerGiB?: number | undefined;
}) {
  return { jurisdiction: site.jurisdiction, trust: site.trust, egressPricePerGiB: site.egressPricePerGiB };
}

/** A store's entries read into the site model. */
function storeOf(
  home: SiteKind,
  name: string,
  path: (string | number)[],
  entries: readonly DatasetEntry[],
  level: Classification,
): SiteStore {
  return {
    name,
    path,
    datasets: entries.map(datasetName),
    entries: entries.map((e, i) =>
      datasetOf(e, { home, store: name, path: [...path, "datasets", i] }, level),
    ),
  };
}

function awsSite(config: AwsConfig, linked: boolean, level: Classification): AwsSite {
  const net = config.network;
  const createsVpc = "cidr" in net;
  const cidr = "cidr" in net ? net.cidr : net.existing.cidr;
  const zones =
    "cidr" in net ? (net.availabilityZones ?? ["a", "b", "c"].map((z) => `${config.region}${z}`)) : undefined;
  return {
    kind: "aws",
    name: config.cluster.name,
    config,
    region: config.region,
    ...placementFacts(config),
    cidr,
    createsVpc,
    ...(zones
      ? {
          zones,
          resolverIps: planAwsSubnets(cidr, zones.length).privateSubnets.map(
            (s) => pinnedRange(s).resolverIp,
          ),
        }
      : {}),
    ...("existing" in net && net.existing.resolverIps ? { resolverIps: [...net.existing.resolverIps] } : {}),
    networks: [{ cidr, path: "aws.network" }],
    stores: (config.buckets ?? []).map((b, i) =>
      storeOf("aws", b.name, ["aws", "buckets", i], b.datasets ?? [], level),
    ),
    linked,
  };
}

function azureSite(config: AzureConfig, linked: boolean, level: Classification): AzureSite {
  const c = config.cluster;
  const overlay = (key: "podCidr" | "serviceCidr"): SiteNetwork => ({
    path: `azure.cluster.${key}`,
    cidr: c[key] ?? CLUSTER_DEFAULTS[key],
    ...(c[key] === undefined
      ? {
          defaulted: `AKS's default ${key === "podCidr" ? "pod" : "service"} range, which the file does not set`,
        }
      : {}),
  });
  return {
    kind: "azure",
    name: c.name,
    config,
    region: config.location,
    ...placementFacts(config),
    addressSpace: config.network.addressSpace,
    // Azure keeps a subnet's first four addresses: the fifth is its first usable one.
    resolverIp: addressAt(planAzureSubnets(config.network.addressSpace).dnsInbound, 4),
    networks: [
      { cidr: config.network.addressSpace, path: "azure.network.addressSpace" },
      overlay("podCidr"),
      overlay("serviceCidr"),
    ],
    stores: (config.storage ?? []).map((s, i) =>
      storeOf("azure", s.name, ["azure", "storage", i], s.datasets ?? [], level),
    ),
    linked,
  };
}

function onPremSite(config: OnPremConfig, linked: boolean, level: Classification): OnPremSite {
  return {
    kind: "onprem",
    name: config.name,
    config,
    region: config.region,
    ...placementFacts(config),
    networkCidr: config.networkCidr,
    ...(config.storage
      ? {
          storage: {
            cidrs: [...config.storage.cidrs],
            ports: [...(config.storage.ports ?? ONPREM_STORAGE_PORTS)],
          },
        }
      : {}),
    networks: config.networkCidr ? [{ cidr: config.networkCidr, path: "onprem.networkCidr" }] : [],
    stores:
      (config.datasets ?? []).length > 0
        ? [storeOf("onprem", config.name, ["onprem"], config.datasets ?? [], level)]
        : [],
    linked,
  };
}
