import { carveSubnets } from "../validation";

// Tunnel inside addresses. BGP runs over a /30 per tunnel. Azure accepts custom APIPA addresses
// only in 169.254.21.0-169.254.22.255, AWS refuses a few /30s of 169.254.0.0/16 (none in that
// range), so every link of a stack draws from those two /24s: one /28 (four tunnels) per link.

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
