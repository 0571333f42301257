// The clouds' ends of the tunnels, built for the lab from what a plan sends AWS and Azure: the VPN
// connection's tunnel options, the customer gateway, the Azure connection, its local network
// gateway and the gateway's BGP settings. Each end is written here in strongSwan's and FRR's words
// from those values (apart from the library's own mappings, so a wrong entry there shows up as a
// failed negotiation), plus what each cloud documents about how it behaves:
// - AWS answers or starts IKE as StartupAction says, probes DPD every 10 s, rekeys RekeyMargin
//   before each lifetime ends, and passes every route it learns on to its other peers (VPN
//   CloudHub);
// - Azure answers or starts IKE as the connection mode says, never opens BGP towards APIPA peers,
//   reaches an on-premises BGP address through a host route into the tunnel, and passes routes
//   on between its connections (gateway transit).
// One lab shortcut: the clouds' BGP hold time is 3 s (keepalive 1 s) instead of AWS's 30 s and
// Azure's 180 s, so a cut tunnel is noticed in seconds. BGP takes the smaller of the two ends' hold
// times, so the router's own timers are read from its running bgpd instead.
import type { SiteSpec } from "./harness";

/** The lab's BGP timers on the clouds' side (see above). */
export const LAB_BGP_TIMERS = "1 3";

// AWS's tunnel-option vocabulary in strongSwan's words.
const AWS_ENCRYPTION: Record<string, string> = {
  "AES256-GCM-16": "aes256gcm16",
  "AES128-GCM-16": "aes128gcm16",
  AES256: "aes256",
  AES128: "aes128",
};
const AWS_HASH: Record<string, string> = {
  "SHA2-256": "sha256",
  "SHA2-384": "sha384",
  "SHA2-512": "sha512",
  SHA1: "sha1",
};
const GROUP: Record<number, string> = {
  2: "modp1024",
  14: "modp2048",
  19: "ecp256",
  20: "ecp384",
  24: "modp2048s256",
};

// Azure's IpsecPolicy vocabulary in strongSwan's words.
const AZURE: Record<string, string> = {
  GCMAES256: "aes256gcm16",
  GCMAES128: "aes128gcm16",
  AES256: "aes256",
  SHA256: "sha256",
  SHA384: "sha384",
  DHGroup14: "modp2048",
  PFS2048: "modp2048",
  ECP256: "ecp256",
  ECP384: "ecp384",
  DHGroup24: "modp2048s256",
  PFS24: "modp2048s256",
};

function word(table: Record<string, string>, value: unknown, what: string): string {
  const found = table[String(value)];
  if (!found) throw new Error(`the lab cannot write ${what} ${JSON.stringify(value)} in strongSwan's words`);
  return found;
}

/** One tunnel of a cloud's end, in strongSwan's terms. */
export interface CloudTunnel {
  /** Connection name in the stand-in's swanctl.conf. */
  name: string;
  ifId: number;
  local: string;
  remote: string;
  psk: string;
  version: 1 | 2;
  ike: string;
  esp: string;
  ikeLifetime: number;
  childLifetime: number;
  /** Seconds before a lifetime ends from which this end rekeys (and the spread). */
  rekeyMargin: number;
  dpdDelay: number;
  /** What the end does at start: `start` opens IKE, `none` only answers. */
  startAction: "start" | "none";
  dpdAction: "clear" | "restart";
  /** The interfaces-script lines that give the tunnel its inside address or host route. */
  inside: string[];
}

/** An AWS VPN connection's tunnel `n` as the plan sends it, with the customer gateway it ends on. */
export function awsTunnel(
  o: { name: string; ifId: number; n: 1 | 2; local: string },
  connection: Record<string, unknown>,
  customerGateway: Record<string, unknown>,
): CloudTunnel {
  const field = (f: string) => connection[`tunnel${o.n}${f}`];
  const one = (f: string): unknown => {
    const list = field(f);
    if (!Array.isArray(list) || list.length !== 1)
      throw new Error(`tunnel${o.n}${f} is ${JSON.stringify(list)}, not one value`);
    return list[0];
  };
  const proposal = (phase: 1 | 2) => {
    const encryption = word(AWS_ENCRYPTION, one(`Phase${phase}EncryptionAlgorithms`), "AWS encryption");
    const hash = word(AWS_HASH, one(`Phase${phase}IntegrityAlgorithms`), "AWS integrity");
    const group = word(GROUP, Number(one(`Phase${phase}DhGroupNumbers`)), "DH group");
    const aead = encryption.includes("gcm");
    if (phase === 1) return aead ? `${encryption}-prf${hash}-${group}` : `${encryption}-${hash}-${group}`;
    return aead ? `${encryption}-${group}` : `${encryption}-${hash}-${group}`;
  };
  const versions = field("IkeVersions") as string[];
  const cidr = String(field("InsideCidr"));
  const [network = ""] = cidr.split("/");
  const octets = network.split(".").map(Number);
  const awsInside = [...octets.slice(0, 3), (octets[3] ?? 0) + 1].join(".");
  const startup = String(field("StartupAction") ?? "add");
  const dpd = String(field("DpdTimeoutAction") ?? "clear");
  return {
    name: o.name,
    ifId: o.ifId,
    local: o.local,
    remote: String(customerGateway.ipAddress),
    psk: String(field("PresharedKey")),
    version: versions.includes("ikev2") ? 2 : 1,
    ike: proposal(1),
    esp: proposal(2),
    ikeLifetime: Number(field("Phase1LifetimeSeconds")),
    childLifetime: Number(field("Phase2LifetimeSeconds")),
    rekeyMargin: Number(field("RekeyMarginTimeSeconds") ?? 270),
    // "A DPD timeout of 40 seconds means that the VPN endpoint will consider the peer dead 30
    // seconds after the first failed keep-alive": a probe every 10 s.
    dpdDelay: 10,
    startAction: startup === "start" ? "start" : "none",
    dpdAction: dpd === "restart" ? "restart" : "clear",
    inside: [`ip address add ${awsInside}/30 dev xfrm-${o.ifId}`],
  };
}

/** The customer gateway's ASN as the plan sends it (`bgpAsn`, or `bgpAsnExtended` above 2147483647). */
export function customerGatewayAsn(customerGateway: Record<string, unknown>): number {
  const asn = customerGateway.bgpAsn ?? customerGateway.bgpAsnExtended;
  if (asn === undefined) throw new Error("the customer gateway has neither bgpAsn nor bgpAsnExtended");
  return Number(asn);
}

/** An Azure connection's tunnel from gateway instance `instance`, as the plan sends it. */
export function azureTunnel(
  o: { name: string; ifId: number; instance: 0 | 1; local: string; inside: string[] },
  connection: Record<string, unknown>,
  localGateway: Record<string, unknown>,
): CloudTunnel {
  const [policy] = connection.ipsecPolicies as Record<string, string>[];
  if (!policy) throw new Error("the Azure connection has no IPsec policy");
  const ikeAead = policy.ikeEncryption?.startsWith("GCM");
  const espAead = policy.ipsecEncryption?.startsWith("GCM");
  const w = (v: string | undefined) => word(AZURE, v, "Azure value");
  const mode = String(connection.connectionMode ?? "Default");
  const dpdTimeout = Number(connection.dpdTimeoutSeconds ?? 45);
  return {
    name: o.name,
    ifId: o.ifId,
    local: o.local,
    remote: String(localGateway.gatewayIpAddress),
    psk: String(connection.sharedKey),
    version: connection.connectionProtocol === "IKEv1" ? 1 : 2,
    ike: ikeAead
      ? `${w(policy.ikeEncryption)}-prf${w(policy.ikeIntegrity)}-${w(policy.dhGroup)}`
      : `${w(policy.ikeEncryption)}-${w(policy.ikeIntegrity)}-${w(policy.dhGroup)}`,
    esp: espAead
      ? `${w(policy.ipsecEncryption)}-${w(policy.pfsGroup)}`
      : `${w(policy.ipsecEncryption)}-${w(policy.ipsecIntegrity)}-${w(policy.pfsGroup)}`,
    // Azure fixes the IKE SA lifetime at 28800 s; the child's is the policy's.
    ikeLifetime: 28800,
    childLifetime: Number(policy.saLifeTimeSeconds),
    rekeyMargin: 60,
    dpdDelay: Math.max(3, Math.floor(dpdTimeout / 3)),
    startAction: mode === "ResponderOnly" ? "none" : "start",
    dpdAction: mode === "ResponderOnly" ? "clear" : "restart",
    inside: o.inside,
  };
}

function connection(t: CloudTunnel): string {
  return `    ${t.name} {
        version = ${t.version}
        local_addrs = ${t.local}
        remote_addrs = ${t.remote}
        proposals = ${t.ike}
        rekey_time = ${t.ikeLifetime - t.rekeyMargin}s
        over_time = ${t.rekeyMargin}s
        rand_time = ${t.rekeyMargin}s
        dpd_delay = ${t.dpdDelay}s
        mobike = no
        unique = no
        keyingtries = 0
        if_id_in = ${t.ifId}
        if_id_out = ${t.ifId}
        local {
            auth = psk
            id = ${t.local}
        }
        remote {
            auth = psk
            id = ${t.remote}
        }
        children {
            ${t.name} {
                mode = tunnel
                local_ts = 0.0.0.0/0
                remote_ts = 0.0.0.0/0
                esp_proposals = ${t.esp}
                rekey_time = ${t.childLifetime - t.rekeyMargin}s
                life_time = ${t.childLifetime}s
                rand_time = ${t.rekeyMargin}s
                start_action = ${t.startAction}
                dpd_action = ${t.dpdAction}
                close_action = none
            }
        }
    }`;
}

/** A cloud's swanctl.conf for its tunnels. */
export function cloudSwanctl(tunnels: readonly CloudTunnel[]): string {
  return `# A cloud's end of its tunnels, built by test/vpn/daemons/stand-ins.ts from the plan.
connections {
${tunnels.map(connection).join("\n")}
}

secrets {
${tunnels.map((t) => `    ike-${t.name} {\n        id = ${t.remote}\n        secret = "${t.psk}"\n    }`).join("\n")}
}
`;
}

/** A cloud's interfaces script: an XFRM interface per tunnel, with what each tunnel's inside needs. */
export function cloudInterfaces(tunnels: readonly CloudTunnel[], loopback: string[] = []): string {
  return [
    ...loopback.map((a) => `ip address add ${a}/32 dev lo`),
    ...tunnels.flatMap((t) => [
      `ip link add xfrm-${t.ifId} type xfrm dev wan0 if_id ${t.ifId}`,
      `ip link set xfrm-${t.ifId} up`,
      ...t.inside,
    ]),
  ].join("\n");
}

/** One BGP neighbour of a cloud's end. */
export interface CloudNeighbor {
  address: string;
  asn: number;
  /** Azure never opens a session towards an APIPA peer. */
  passive?: boolean;
  /** The cloud's address for a multihop session (Azure's instance address towards the router's loopback). */
  source?: string;
}

/** A cloud's bgpd: its ASN, its network, and every route it learns passed on to its other peers. */
export function cloudBgpd(o: {
  asn: number;
  routerId: string;
  networks: string[];
  neighbors: CloudNeighbor[];
}): string {
  const lines = o.neighbors.flatMap((n) => [
    ` neighbor ${n.address} remote-as ${n.asn}`,
    ` neighbor ${n.address} timers ${LAB_BGP_TIMERS}`,
    ` neighbor ${n.address} timers connect 1`,
    ` neighbor ${n.address} advertisement-interval 0`,
    ...(n.passive ? [` neighbor ${n.address} passive`] : []),
    ...(n.source
      ? [` neighbor ${n.address} update-source ${n.source}`, ` neighbor ${n.address} ebgp-multihop 2`]
      : []),
  ]);
  return `frr defaults traditional
!
router bgp ${o.asn}
 bgp router-id ${o.routerId}
 no bgp ebgp-requires-policy
 no bgp network import-check
${lines.join("\n")}
 !
 address-family ipv4 unicast
${o.networks.map((n) => `  network ${n}`).join("\n")}
 exit-address-family
!
`;
}

/** A site spec for a cloud's end. */
export function cloudSite(o: {
  name: string;
  tunnels: CloudTunnel[];
  loopback?: string[];
  bgpd: string;
  lan: string;
}): SiteSpec {
  return {
    name: o.name,
    swanctlConf: cloudSwanctl(o.tunnels),
    interfacesScript: cloudInterfaces(o.tunnels, o.loopback),
    bgpdConf: o.bgpd,
    lanAddresses: [o.lan],
  };
}
