import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  awsTunnelCrypto,
  awsTunnelOptions,
  azureIpsecPolicy,
  CRYPTO_SUITES,
  type CryptoSuite,
  checkSuite,
  DEFAULT_CRYPTO_SUITE,
  INSIDE_RANGES,
  strongSwanProposals,
  tunnelInsides,
} from "../../components/facts";
import { ConfigError, cidrContains, cidrOverlaps } from "../../components/validation";
import { isAwsPresharedKey } from "../../components/vpn/internal";

describe("crypto suites", () => {
  it("default to IKEv2, AES-256-GCM, SHA-384 and ECP-384, written the same on every end", () => {
    const suite = CRYPTO_SUITES[DEFAULT_CRYPTO_SUITE];
    expect(awsTunnelCrypto(suite)).toEqual({
      ikeVersions: ["ikev2"],
      phase1EncryptionAlgorithms: ["AES256-GCM-16"],
      phase1IntegrityAlgorithms: ["SHA2-384"],
      phase1DhGroupNumbers: [20],
      phase1LifetimeSeconds: 28800,
      phase2EncryptionAlgorithms: ["AES256-GCM-16"],
      phase2IntegrityAlgorithms: ["SHA2-384"],
      phase2DhGroupNumbers: [20],
      phase2LifetimeSeconds: 3600,
      dpdTimeoutSeconds: 30,
    });
    // AWS answers IKE only (the router initiates), with its default rekey margin pinned.
    expect(awsTunnelOptions(suite)).toEqual({
      ...awsTunnelCrypto(suite),
      startupAction: "add",
      dpdTimeoutAction: "clear",
      rekeyMarginTimeSeconds: 270,
    });
    expect(azureIpsecPolicy(suite)).toEqual({
      ikeEncryption: "GCMAES256",
      ikeIntegrity: "SHA384",
      dhGroup: "ECP384",
      ipsecEncryption: "GCMAES256",
      ipsecIntegrity: "GCMAES256",
      pfsGroup: "ECP384",
      saLifeTimeSeconds: 3600,
      saDataSizeKilobytes: 102400000,
    });
    expect(strongSwanProposals(suite)).toEqual({
      ike: "aes256gcm16-prfsha384-ecp384",
      esp: "aes256gcm16-ecp384",
      ikeRekeySeconds: 28800,
      childRekeySeconds: 3600,
      dpdDelaySeconds: 10,
      retransmit: { timeoutSeconds: 2.4, base: 1.5, tries: 3 },
    });
  });

  it.each(Object.entries(CRYPTO_SUITES))(
    "%s maps to one algorithm per phase on every end, with matching lifetimes",
    (_name, suite) => {
      checkSuite("test", suite, ["aws", "azure", "strongswan"]);
      const aws = awsTunnelCrypto(suite);
      const azure = azureIpsecPolicy(suite);
      const swan = strongSwanProposals(suite);
      for (const list of [
        aws.phase1EncryptionAlgorithms,
        aws.phase1IntegrityAlgorithms,
        aws.phase2DhGroupNumbers,
      ]) {
        expect(list).toHaveLength(1);
      }
      expect(aws.ikeVersions).toEqual(["ikev2"]);
      // The same group on every end: AWS's number, Azure's name, strongSwan's keyword.
      const groups: Record<number, [string, string]> = {
        14: ["DHGroup14", "modp2048"],
        19: ["ECP256", "ecp256"],
        20: ["ECP384", "ecp384"],
        24: ["DHGroup24", "modp2048s256"],
      };
      const [azureDh, swanDh] = groups[suite.ike.dhGroup] ?? ["", ""];
      expect(azure.dhGroup).toBe(azureDh);
      expect(swan.ike.endsWith(`-${swanDh}`)).toBe(true);
      expect(aws.phase1DhGroupNumbers).toEqual([suite.ike.dhGroup]);
      expect(swan.esp.endsWith(`-${groups[suite.esp.pfsGroup]?.[1]}`)).toBe(true);
      expect(aws.phase2LifetimeSeconds).toBe(azure.saLifeTimeSeconds);
      expect(swan.childRekeySeconds).toBe(aws.phase2LifetimeSeconds);
      expect(swan.ikeRekeySeconds).toBe(aws.phase1LifetimeSeconds);
      // GCM needs no integrity algorithm in ESP; Azure wants the GCM cipher repeated there.
      if (suite.esp.encryption.includes("gcm")) expect(azure.ipsecIntegrity).toBe(azure.ipsecEncryption);
    },
  );

  it("refuses a suite an end cannot express, naming the end and the value", () => {
    const sha512: CryptoSuite = {
      ...CRYPTO_SUITES["aes256-sha256-modp2048"],
      ike: { encryption: "aes256", hash: "sha512", dhGroup: 14 },
      esp: { encryption: "aes256", hash: "sha384", pfsGroup: 14 },
      childLifetimeSeconds: 7200,
    };
    let error: unknown;
    try {
      checkSuite('VpnLink "x"', sha512, ["aws", "azure", "strongswan"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('azure cannot use this suite: ike.hash "sha512" has no Azure IkeIntegrity');
    expect(message).toContain('azure cannot use this suite: esp.hash "sha384" has no Azure IpsecIntegrity');
    expect(message).toContain(
      "aws cannot use this suite: childLifetimeSeconds 7200 is outside AWS's 900-3600",
    );
    expect(() => checkSuite("x", sha512, ["strongswan"])).not.toThrow();
  });
});

describe("inside addresses", () => {
  it("give every tunnel of every slot its own /30 inside Azure's APIPA range", () => {
    const all = Array.from({ length: 32 }, (_, slot) => tunnelInsides(slot, 4)).flat();
    for (const t of all) expect(INSIDE_RANGES.some((r) => cidrContains(r, t.cidr))).toBe(true);
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++)
        expect(cidrOverlaps(all[i]?.cidr ?? "", all[j]?.cidr ?? "")).toBe(false);
    }
    expect(tunnelInsides(1, 2)).toEqual([
      { cidr: "169.254.21.16/30", first: "169.254.21.17", second: "169.254.21.18" },
      { cidr: "169.254.21.20/30", first: "169.254.21.21", second: "169.254.21.22" },
    ]);
    expect(tunnelInsides(16, 1)[0]?.cidr).toBe("169.254.22.0/30");
    expect(() => tunnelInsides(32, 1)).toThrow(/slot 32/);
    expect(() => tunnelInsides(0, 5)).toThrow(/1-4 tunnels/);
  });
});

describe("pre-shared keys", () => {
  it("accepts only what AWS accepts: 8-64 of letters, digits, . and _, not starting with 0", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^k[A-Za-z0-9._]{47}$/), (key) => {
        expect(isAwsPresharedKey(key)).toBe(true);
      }),
    );
    expect(isAwsPresharedKey("0abcdefgh")).toBe(false);
    expect(isAwsPresharedKey("short")).toBe(false);
    expect(isAwsPresharedKey("has-dash-in-it")).toBe(false);
  });
});
