import { type AwsTunnelCrypto, awsTunnelCrypto, type CryptoSuite, isAead } from "./vpn-crypto";

// How each cloud end of a tunnel behaves, as its provider documents it, so the router's side is
// rendered to match and the lab's stand-ins are built from the same numbers.

/** A cloud end a router tunnel can face. */
export type CloudEnd = "aws" | "azure";

/**
 * BGP keepalive and hold timers each cloud end runs, seconds. AWS: the downloadable customer
 * gateway configurations set `timers 10 30 30` ("adjusted to provide more rapid detection of
 * outages"). Azure VPN Gateway FAQ, "What are the BGP timer settings for site-to-site (S2S) VPN
 * connections?": keepalive 60 s and hold 180 s, fixed, and on-premises devices should match.
 */
export const BGP_TIMERS: Record<CloudEnd, { keepaliveSeconds: number; holdSeconds: number }> = {
  aws: { keepaliveSeconds: 10, holdSeconds: 30 },
  azure: { keepaliveSeconds: 60, holdSeconds: 180 },
};

/**
 * Seconds the router waits before it opens a BGP session again after a failed attempt. FRR's
 * default (120 s) would add two minutes to every tunnel flap towards Azure, which never opens the
 * session itself towards an APIPA peer (Azure VPN Gateway FAQ, "Do VPN gateways initiate BGP
 * peering sessions or connections?").
 */
export const BGP_CONNECT_RETRY_SECONDS = 10;

/** AWS's tunnel defaults the router is rendered against (EC2 VpnTunnelOptionsSpecification). */
export const AWS_TUNNEL_DEFAULTS = {
  /** RekeyMarginTimeSeconds: AWS rekeys this long before a phase 2 lifetime ends (default 270). */
  rekeyMarginSeconds: 270,
  /** RekeyFuzzPercentage: the random share of that margin (default 100). */
  rekeyFuzzPercent: 100,
  /**
   * Seconds between AWS's DPD probes: "A DPD timeout of 40 seconds means that the VPN endpoint
   * will consider the peer dead 30 seconds after the first failed keep-alive" (DPDTimeoutSeconds).
   */
  dpdProbeSeconds: 10,
} as const;

/**
 * Who opens IKE on a tunnel. Exactly one end does: two initiators starting at once leave two IKE
 * SAs and two CHILD SAs per tunnel (IKEv2 has no tie-break for simultaneous IKE_SA_INIT), the
 * "inconsistent Phase 2 states" AWS warns of when it advises turning IKE unique IDs off ("Best
 * practices for your customer gateway device"). The router initiates every tunnel that ends on
 * it; AWS only answers (StartupAction `add`, DPDTimeoutAction `clear`, AWS's defaults), Azure
 * only answers the router (connection mode `ResponderOnly`); between AWS and Azure, Azure
 * initiates (mode `Default`) and AWS answers (Microsoft's AWS guide has both start).
 */
export const IKE_INITIATOR = {
  /** AWS tunnel options on every link. */
  aws: { startupAction: "add", dpdTimeoutAction: "clear" },
  /** Azure connection mode towards an on-premises router, and towards AWS. */
  azure: { towardsRouter: "ResponderOnly", towardsAws: "Default" },
} as const;

/** A tunnel interface's MTU and the TCP MSS clamped on it. */
export interface TunnelMtu {
  mtu: number;
  mss: number;
}

// AWS, "Best practices for your customer gateway device", MTU and MSS by algorithm, the NAT-T
// rows: the router may sit behind NAT, and NAT-T's 8 bytes make those the smaller values.
const AWS_MTU_NAT_T: { when: (suite: CryptoSuite) => boolean; value: TunnelMtu; row: string }[] = [
  { row: "AES-GCM-16", when: (s) => isAead(s.esp.encryption), value: { mtu: 1438, mss: 1398 } },
  { row: "AES-CBC, SHA2-512", when: (s) => s.esp.hash === "sha512", value: { mtu: 1406, mss: 1366 } },
  { row: "AES-CBC, SHA2-384", when: (s) => s.esp.hash === "sha384", value: { mtu: 1422, mss: 1382 } },
  { row: "AES-CBC, SHA1/SHA2-256", when: () => true, value: { mtu: 1422, mss: 1382 } },
];

/**
 * Azure (About VPN devices, IPsec/IKE parameters): clamp TCP MSS at 1350 bytes, or set the tunnel
 * interface's MTU to 1400 where MSS cannot be clamped. Both are set.
 */
const AZURE_MTU: TunnelMtu = { mtu: 1400, mss: 1350 };

/** The MTU and MSS of a router tunnel to `end` carrying `suite`'s ESP. */
export function tunnelMtu(suite: CryptoSuite, end: CloudEnd): TunnelMtu {
  if (end === "azure") return AZURE_MTU;
  const row = AWS_MTU_NAT_T.find((r) => r.when(suite));
  if (!row) throw new Error("tunnelMtu: AWS's table has a row for every suite");
  return row.value;
}

/** AWS tunnel options for one tunnel (the `tunnel1*`/`tunnel2*` inputs without their prefix). */
export interface AwsTunnelOptions extends AwsTunnelCrypto {
  startupAction: string;
  dpdTimeoutAction: string;
  rekeyMarginTimeSeconds: number;
}

/**
 * The suite and the ends' roles as AWS tunnel options: the crypto pinned, AWS answering IKE only
 * (the router initiates), and the rekey margin the router's lifetimes are rendered against.
 */
export function awsTunnelOptions(suite: CryptoSuite): AwsTunnelOptions {
  return {
    ...awsTunnelCrypto(suite),
    startupAction: IKE_INITIATOR.aws.startupAction,
    dpdTimeoutAction: IKE_INITIATOR.aws.dpdTimeoutAction,
    rekeyMarginTimeSeconds: AWS_TUNNEL_DEFAULTS.rekeyMarginSeconds,
  };
}
