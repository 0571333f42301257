import { carveSubnets, cidrContains, tryParseCidr } from "../validation";

// Tunnel inside addresses. BGP runs over a /30 per tunnel. Azure accepts custom APIPA addresses
// only in 169.254.21.0-169.254.22.255, AWS refuses a few /30s of 169.254.0.0/16 (none in that
// range), so every link draws from those two /24s: one /28 (four tunnels), a slot, per link.
// A link keeps its slot whatever other links come or go: by default the slot of its site pair,
// or the /28 its config names. The router's XFRM interface ids derive from the slot too, so links
// of several environments that end on one router must each name a /28 of their own.

/** The APIPA ranges every cloud end accepts for BGP over a tunnel. */
export const INSIDE_RANGES = ["169.254.21.0/24", "169.254.22.0/24"] as const;
/** Links a stack can hold: one /28 slot each. */
export const INSIDE_SLOTS = 32;
/** Tunnels one link can hold in its slot. */
export const TUNNELS_PER_SLOT = 4;

/** One tunnel's inside /30: the cloud end (AWS, or Azure facing on-premises) takes the first host, the peer the second. */
export interface TunnelInside {
  /** The /30, e.g. 169.254.21.4/30 (AWS's `tunnelNInsideCidr`). */
  cidr: string;
  /** First host, e.g. 169.254.21.5. */
  first: string;
  /** Second host, e.g. 169.254.21.6. */
  second: string;
}

/** The /28 of slot `slot` (0-31). */
export function insideSlot(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= INSIDE_SLOTS) {
    throw new RangeError(`inside address slot ${slot} is not one of 0-${INSIDE_SLOTS - 1}`);
  }
  const range = INSIDE_RANGES[Math.floor(slot / 16)] as string;
  return carveSubnets(range, 28, 1, slot % 16)[0] as string;
}

/** The inside /30s of a link's `count` tunnels (1-4), from its slot. */
export function tunnelInsides(slot: number, count: number): TunnelInside[] {
  if (count < 1 || count > TUNNELS_PER_SLOT) {
    throw new RangeError(`a link holds 1-${TUNNELS_PER_SLOT} tunnels, not ${count}`);
  }
  return carveSubnets(insideSlot(slot), 30, count).map((cidr) => {
    const [network = "", prefix] = cidr.split("/");
    const octets = network.split(".").map(Number);
    const last = octets[3] ?? 0;
    const host = (n: number) => [...octets.slice(0, 3), last + n].join(".");
    return { cidr: `${network}/${prefix}`, first: host(1), second: host(2) };
  });
}

/** The site pairs a link can join, as `VpnLink` checks them. */
export const LINK_KINDS = ["aws-onprem", "aws-azure", "azure-onprem"] as const;

/** A site pair, its two kinds in alphabetical order. */
export type LinkKind = (typeof LINK_KINDS)[number];

/**
 * The slot a link takes when its config names none: one per site pair (a stack links each pair
 * once), so adding or removing a link never moves another.
 */
export const DEFAULT_INSIDE_SLOTS: Record<LinkKind, number> = {
  "aws-onprem": 0,
  "aws-azure": 1,
  "azure-onprem": 2,
};

/** The slot of an inside /28 (169.254.21.0/28 is 0, 169.254.22.240/28 is 31), or why it is none. */
export function slotOfInsideCidr(text: string): number | string {
  const cidr = tryParseCidr(text);
  if (typeof cidr === "string") return cidr;
  const range = INSIDE_RANGES.findIndex((r) => cidrContains(r, cidr));
  if (cidr.version !== 4 || cidr.prefix !== 28 || range < 0) {
    return `is not a /28 of ${INSIDE_RANGES.join(" or ")} (Azure's custom APIPA range), e.g. 169.254.21.16/28`;
  }
  const base = tryParseCidr(INSIDE_RANGES[range] as string);
  if (typeof base === "string") throw new Error(base);
  return range * 16 + Number((cidr.start - base.start) / 16n);
}

/** One link as a router sees it: which router, which slot, and where the config says so. */
export interface RouterLinkSlot {
  /** The environment (stack) the link belongs to. */
  environment: string;
  /** The router's public address: links that share it share the router's addresses and interfaces. */
  router: string;
  /** The link's name, e.g. `aws-dc1`. */
  link: string;
  /** The slot the link takes. */
  slot: number;
  /** Config path of the setting that decides the slot, e.g. `vpn.links[0].insideCidr`. */
  path: string;
}

/**
 * Links of different environments that end on one router and take the same slot: their inside
 * addresses and XFRM interfaces would collide on the router. One message per clash, naming both.
 */
export function sharedRouterSlotClashes(links: readonly RouterLinkSlot[]): {
  environment: string;
  path: string;
  message: string;
}[] {
  const clashes: { environment: string; path: string; message: string }[] = [];
  links.forEach((link, i) => {
    const other = links
      .slice(0, i)
      .find((l) => l.router === link.router && l.slot === link.slot && l.environment !== link.environment);
    if (other) {
      clashes.push({
        environment: link.environment,
        path: link.path,
        message: `${link.link} takes ${insideSlot(link.slot)} on router ${link.router}, as ${other.environment}'s ${other.link} does (${other.path}); give each environment's links on one router a /28 of their own`,
      });
    }
  });
  return clashes;
}

/**
 * The APIPA addresses an Azure gateway's two instances use on an aws-azure link in `slot`: AWS
 * takes the first host of each of the four /30s, Azure the second; instance 0 ends the tunnels of
 * the connection to its address (tunnels 1-2), instance 1 those of the other (tunnels 3-4).
 */
export function awsAzureApipa(slot: number): [string[], string[]] {
  const t = tunnelInsides(slot, 4).map((x) => x.second);
  return [
    [t[0] as string, t[1] as string],
    [t[2] as string, t[3] as string],
  ];
}

/**
 * The APIPA addresses an Azure gateway's two instances use on an azure-onprem link in `slot`: the
 * first host of the slot's first and second /30; the router's BGP address is the second host of
 * the first.
 */
export function azureOnPremApipa(slot: number): [string[], string[]] {
  const [t0, t1] = tunnelInsides(slot, 2) as [TunnelInside, TunnelInside];
  return [[t0.first], [t1.first]];
}
