// hybrid-ai-infra/vpn: `VpnLink` joins two sites' VPN ends with one crypto suite (the suites
// themselves are facts, which every end reads).
export { CRYPTO_SUITES, type CryptoSuite, type CryptoSuiteName, DEFAULT_CRYPTO_SUITE } from "../facts";
export { ConfigError, type ConfigIssue } from "../validation";
export type { LinkTunnel } from "./links";
export {
  type AwsVpnEnd,
  type AzureVpnEnd,
  type OnPremVpnEnd,
  VpnLink,
  type VpnLinkArgs,
  type VpnLinkEnd,
} from "./vpn-link";
