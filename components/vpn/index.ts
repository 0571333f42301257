// VPN links between sites: `VpnLink` joins two sites' VPN ends with one crypto suite (the suites
// themselves are facts, in components/facts, which every end reads).
export {
  CRYPTO_SUITES,
  type CryptoSuite,
  type CryptoSuiteName,
  DEFAULT_CRYPTO_SUITE,
} from "../facts";
export type { LinkTunnel } from "./links";
export { createPresharedKey, isAwsPresharedKey } from "./preshared-key";
export {
  type AwsVpnEnd,
  type AzureVpnEnd,
  type OnPremVpnEnd,
  VpnLink,
  type VpnLinkArgs,
  type VpnLinkEnd,
} from "./vpn-link";
