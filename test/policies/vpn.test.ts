import { describe, expect, it } from "vitest";
import {
  awsTunnelCrypto,
  azureIpsecPolicy,
  CRYPTO_SUITES,
  type CryptoSuite,
  DEFAULT_CRYPTO_SUITE,
} from "../../components/facts";
import { awsVpnCrypto, azureVpnCrypto } from "../../policies/rules/vpn";
import { violations } from "./evaluate";

const AWS = "aws:ec2/vpnConnection:VpnConnection";
const AZURE = "azure-native:network:VirtualNetworkGatewayConnection";

/** Both tunnels as VpnLink renders them for a suite: each crypto field of `awsTunnelCrypto`, per tunnel. */
function pinned(suite: CryptoSuite = CRYPTO_SUITES[DEFAULT_CRYPTO_SUITE]): Record<string, unknown> {
  const crypto = awsTunnelCrypto(suite);
  const out: Record<string, unknown> = {};
  for (const t of ["tunnel1", "tunnel2"])
    for (const [field, value] of Object.entries(crypto))
      out[`${t}${field.charAt(0).toUpperCase()}${field.slice(1)}`] = value;
  return out;
}

describe("aws-vpn-strong-crypto", () => {
  it("passes every suite the library offers, as VpnLink renders it on both tunnels", async () => {
    for (const suite of Object.values(CRYPTO_SUITES))
      expect(await violations(awsVpnCrypto, AWS, pinned(suite))).toEqual([]);
  });

  it("refuses a tunnel left to AWS's defaults", async () => {
    const { tunnel2Phase2DhGroupNumbers: _dropped, ...props } = pinned();
    expect(await violations(awsVpnCrypto, AWS, props)).toEqual([
      "tunnel2 leaves tunnel2Phase2DhGroupNumbers unset, so AWS also accepts its weak defaults (IKEv1, AES128, SHA1, DH group 2); pin each one",
    ]);
  });

  it("refuses IKEv1, SHA-1, AES-128-CBC, groups below the minimum and groups 22-24", async () => {
    const props = {
      ...pinned(),
      tunnel1IkeVersions: ["ikev1", "ikev2"],
      tunnel1Phase1IntegrityAlgorithms: ["SHA1", "SHA2-256"],
      tunnel1Phase2EncryptionAlgorithms: ["AES128"],
      tunnel2Phase1DhGroupNumbers: [2, 24],
    };
    const found = await violations(awsVpnCrypto, AWS, props);
    expect(found).toEqual([
      "tunnel1IkeVersions allows ikev1; only ikev2 is allowed",
      "tunnel1Phase1IntegrityAlgorithms allows SHA1; use SHA2-256 or stronger",
      "tunnel1Phase2EncryptionAlgorithms allows AES128; use AES256-GCM-16 or AES256",
      "tunnel2Phase1DhGroupNumbers allows group 2, below group 14; use 19, 20 or 21",
      "tunnel2Phase1DhGroupNumbers allows group 24, a MODP group with small subgroups (RFC 8247 forbids 22-24); use 19, 20 or 21",
    ]);
  });

  it("raises the floor with minDhGroup", async () => {
    const props = { ...pinned(), tunnel1Phase1DhGroupNumbers: [14] };
    expect(await violations(awsVpnCrypto, AWS, props, { minDhGroup: 19 })).toEqual([
      "tunnel1Phase1DhGroupNumbers allows group 14, below group 19; use 19, 20 or 21",
    ]);
  });
});

describe("azure-vpn-strong-crypto", () => {
  const strong = {
    connectionType: "IPsec",
    connectionProtocol: "IKEv2",
    ipsecPolicies: [
      {
        ikeEncryption: "GCMAES256",
        ikeIntegrity: "SHA384",
        dhGroup: "ECP384",
        ipsecEncryption: "GCMAES256",
        ipsecIntegrity: "GCMAES256",
        pfsGroup: "ECP384",
      },
    ],
  };

  it("passes IKEv2 with the policy the library renders for every suite it offers", async () => {
    for (const suite of Object.values(CRYPTO_SUITES)) {
      const rendered = { ...strong, ipsecPolicies: [azureIpsecPolicy(suite)] };
      expect(await violations(azureVpnCrypto, AZURE, rendered)).toEqual([]);
    }
  });

  it("refuses a connection without a custom policy, or with IKEv1", async () => {
    expect(
      await violations(azureVpnCrypto, AZURE, { connectionType: "IPsec", connectionProtocol: "IKEv1" }),
    ).toEqual([
      "connectionProtocol is IKEv1; only IKEv2 is allowed",
      "ipsecPolicies is empty, so Azure offers its default proposals (SHA-1, DH group 2 among them); give one strong policy",
    ]);
  });

  it("refuses weak ciphers, integrity, groups and no PFS", async () => {
    const weak = {
      ...strong,
      ipsecPolicies: [
        {
          ikeEncryption: "AES128",
          ikeIntegrity: "SHA1",
          dhGroup: "DHGroup2",
          ipsecEncryption: "AES256",
          ipsecIntegrity: "SHA256",
          pfsGroup: "None",
        },
      ],
    };
    expect(await violations(azureVpnCrypto, AZURE, weak)).toEqual([
      "ipsecPolicies[0].ikeEncryption is AES128; use GCMAES256 (or AES256)",
      "ipsecPolicies[0].ikeIntegrity is SHA1; use SHA384 or GCMAES256",
      "ipsecPolicies[0].dhGroup is DHGroup2, below group 14; use ECP384 (or ECP256)",
      "ipsecPolicies[0].pfsGroup is None, no Diffie-Hellman at all; use ECP384 (or ECP256)",
    ]);
  });

  it("leaves VNet-to-VNet and ExpressRoute connections alone", async () => {
    expect(await violations(azureVpnCrypto, AZURE, { connectionType: "Vnet2Vnet" })).toEqual([]);
  });
});
