// The VPN crypto profile: IKEv2 only, AES-256 (GCM or CBC with SHA-2), Diffie-Hellman group 14 or
// stronger and never the small-subgroup MODP groups 22-24 (RFC 8247 section 2.4), every tunnel
// parameter pinned (left unset, AWS and Azure both also accept their weak defaults). Values are
// compared as allow-lists, whatever their spelling (`ikev2`, `IKEv2`; `GCMAES256`, `gcmaes256`),
// so a value that is not known to be strong fails.
import {
  family,
  get,
  isAbsent,
  isUnknown,
  list,
  numberOf,
  oneOf,
  type Props,
  type ResourceContext,
  resourceRule,
  show,
  token,
  UNKNOWN,
} from "../kit";

/** Knob shared by the VPN rules: the weakest Diffie-Hellman group allowed. */
const DH_SCHEMA = {
  properties: {
    minDhGroup: {
      type: "integer",
      default: 14,
      minimum: 14,
      description: "The weakest Diffie-Hellman group allowed (RFC 8247 deprecates anything below 14).",
    },
  },
} as const;

/** MODP groups with small subgroups: forbidden whatever their number (RFC 8247). */
const SMALL_SUBGROUP_GROUPS = new Set([22, 23, 24]);

function weakGroup(group: number, min: number): string | null {
  if (SMALL_SUBGROUP_GROUPS.has(group)) return "a MODP group with small subgroups (RFC 8247 forbids 22-24)";
  return group < min ? `below group ${min}` : null;
}

const minGroup = (config: Record<string, unknown>) => numberOf(config.minDhGroup) ?? 14;

/** AWS Site-to-Site VPN values the profile accepts, per tunnel parameter (compared by token). */
const AWS_STRONG: Readonly<Record<string, readonly string[]>> = {
  IkeVersions: ["ikev2"],
  Phase1EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase2EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  Phase2IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
};

/** Each tunnel field that must be set for the tunnel to be pinned. */
const AWS_PINNED = [
  "IkeVersions",
  "Phase1EncryptionAlgorithms",
  "Phase1IntegrityAlgorithms",
  "Phase1DhGroupNumbers",
  "Phase2EncryptionAlgorithms",
  "Phase2IntegrityAlgorithms",
  "Phase2DhGroupNumbers",
] as const;

const NATIVE_VPN_CONNECTION = "aws-native:ec2:VpnConnection";

/**
 * aws-native's connection as the aws provider's fields: its vpnTunnelOptionsSpecifications hold
 * one entry per tunnel (up to two; a missing one keeps AWS's defaults), each parameter a list of
 * `{ value }`. Keys are matched whatever their case (`phase1DhGroupNumbers`, `phase1DHGroupNumbers`).
 */
function nativeTunnels(props: Props): Props {
  const specs = list(get(props, "vpnTunnelOptionsSpecifications"));
  const out: Props = {};
  ["tunnel1", "tunnel2"].forEach((tunnel, i) => {
    const spec = specs[i];
    if (isUnknown(spec)) {
      for (const f of AWS_PINNED) out[`${tunnel}${f}`] = UNKNOWN;
      return;
    }
    const fields = spec !== null && typeof spec === "object" ? Object.entries(spec as Props) : [];
    for (const f of AWS_PINNED) {
      const raw = fields.find(([k]) => k.toLowerCase() === f.toLowerCase())?.[1];
      out[`${tunnel}${f}`] = isUnknown(raw)
        ? UNKNOWN
        : list(raw).map((v) => (isUnknown(v) ? v : get(v, "value")));
    }
  });
  return out;
}

export const awsVpnCrypto = resourceRule({
  name: "aws-vpn-strong-crypto",
  description:
    "AWS Site-to-Site VPN tunnels (the aws provider's VpnConnection, or aws-native's with its vpnTunnelOptionsSpecifications) use IKEv2 only, AES-256 (GCM or CBC), SHA-2 integrity, Diffie-Hellman group 14 or stronger (never 22-24), with every parameter of both tunnels pinned; values are judged in any spelling and unknown ones fail.",
  remediation:
    "Set tunnel1*/tunnel2* IkeVersions [ikev2], Phase1/Phase2 EncryptionAlgorithms (AES256-GCM-16), IntegrityAlgorithms (SHA2-384), DhGroupNumbers (20) on the VpnConnection; the library's VpnLink does this.",
  benchmarks: ["hybrid-ai-infra:vpn-crypto"],
  enforcementLevel: "mandatory",
  configSchema: DH_SCHEMA,
  types: ["aws:ec2/vpnConnection:VpnConnection", NATIVE_VPN_CONNECTION],
  check: (ctx) => {
    const props = ctx.type === NATIVE_VPN_CONNECTION ? nativeTunnels(ctx.props) : ctx.props;
    for (const tunnel of ["tunnel1", "tunnel2"]) {
      const fields = AWS_PINNED.map((f) => `${tunnel}${f}`);
      if (
        !ctx.known(
          fields.map((f) => props[f]),
          `${tunnel} crypto`,
        )
      )
        continue;
      const unset = fields.filter((f) => list(props[f]).length === 0);
      if (unset.length > 0 && ctx.judgesAbsent)
        ctx.report(
          `${tunnel} leaves ${unset.join(", ")} unset, so AWS also accepts its weak defaults (IKEv1, AES128, SHA1, DH group 2); pin each one`,
        );
      for (const [field, strong] of Object.entries(AWS_STRONG)) {
        const weak = list(props[`${tunnel}${field}`]).filter((v) => !oneOf(v, ...strong));
        if (weak.length > 0)
          ctx.report(
            `${tunnel}${field} allows ${weak.map((v) => show(v)).join(", ")}; only ${strong.join(", ")} are allowed`,
          );
      }
      for (const phase of ["Phase1", "Phase2"]) {
        for (const raw of list(props[`${tunnel}${phase}DhGroupNumbers`])) {
          const group = numberOf(raw);
          const why = group === undefined ? "not a group number" : weakGroup(group, minGroup(ctx.config));
          if (why)
            ctx.report(`${tunnel}${phase}DhGroupNumbers allows group ${show(raw)}, ${why}; use 19, 20 or 21`);
        }
      }
    }
  },
});

/** Azure IPsec policy values the profile accepts, per field (compared by token). */
const AZURE_STRONG: Readonly<Record<string, readonly string[]>> = {
  ikeEncryption: ["GCMAES256", "AES256"],
  ikeIntegrity: ["SHA256", "SHA384", "GCMAES256"],
  ipsecEncryption: ["GCMAES256", "AES256"],
  ipsecIntegrity: ["GCMAES256", "SHA256"],
};

/** The Diffie-Hellman group each Azure DH or PFS name means (compared by token). */
const AZURE_GROUPS: Readonly<Record<string, number>> = {
  none: 0,
  dhgroup1: 1,
  dhgroup2: 2,
  dhgroup14: 14,
  dhgroup2048: 14,
  ecp256: 19,
  ecp384: 20,
  dhgroup24: 24,
  pfs1: 1,
  pfs2: 2,
  pfs14: 14,
  pfs2048: 14,
  pfs24: 24,
};

function azurePolicy(ctx: ResourceContext, p: Props, i: number, min: number, prefix = ""): void {
  const at = `${prefix}ipsecPolicies[${i}]`;
  for (const [field, strong] of Object.entries(AZURE_STRONG)) {
    const v = p[field];
    if (!oneOf(v, ...strong)) ctx.report(`${at}.${field} is ${show(v, "none")}; use ${strong.join(" or ")}`);
  }
  for (const field of ["dhGroup", "pfsGroup"]) {
    const v = p[field];
    // PFSMM reuses the IKE group, checked as dhGroup.
    if (oneOf(v, "PFSMM")) continue;
    const group = isAbsent(v) ? 0 : AZURE_GROUPS[token(v)];
    const why =
      group === undefined
        ? "not a group this rule knows"
        : group === 0
          ? "no Diffie-Hellman at all"
          : weakGroup(group, min);
    if (why) ctx.report(`${at}.${field} is ${show(v, "none")}, ${why}; use ECP384 (or ECP256)`);
  }
}

/**
 * Whether an Azure connection carries no IPsec of its own: an ExpressRoute connection to a
 * circuit (`peer`), with no local network gateway. Its own connectionType alone does not say so:
 * Vnet2Vnet connections are IPsec too, and a "ExpressRoute" connection to a local network
 * gateway is a site-to-site tunnel by another name.
 */
function withoutIpsec(props: Props): boolean {
  return (
    oneOf(props.connectionType, "ExpressRoute") &&
    !isAbsent(get(props, "peer.id")) &&
    isAbsent(props.localNetworkGateway2) &&
    isAbsent(props.virtualNetworkGateway2)
  );
}

const WAN_CONNECTION = "azure-native:network:VpnConnection";

/** Judges one IKE protocol setting and its IPsec policies (`at` prefixes the messages' fields). */
function azureIpsec(ctx: ResourceContext, at: string, protocolField: string, props: Props): void {
  const protocol = props[protocolField];
  if (ctx.known(protocol, `${at}${protocolField}`) && !isAbsent(protocol) && !oneOf(protocol, "IKEv2"))
    ctx.report(`${at}${protocolField} is ${show(protocol)}; only IKEv2 is allowed`);
  const ipsecPolicies = props.ipsecPolicies;
  if (!ctx.known(ipsecPolicies, `${at}ipsecPolicies`)) return;
  const policies = list(ipsecPolicies) as Props[];
  if (policies.length === 0 && ctx.judgesAbsent)
    ctx.report(
      `${at}ipsecPolicies is empty, so Azure offers its default proposals (SHA-1, DH group 2 among them); give one strong policy`,
    );
  policies.forEach((p, i) => {
    azurePolicy(ctx, p ?? {}, i, minGroup(ctx.config), at);
  });
}

export const azureVpnCrypto = resourceRule({
  name: "azure-vpn-strong-crypto",
  description:
    "Azure VPN connections (IPsec and Vnet2Vnet gateway connections, and Virtual WAN connections with each of their links; only an ExpressRoute connection to a circuit, with no IPsec peer, is exempt) use IKEv2 with a custom IPsec policy: AES-256 (GCM or CBC), SHA-256 or better, Diffie-Hellman and PFS group 14 or stronger (never 24); values in any spelling, unknown ones fail.",
  remediation:
    "Set connectionProtocol IKEv2 and one ipsecPolicies entry (ikeEncryption GCMAES256, ikeIntegrity SHA384, dhGroup ECP384, ipsecEncryption GCMAES256, ipsecIntegrity GCMAES256, pfsGroup ECP384); without it Azure offers its default proposals, SHA-1 and DH group 2 among them. On a Virtual WAN connection, set them on each vpnLinkConnections entry (or on the connection when it has no links).",
  benchmarks: ["hybrid-ai-infra:vpn-crypto", "mcsb:DP-3"],
  enforcementLevel: "mandatory",
  configSchema: DH_SCHEMA,
  types: ["azure-native:network:VirtualNetworkGatewayConnection", WAN_CONNECTION],
  check: (ctx) => {
    if (ctx.type === WAN_CONNECTION) {
      // A connection to a VPN site with links negotiates per link, with the link's own settings.
      const links = ctx.props.vpnLinkConnections;
      if (!ctx.known(links, "vpnLinkConnections")) return;
      if (list(links).length === 0) azureIpsec(ctx, "", "vpnConnectionProtocolType", ctx.props);
      list(links).forEach((link, i) => {
        const at = `vpnLinkConnections[${i}].`;
        if (ctx.known(link, at.slice(0, -1)))
          azureIpsec(ctx, at, "vpnConnectionProtocolType", (link ?? {}) as Props);
      });
      return;
    }
    const { connectionType, peer, localNetworkGateway2, virtualNetworkGateway2 } = ctx.props;
    if (
      !ctx.known([connectionType, peer, localNetworkGateway2, virtualNetworkGateway2], "connectionType, peer")
    )
      return;
    if (withoutIpsec(ctx.props)) return;
    azureIpsec(ctx, "", "connectionProtocol", ctx.props);
  },
});

export const FAMILY = family("vpn", "VPN crypto", [awsVpnCrypto, azureVpnCrypto]);
