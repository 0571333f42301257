import type { StrongSwanProposals } from "../../facts";

/** One tunnel of the on-premises router: to one cloud tunnel endpoint. */
export interface RouterTunnel {
  /** Connection name in swanctl.conf and the XFRM interface's suffix, e.g. `aws-dc1-1`. */
  name: string;
  /** The cloud end's outside (public) address. */
  peerOutside: string;
  /** This router's inside address with its prefix, e.g. `169.254.21.2/30`. */
  localInside: string;
  /** The cloud end's inside address: its BGP peer address. */
  peerInside: string;
  /** The cloud end's ASN. */
  peerAsn: number;
  /** The tunnel's pre-shared key. */
  presharedKey: string;
  /** XFRM interface id (1 and up, one per tunnel): the route-based tunnel's interface. */
  ifId: number;
  /**
   * BGP through the tunnel from this router address instead of across a shared /30 (Azure's
   * active-active gateway peers from each instance with one address of the router): it goes on
   * the loopback, the peer gets a host route into the tunnel, and the session is multihop.
   */
  bgpSource?: string;
}

/** What the on-premises router's configuration is rendered from. */
export interface OnPremRouter {
  /** The router's public address, the IKE identity every cloud end knows it by. */
  publicIp: string;
  /** The router's BGP ASN. */
  asn: number;
  /** The on-premises prefixes the router announces. */
  prefixes: string[];
  /** The suite every tunnel negotiates, as strongSwan proposals. */
  proposals: StrongSwanProposals;
  /** The tunnels, to every cloud end of every link. */
  tunnels: RouterTunnel[];
}
