// VPN links between sites: crypto suites in every end's vocabulary, inside addresses, keys, and
// `VpnLink`, which joins two sites' VPN ends.
export {
  type AwsTunnelCrypto,
  type AzureIpsecPolicy,
  awsTunnelCrypto,
  azureIpsecPolicy,
  CRYPTO_SUITES,
  type CryptoSuite,
  type CryptoSuiteName,
  checkSuite,
  DEFAULT_CRYPTO_SUITE,
  type DhGroup,
  type Encryption,
  type Hash,
  isAead,
  type StrongSwanProposals,
  strongSwanProposals,
  suiteProblems,
  type VpnEnd,
} from "./crypto";
export {
  INSIDE_RANGES,
  INSIDE_SLOTS,
  insideSlot,
  TUNNELS_PER_SLOT,
  type TunnelInside,
  tunnelInsides,
} from "./inside-addresses";
export { awsAzureApipa, azureOnPremApipa, LINK_KINDS, type LinkTunnel } from "./links";
export { createPresharedKey, isAwsPresharedKey } from "./preshared-key";
export {
  type AwsVpnEnd,
  type AzureVpnEnd,
  type OnPremVpnEnd,
  VpnLink,
  type VpnLinkArgs,
  type VpnLinkEnd,
} from "./vpn-link";
