// Azure's IPsec policy vocabulary (the VirtualNetworkGatewayConnection API's enums), written here
// so the declarations of this folder need no Azure package: an AWS-only consumer compiles without it.
type IkeEncryption = "DES" | "DES3" | "AES128" | "AES192" | "AES256" | "GCMAES128" | "GCMAES256";
type IkeIntegrity = "MD5" | "SHA1" | "SHA256" | "SHA384" | "GCMAES128" | "GCMAES256";
type IpsecEncryption =
  | "None"
  | "DES"
  | "DES3"
  | "AES128"
  | "AES192"
  | "AES256"
  | "GCMAES128"
  | "GCMAES192"
  | "GCMAES256";
type IpsecIntegrity = "MD5" | "SHA1" | "SHA256" | "GCMAES128" | "GCMAES192" | "GCMAES256";
type AzureDhGroup =
  | "None"
  | "DHGroup1"
  | "DHGroup2"
  | "DHGroup14"
  | "DHGroup2048"
  | "ECP256"
  | "ECP384"
  | "DHGroup24";
type PfsGroup = "None" | "PFS1" | "PFS2" | "PFS2048" | "ECP256" | "ECP384" | "PFS24" | "PFS14" | "PFSMM";

import { ConfigError, type ConfigIssue } from "../validation";

// IPsec crypto suites, named once and written in each end's vocabulary: AWS tunnel options, an
// Azure IpsecPolicy, strongSwan proposals. Only IKEv2 exists here, and only algorithms every
// current benchmark accepts (no SHA1, no DH below 14, no AES-CBC-128), so a weak suite cannot even
// be written down. Sources: AWS Site-to-Site VPN tunnel options; Azure "IPsec/IKE policy" FAQ and
// the network API enums; strongSwan's proposal keywords.

/** Encryption, for IKE and ESP: AES-GCM with a 16-byte ICV, or AES-256-CBC. */
export type Encryption = "aes256gcm16" | "aes128gcm16" | "aes256";
/** Integrity and PRF hashes. */
export type Hash = "sha256" | "sha384" | "sha512";
/** Diffie-Hellman groups (RFC 3526 / 5903 numbers): MODP 2048, 2048-256, ECP 256, 384. */
export type DhGroup = 14 | 19 | 20 | 24;

/** One IPsec crypto suite: what both ends of every tunnel negotiate. */
export interface CryptoSuite {
  /** IKE SA (phase 1): encryption, PRF (and integrity, for CBC) and key exchange. */
  ike: { encryption: Encryption; hash: Hash; dhGroup: DhGroup };
  /** Child SA (phase 2, ESP): encryption, integrity (CBC only; GCM carries its own) and the PFS group. */
  esp: { encryption: Encryption; hash: Hash; pfsGroup: DhGroup };
  /** IKE SA lifetime, seconds: AWS accepts 900-28800 and Azure fixes it at 28800. */
  ikeLifetimeSeconds: number;
  /** Child SA lifetime, seconds: AWS accepts 900-3600 (below the IKE lifetime), Azure 300 and up. */
  childLifetimeSeconds: number;
  /**
   * Seconds without an answer before a peer is declared dead (DPD): AWS's DPDTimeoutSeconds (30 or
   * more), Azure's connection DPD timeout (9-3600; Azure recommends 30-45), and the router's DPD
   * delay and retransmissions together.
   */
  dpdTimeoutSeconds: number;
}

/**
 * The named suites. The default is what the NSA's CNSA suite and BSI TR-02102-3 recommend and
 * every end here speaks: AES-256-GCM, SHA-384, ECP-384 for the key exchange and PFS.
 */
export const CRYPTO_SUITES = {
  "aes256gcm-sha384-ecp384": {
    ike: { encryption: "aes256gcm16", hash: "sha384", dhGroup: 20 },
    esp: { encryption: "aes256gcm16", hash: "sha384", pfsGroup: 20 },
    ikeLifetimeSeconds: 28800,
    childLifetimeSeconds: 3600,
    dpdTimeoutSeconds: 30,
  },
  "aes256gcm-sha256-ecp256": {
    ike: { encryption: "aes256gcm16", hash: "sha256", dhGroup: 19 },
    esp: { encryption: "aes256gcm16", hash: "sha256", pfsGroup: 19 },
    ikeLifetimeSeconds: 28800,
    childLifetimeSeconds: 3600,
    dpdTimeoutSeconds: 30,
  },
  /** For routers without GCM: AES-256-CBC with SHA-256 and MODP-2048. */
  "aes256-sha256-modp2048": {
    ike: { encryption: "aes256", hash: "sha256", dhGroup: 14 },
    esp: { encryption: "aes256", hash: "sha256", pfsGroup: 14 },
    ikeLifetimeSeconds: 28800,
    childLifetimeSeconds: 3600,
    dpdTimeoutSeconds: 30,
  },
} as const satisfies Record<string, CryptoSuite>;

/** A suite's name in the table. */
export type CryptoSuiteName = keyof typeof CRYPTO_SUITES;

/** The suite every link uses unless it names another. */
export const DEFAULT_CRYPTO_SUITE: CryptoSuiteName = "aes256gcm-sha384-ecp384";

/** Whether an encryption is an AEAD cipher (integrity built in). */
export function isAead(encryption: Encryption): boolean {
  return encryption.includes("gcm");
}

// --- each end's vocabulary ------------------------------------------------------------------

const AWS_ENCRYPTION: Record<Encryption, string> = {
  aes256gcm16: "AES256-GCM-16",
  aes128gcm16: "AES128-GCM-16",
  aes256: "AES256",
};
const AWS_HASH: Record<Hash, string> = { sha256: "SHA2-256", sha384: "SHA2-384", sha512: "SHA2-512" };

// Azure's enums (network API 2024-05-01). A missing entry is a value Azure cannot express.
// Typed by azure-native's enums, so a value the API does not know fails the type check.
const AZURE_IKE_ENCRYPTION: Record<Encryption, IkeEncryption & IpsecEncryption> = {
  aes256gcm16: "GCMAES256",
  aes128gcm16: "GCMAES128",
  aes256: "AES256",
};
const AZURE_IKE_INTEGRITY: Partial<Record<Hash, IkeIntegrity>> = { sha256: "SHA256", sha384: "SHA384" };
const AZURE_ESP_INTEGRITY: Partial<Record<Hash, IpsecIntegrity>> = { sha256: "SHA256" };
// Azure requires a GCM cipher's integrity to name the same GCM cipher.
const AZURE_GCM_INTEGRITY: Partial<Record<Encryption, IpsecIntegrity>> = {
  aes256gcm16: "GCMAES256",
  aes128gcm16: "GCMAES128",
};
const AZURE_DH: Record<DhGroup, AzureDhGroup> = {
  14: "DHGroup14",
  19: "ECP256",
  20: "ECP384",
  24: "DHGroup24",
};
const AZURE_PFS: Record<DhGroup, PfsGroup> = { 14: "PFS2048", 19: "ECP256", 20: "ECP384", 24: "PFS24" };

const SWAN_DH: Record<DhGroup, string> = { 14: "modp2048", 19: "ecp256", 20: "ecp384", 24: "modp2048s256" };

/** AWS's limits on tunnel lifetimes and DPD (Site-to-Site VPN tunnel options). */
const AWS_LIMITS = { ike: [900, 28800], child: [900, 3600], dpdMin: 30 } as const;
/** Azure fixes the IKE SA lifetime; child SAs may live 300 s and up; DPD 9-3600 s. */
const AZURE_LIMITS = { ike: 28800, childMin: 300, dpd: [9, 3600] } as const;

/** AWS tunnel options for one tunnel (the `tunnel1*`/`tunnel2*` inputs without their prefix). */
export interface AwsTunnelCrypto {
  ikeVersions: string[];
  phase1EncryptionAlgorithms: string[];
  phase1IntegrityAlgorithms: string[];
  phase1DhGroupNumbers: number[];
  phase1LifetimeSeconds: number;
  phase2EncryptionAlgorithms: string[];
  phase2IntegrityAlgorithms: string[];
  phase2DhGroupNumbers: number[];
  phase2LifetimeSeconds: number;
  dpdTimeoutSeconds: number;
}

/** Azure's `IpsecPolicy` (all eight fields are required by the API). */
export interface AzureIpsecPolicy {
  ikeEncryption: IkeEncryption;
  ikeIntegrity: IkeIntegrity;
  dhGroup: AzureDhGroup;
  ipsecEncryption: IpsecEncryption;
  ipsecIntegrity: IpsecIntegrity;
  pfsGroup: PfsGroup;
  saLifeTimeSeconds: number;
  saDataSizeKilobytes: number;
}

/** strongSwan's swanctl proposals for a connection (`proposals`) and its child (`esp_proposals`). */
export interface StrongSwanProposals {
  ike: string;
  esp: string;
  ikeRekeySeconds: number;
  childRekeySeconds: number;
  /** Seconds without traffic before charon sends a DPD request (`dpd_delay`). */
  dpdDelaySeconds: number;
  /**
   * charon's retransmission of an unanswered request (strongswan.conf `charon.retransmit_*`,
   * global to the daemon): with DPD, the time to declare a peer dead is `dpdDelaySeconds` plus
   * `timeout * (1 + base + ... + base^tries)`. strongSwan's defaults (4 s, 1.8, 5 tries) take 165 s.
   */
  retransmit: { timeoutSeconds: number; base: number; tries: number };
}

/** The ends that speak a suite. */
export type VpnEnd = "aws" | "azure" | "strongswan";

/** Every reason `suite` cannot be written for `end`; empty when it can. */
export function suiteProblems(suite: CryptoSuite, end: VpnEnd): string[] {
  const problems: string[] = [];
  const [ikeMin, ikeMax] = AWS_LIMITS.ike;
  const [childMin, childMax] = AWS_LIMITS.child;
  if (end === "aws") {
    if (suite.ikeLifetimeSeconds < ikeMin || suite.ikeLifetimeSeconds > ikeMax)
      problems.push(`ikeLifetimeSeconds ${suite.ikeLifetimeSeconds} is outside AWS's ${ikeMin}-${ikeMax}`);
    if (suite.childLifetimeSeconds < childMin || suite.childLifetimeSeconds > childMax)
      problems.push(
        `childLifetimeSeconds ${suite.childLifetimeSeconds} is outside AWS's ${childMin}-${childMax}`,
      );
    if (suite.childLifetimeSeconds >= suite.ikeLifetimeSeconds)
      problems.push("childLifetimeSeconds must be below ikeLifetimeSeconds for AWS");
    if (suite.dpdTimeoutSeconds < AWS_LIMITS.dpdMin)
      problems.push(
        `dpdTimeoutSeconds ${suite.dpdTimeoutSeconds} is below AWS's minimum ${AWS_LIMITS.dpdMin}`,
      );
  }
  if (end === "azure") {
    if (AZURE_IKE_INTEGRITY[suite.ike.hash] === undefined)
      problems.push(`ike.hash "${suite.ike.hash}" has no Azure IkeIntegrity (SHA256, SHA384)`);
    if (!isAead(suite.esp.encryption) && AZURE_ESP_INTEGRITY[suite.esp.hash] === undefined)
      problems.push(`esp.hash "${suite.esp.hash}" has no Azure IpsecIntegrity for CBC (SHA256 only)`);
    if (suite.ikeLifetimeSeconds !== AZURE_LIMITS.ike)
      problems.push(
        `ikeLifetimeSeconds ${suite.ikeLifetimeSeconds}: Azure fixes the IKE SA lifetime at ${AZURE_LIMITS.ike}`,
      );
    if (suite.childLifetimeSeconds < AZURE_LIMITS.childMin)
      problems.push(
        `childLifetimeSeconds ${suite.childLifetimeSeconds} is below Azure's minimum ${AZURE_LIMITS.childMin}`,
      );
    const [dpdMin, dpdMax] = AZURE_LIMITS.dpd;
    if (suite.dpdTimeoutSeconds < dpdMin || suite.dpdTimeoutSeconds > dpdMax)
      problems.push(`dpdTimeoutSeconds ${suite.dpdTimeoutSeconds} is outside Azure's ${dpdMin}-${dpdMax}`);
  }
  return problems;
}

/**
 * Throws one ConfigError naming every end that cannot express `suite`, and what it cannot; `subject`
 * says whose suite it is (e.g. `VpnLink "aws-dc1"`).
 */
export function checkSuite(
  subject: string,
  suite: CryptoSuite,
  ends: readonly VpnEnd[],
  path = "crypto",
): void {
  const issues: ConfigIssue[] = ends.flatMap((end) =>
    suiteProblems(suite, end).map((message) => ({
      path,
      message: `${end} cannot use this suite: ${message}`,
    })),
  );
  if (issues.length > 0) throw new ConfigError(subject, issues);
}

/** The suite as AWS tunnel options: IKEv2 only, one value per list, so nothing weaker is offered. */
export function awsTunnelCrypto(suite: CryptoSuite): AwsTunnelCrypto {
  return {
    ikeVersions: ["ikev2"],
    phase1EncryptionAlgorithms: [AWS_ENCRYPTION[suite.ike.encryption]],
    // With GCM this is the PRF; listing one value keeps AWS's SHA1 default out.
    phase1IntegrityAlgorithms: [AWS_HASH[suite.ike.hash]],
    phase1DhGroupNumbers: [suite.ike.dhGroup],
    phase1LifetimeSeconds: suite.ikeLifetimeSeconds,
    phase2EncryptionAlgorithms: [AWS_ENCRYPTION[suite.esp.encryption]],
    phase2IntegrityAlgorithms: [AWS_HASH[suite.esp.hash]],
    phase2DhGroupNumbers: [suite.esp.pfsGroup],
    phase2LifetimeSeconds: suite.childLifetimeSeconds,
    dpdTimeoutSeconds: suite.dpdTimeoutSeconds,
  };
}

/** The suite as Azure's IpsecPolicy; call `checkSuite` first (an inexpressible value throws here). */
export function azureIpsecPolicy(suite: CryptoSuite): AzureIpsecPolicy {
  const ikeIntegrity = AZURE_IKE_INTEGRITY[suite.ike.hash];
  const espIntegrity = isAead(suite.esp.encryption)
    ? AZURE_GCM_INTEGRITY[suite.esp.encryption]
    : AZURE_ESP_INTEGRITY[suite.esp.hash];
  if (ikeIntegrity === undefined || espIntegrity === undefined) {
    throw new Error("azureIpsecPolicy: the suite has a hash Azure cannot express; checkSuite says which");
  }
  return {
    ikeEncryption: AZURE_IKE_ENCRYPTION[suite.ike.encryption],
    ikeIntegrity,
    dhGroup: AZURE_DH[suite.ike.dhGroup],
    ipsecEncryption: AZURE_IKE_ENCRYPTION[suite.esp.encryption],
    // Azure requires GCM integrity to repeat the GCM encryption.
    ipsecIntegrity: espIntegrity,
    pfsGroup: AZURE_PFS[suite.esp.pfsGroup],
    saLifeTimeSeconds: suite.childLifetimeSeconds,
    // Azure's default; the lifetime in seconds rekeys first at these speeds.
    saDataSizeKilobytes: 102_400_000,
  };
}

/** Retransmissions of an unanswered IKE request before charon gives up, and their back-off. */
const RETRANSMIT_TRIES = 3;
const RETRANSMIT_BASE = 1.5;

/**
 * The suite as strongSwan proposals. An AEAD IKE proposal names its PRF explicitly (strongSwan
 * derives one only from an integrity algorithm); ESP with GCM has no integrity algorithm.
 */
export function strongSwanProposals(suite: CryptoSuite): StrongSwanProposals {
  const ike = isAead(suite.ike.encryption)
    ? `${suite.ike.encryption}-prf${suite.ike.hash}-${SWAN_DH[suite.ike.dhGroup]}`
    : `${suite.ike.encryption}-${suite.ike.hash}-${SWAN_DH[suite.ike.dhGroup]}`;
  const esp = isAead(suite.esp.encryption)
    ? `${suite.esp.encryption}-${SWAN_DH[suite.esp.pfsGroup]}`
    : `${suite.esp.encryption}-${suite.esp.hash}-${SWAN_DH[suite.esp.pfsGroup]}`;
  // Probe after a third of the suite's DPD timeout, and give up on retransmissions within the
  // rest of it: the router declares a dead peer within the timeout AWS and Azure use.
  const dpdDelaySeconds = Math.max(5, Math.floor(suite.dpdTimeoutSeconds / 3));
  const budget = suite.dpdTimeoutSeconds - dpdDelaySeconds;
  const base = RETRANSMIT_BASE;
  const tries = RETRANSMIT_TRIES;
  const factor = Array.from({ length: tries + 1 }, (_, n) => base ** n).reduce((a, b) => a + b, 0);
  const timeoutSeconds = Math.max(1, Math.floor((budget / factor) * 10) / 10);
  return {
    ike,
    esp,
    ikeRekeySeconds: suite.ikeLifetimeSeconds,
    childRekeySeconds: suite.childLifetimeSeconds,
    dpdDelaySeconds,
    retransmit: { timeoutSeconds, base, tries },
  };
}

/** Seconds the router takes to declare a silent peer dead with `proposals`' DPD and retransmission. */
export function deadPeerSeconds(proposals: StrongSwanProposals): number {
  const { timeoutSeconds, base, tries } = proposals.retransmit;
  const waits = Array.from({ length: tries + 1 }, (_, n) => timeoutSeconds * base ** n);
  return proposals.dpdDelaySeconds + waits.reduce((a, b) => a + b, 0);
}
