// The VPN crypto rules on what the library renders for every suite it offers (not hand-copied
// tunnel options), on every spelling of a weak value, and on connection types that claim to carry
// no IPsec.
import { describe, expect, it } from "vitest";
import {
  awsTunnelCrypto,
  azureIpsecPolicy,
  CRYPTO_SUITES,
  type CryptoSuiteName,
} from "../../components/facts";
import { awsVpnCrypto, azureVpnCrypto } from "../../policies/rules/vpn";
import { ruleCases } from "./cases";
import { violations } from "./evaluate";

const AWS = "aws:ec2/vpnConnection:VpnConnection";
const AZURE = "azure-native:network:VirtualNetworkGatewayConnection";

/** Both tunnels of a connection, as the library renders them for `suite`. */
function awsConnection(suite: CryptoSuiteName): Record<string, unknown> {
  const crypto = awsTunnelCrypto(CRYPTO_SUITES[suite]) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const tunnel of ["tunnel1", "tunnel2"])
    for (const [field, value] of Object.entries(crypto))
      out[`${tunnel}${field[0]?.toUpperCase()}${field.slice(1)}`] = value;
  return out;
}
const azureConnection = (suite: CryptoSuiteName) => ({
  connectionProtocol: "IKEv2",
  connectionType: "IPsec",
  ipsecPolicies: [azureIpsecPolicy(CRYPTO_SUITES[suite])],
});

/** aws-native's spelling of a pinned connection: one spec per tunnel, each parameter a list of { value }. */
function nativeConnection(phase1Groups: number[], phase1GroupsKey: string): Record<string, unknown> {
  const values = (xs: (string | number)[]) => xs.map((value) => ({ value }));
  const spec = {
    ikeVersions: values(["ikev2"]),
    phase1EncryptionAlgorithms: values(["AES256-GCM-16"]),
    phase1IntegrityAlgorithms: values(["SHA2-384"]),
    [phase1GroupsKey]: values(phase1Groups),
    phase2EncryptionAlgorithms: values(["AES256-GCM-16"]),
    phase2IntegrityAlgorithms: values(["SHA2-384"]),
    phase2DhGroupNumbers: values([20]),
  };
  return { customerGatewayId: "cgw", type: "ipsec.1", vpnTunnelOptionsSpecifications: [spec, spec] };
}

describe("the VPN rules on every suite the library offers", () => {
  for (const suite of Object.keys(CRYPTO_SUITES) as CryptoSuiteName[]) {
    it(`pass ${suite}`, async () => {
      expect(await violations(awsVpnCrypto, AWS, awsConnection(suite))).toEqual([]);
      expect(await violations(azureVpnCrypto, AZURE, azureConnection(suite))).toEqual([]);
    });
  }
});

const suite = Object.keys(CRYPTO_SUITES)[0] as CryptoSuiteName;
const good = awsConnection(suite);

ruleCases(awsVpnCrypto, [
  {
    name: "aws-native's connection with both tunnels pinned (keys in either case)",
    type: "aws-native:ec2:VpnConnection",
    props: nativeConnection([20], "phase1DhGroupNumbers"),
  },
  {
    name: "aws-native's connection with no tunnel options (AWS's weak defaults)",
    type: "aws-native:ec2:VpnConnection",
    props: { customerGatewayId: "cgw", type: "ipsec.1" },
    fails: ["tunnel1 leaves", "tunnel2 leaves"],
  },
  {
    name: "aws-native's connection allowing DH group 2 on both tunnels, keys spelled DH",
    type: "aws-native:ec2:VpnConnection",
    props: nativeConnection([20, 2], "phase1DHGroupNumbers"),
    fails: ["tunnel1Phase1DhGroupNumbers allows group 2", "tunnel2Phase1DhGroupNumbers allows group 2"],
  },
  { name: "the default suite", type: AWS, props: good },
  {
    name: "IKEv1 allowed",
    type: AWS,
    props: { ...good, tunnel1IkeVersions: ["ikev1", "ikev2"] },
    fails: ['tunnel1IkeVersions allows "ikev1"'],
  },
  {
    name: "IKEv1 in capitals",
    type: AWS,
    props: { ...good, tunnel2IkeVersions: ["IKEV1"] },
    fails: ['tunnel2IkeVersions allows "IKEV1"'],
  },
  {
    name: "sha1 in lower case",
    type: AWS,
    props: { ...good, tunnel1Phase1IntegrityAlgorithms: ["sha1"] },
    fails: ['allows "sha1"'],
  },
  {
    name: "AES128-GCM",
    type: AWS,
    props: { ...good, tunnel1Phase2EncryptionAlgorithms: ["AES128-GCM-16"] },
    fails: ['"AES128-GCM-16"'],
  },
  {
    name: "DH group 2, as a string",
    type: AWS,
    props: { ...good, tunnel1Phase1DhGroupNumbers: ["2"] },
    fails: ['group "2", below group 14'],
  },
  {
    name: "DH group 24",
    type: AWS,
    props: { ...good, tunnel2Phase2DhGroupNumbers: [24] },
    fails: ["small subgroups"],
  },
  {
    name: "DH 19 under minDhGroup 20",
    type: AWS,
    props: { ...good, tunnel1Phase1DhGroupNumbers: [19] },
    config: { minDhGroup: 20 },
    fails: ["below group 20"],
  },
  {
    name: "a tunnel left to AWS's defaults",
    type: AWS,
    props: Object.fromEntries(Object.entries(good).filter(([k]) => k.startsWith("tunnel1"))),
    fails: ["tunnel2 leaves"],
  },
]);

const policy = azureIpsecPolicy(CRYPTO_SUITES[suite]) as unknown as Record<string, unknown>;
const azure = (over: Record<string, unknown>, policyOver: Record<string, unknown> = {}) => ({
  ...azureConnection(suite),
  ...over,
  ipsecPolicies: [{ ...policy, ...policyOver }],
});

ruleCases(azureVpnCrypto, [
  {
    name: "a Virtual WAN connection whose links use the library's policy",
    type: "azure-native:network:VpnConnection",
    props: {
      vpnLinkConnections: [
        {
          name: "l1",
          vpnConnectionProtocolType: "IKEv2",
          ipsecPolicies: azureConnection(suite).ipsecPolicies,
        },
      ],
    },
  },
  {
    name: "a Virtual WAN connection with no links and no policy",
    type: "azure-native:network:VpnConnection",
    props: {},
    fails: ["ipsecPolicies is empty"],
  },
  {
    name: "a Virtual WAN link on IKEv1 (lower case) with default proposals",
    type: "azure-native:network/v20240301:VpnConnection",
    props: { vpnLinkConnections: [{ name: "l1", vpnConnectionProtocolType: "ikev1" }] },
    fails: [
      "vpnLinkConnections[0].vpnConnectionProtocolType is",
      "vpnLinkConnections[0].ipsecPolicies is empty",
    ],
  },
  { name: "the default suite", type: AZURE, props: azureConnection(suite) },
  {
    name: "values in lower case",
    type: AZURE,
    props: azure(
      { connectionProtocol: "ikev2", connectionType: "ipsec" },
      { ikeEncryption: "gcmaes256", dhGroup: "ecp384", pfsGroup: "ecp384" },
    ),
  },
  {
    name: "an ExpressRoute connection to a circuit",
    type: AZURE,
    props: {
      connectionType: "ExpressRoute",
      peer: { id: "/subscriptions/0/resourceGroups/r/providers/Microsoft.Network/expressRouteCircuits/c" },
    },
  },
  { name: "IKEv1", type: AZURE, props: azure({ connectionProtocol: "IKEv1" }), fails: ["only IKEv2"] },
  {
    name: "sha1 in lower case",
    type: AZURE,
    props: azure({}, { ikeIntegrity: "sha1" }),
    fails: ['ikeIntegrity is "sha1"'],
  },
  {
    name: "DH group 2 in lower case",
    type: AZURE,
    props: azure({}, { dhGroup: "dhgroup2" }),
    fails: ["below group 14"],
  },
  { name: "PFS24", type: AZURE, props: azure({}, { pfsGroup: "PFS24" }), fails: ["small subgroups"] },
  {
    name: "no IPsec policy",
    type: AZURE,
    props: { connectionProtocol: "IKEv2", connectionType: "IPsec" },
    fails: ["default proposals"],
  },
  {
    name: "a Vnet2Vnet connection (IPsec too) without a policy",
    type: AZURE,
    props: { connectionType: "Vnet2Vnet" },
    fails: ["default proposals"],
  },
  {
    name: 'an "ExpressRoute" connection to a local network gateway (a site-to-site tunnel by another name)',
    type: AZURE,
    props: { connectionType: "ExpressRoute", localNetworkGateway2: { id: "lgw" }, peer: { id: "c" } },
    fails: ["default proposals"],
  },
]);
