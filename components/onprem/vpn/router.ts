import type { CloudEnd, StrongSwanProposals, TunnelMtu } from "../../facts";

/** One tunnel of the on-premises router: to one cloud tunnel endpoint. */
export interface RouterTunnel {
  /** Connection name in swanctl.conf, e.g. `aws-dc1-1`. */
  name: string;
  /** The kind of cloud end: it decides BGP timers and the MTU. */
  peerEnd: CloudEnd;
  /** The cloud end's outside (public) address. */
  peerOutside: string;
  /** This router's inside address with its prefix, e.g. `169.254.21.2/30`. */
  localInside: string;
  /** The cloud end's inside address: its BGP peer address. */
  peerInside: string;
  /** The cloud end's ASN. */
  peerAsn: number;
  /** The cloud site's networks: the only prefixes the router accepts from this peer. */
  peerNetworks: string[];
  /** The tunnel's pre-shared key. */
  presharedKey: string;
  /** XFRM interface id (1 and up, one per tunnel, from the link's slot): the route-based tunnel's interface. */
  ifId: number;
  /** The tunnel interface's MTU and the TCP MSS clamped on it (the suite's and the end's). */
  mtu: TunnelMtu;
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
  /**
   * ASNs of the platform's sites that must not learn the on-premises prefixes through another
   * site: each announcement to one peer carries the others' ASNs in its AS path, so a cloud that
   * passes it on (AWS VPN CloudHub, Azure's gateway transit) reaches a site that drops it as a
   * loop. The tunnels' peers are always among them.
   */
  otherSiteAsns: number[];
}
