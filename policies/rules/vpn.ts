// The VPN crypto profile: IKEv2 only, no SHA-1 (or MD5), no AES-128-CBC (or DES), Diffie-Hellman
// group 14 or stronger and never the small-subgroup MODP groups 22-24 (RFC 8247 section 2.4), and
// every tunnel parameter pinned: left unset, AWS and Azure both accept their weak defaults.
import { get, list, type Props, type Report, resourceRule, strings } from "./kit";

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

const minGroup = (config: Record<string, unknown>) => Number(config.minDhGroup ?? 14);

// AWS Site-to-Site VPN names, per tunnel parameter: the values that are too weak.
const AWS_WEAK: Record<string, ReadonlySet<string>> = {
  Phase1EncryptionAlgorithms: new Set(["AES128"]),
  Phase1IntegrityAlgorithms: new Set(["SHA1"]),
  Phase2EncryptionAlgorithms: new Set(["AES128"]),
  Phase2IntegrityAlgorithms: new Set(["SHA1"]),
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

export const awsVpnCrypto = resourceRule({
  name: "aws-vpn-strong-crypto",
  description:
    "AWS Site-to-Site VPN tunnels use IKEv2 only, no SHA-1, no AES-128-CBC, Diffie-Hellman group 14 or stronger (never 22-24), with every parameter of both tunnels pinned.",
  remediation:
    "Set tunnel1*/tunnel2* IkeVersions [ikev2], Phase1/Phase2 EncryptionAlgorithms (AES256-GCM-16), IntegrityAlgorithms (SHA2-384), DhGroupNumbers (20) on the VpnConnection; hybrid-ai-infra's VpnLink does this.",
  benchmarks: ["hybrid-ai-infra:vpn-crypto"],
  enforcementLevel: "mandatory",
  configSchema: DH_SCHEMA,
  types: ["aws:ec2/vpnConnection:VpnConnection"],
  check: ({ props, config }, report) => {
    for (const tunnel of ["tunnel1", "tunnel2"]) {
      const unset = AWS_PINNED.filter((f) => list(props[`${tunnel}${f}`]).length === 0);
      if (unset.length > 0) {
        report(
          `${tunnel} leaves ${unset.map((f) => `${tunnel}${f}`).join(", ")} unset, so AWS also accepts its weak defaults (IKEv1, AES128, SHA1, DH group 2); pin each one`,
        );
      }
      const ike = strings(props[`${tunnel}IkeVersions`]).filter((v) => v !== "ikev2");
      if (ike.length > 0) report(`${tunnel}IkeVersions allows ${ike.join(", ")}; only ikev2 is allowed`);
      for (const [field, weak] of Object.entries(AWS_WEAK)) {
        const found = strings(props[`${tunnel}${field}`]).filter((v) => weak.has(v));
        if (found.length > 0)
          report(
            `${tunnel}${field} allows ${found.join(", ")}; use ${field.includes("Encryption") ? "AES256-GCM-16 or AES256" : "SHA2-256 or stronger"}`,
          );
      }
      for (const phase of ["Phase1", "Phase2"]) {
        for (const group of list(props[`${tunnel}${phase}DhGroupNumbers`]).map(Number)) {
          const why = weakGroup(group, minGroup(config));
          if (why) report(`${tunnel}${phase}DhGroupNumbers allows group ${group}, ${why}; use 19, 20 or 21`);
        }
      }
    }
  },
});

// Azure's IPsec policy names: weak values, and the Diffie-Hellman group each DH or PFS name means.
const AZURE_WEAK_CIPHERS = new Set(["None", "DES", "DES3", "AES128"]);
const AZURE_WEAK_INTEGRITY = new Set(["MD5", "SHA1"]);
const AZURE_GROUPS: Record<string, number> = {
  None: 0,
  DHGroup1: 1,
  DHGroup2: 2,
  DHGroup14: 14,
  DHGroup2048: 14,
  ECP256: 19,
  ECP384: 20,
  DHGroup24: 24,
  PFS1: 1,
  PFS2: 2,
  PFS14: 14,
  PFS2048: 14,
  PFS24: 24,
};

function azurePolicy(p: Props, i: number, min: number, report: Report): void {
  const at = `ipsecPolicies[${i}]`;
  for (const field of ["ikeEncryption", "ipsecEncryption"]) {
    const v = String(p[field] ?? "None");
    if (AZURE_WEAK_CIPHERS.has(v)) report(`${at}.${field} is ${v}; use GCMAES256 (or AES256)`);
  }
  for (const field of ["ikeIntegrity", "ipsecIntegrity"]) {
    const v = String(p[field] ?? "None");
    if (AZURE_WEAK_INTEGRITY.has(v)) report(`${at}.${field} is ${v}; use SHA384 or GCMAES256`);
  }
  for (const field of ["dhGroup", "pfsGroup"]) {
    const v = String(p[field] ?? "None");
    // PFSMM reuses the IKE group, checked as dhGroup.
    if (v === "PFSMM") continue;
    const group = AZURE_GROUPS[v];
    const why =
      group === undefined
        ? "not a group this rule knows"
        : group === 0
          ? "no Diffie-Hellman at all"
          : weakGroup(group, min);
    if (why) report(`${at}.${field} is ${v}, ${why}; use ECP384 (or ECP256)`);
  }
}

export const azureVpnCrypto = resourceRule({
  name: "azure-vpn-strong-crypto",
  description:
    "Azure VPN connections use IKEv2 with a custom IPsec policy: no SHA-1 or MD5, no DES or AES-128-CBC, Diffie-Hellman and PFS group 14 or stronger (never 24).",
  remediation:
    "Set connectionProtocol IKEv2 and one ipsecPolicies entry (ikeEncryption GCMAES256, ikeIntegrity SHA384, dhGroup ECP384, ipsecEncryption GCMAES256, ipsecIntegrity GCMAES256, pfsGroup ECP384); without it Azure offers its default proposals, SHA-1 and DH group 2 among them.",
  benchmarks: ["hybrid-ai-infra:vpn-crypto", "mcsb:DP-3"],
  enforcementLevel: "mandatory",
  configSchema: DH_SCHEMA,
  types: ["azure-native:network:VirtualNetworkGatewayConnection"],
  check: ({ props, config }, report) => {
    // ExpressRoute and VNet-to-VNet connections carry no IPsec proposal of their own to check.
    if (props.connectionType !== undefined && props.connectionType !== "IPsec") return;
    const protocol = props.connectionProtocol ?? "IKEv2";
    if (protocol !== "IKEv2") report(`connectionProtocol is ${String(protocol)}; only IKEv2 is allowed`);
    const policies = list(get(props, "ipsecPolicies")) as Props[];
    if (policies.length === 0)
      report(
        "ipsecPolicies is empty, so Azure offers its default proposals (SHA-1, DH group 2 among them); give one strong policy",
      );
    for (const [i, p] of policies.entries()) azurePolicy(p, i, minGroup(config), report);
  },
});

export const VPN_RULES = [awsVpnCrypto, azureVpnCrypto];
