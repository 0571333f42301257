// One environment's configuration: its schema (field by field), the checks across fields and sites,
// the components' own rules run on it (preflight), and reading it from Pulumi.
export { PROJECT } from "../names";
export { type CheckIssue, CONFIG_CHECKS, type ConfigCheck } from "./checks";
export {
  type AwsConfig,
  type AzureConfig,
  type OnPremConfig,
  type PlatformConfig,
  SECRET_KEYS,
  SITE_KINDS,
  type SiteKind,
  type VpnLinkConfig,
} from "./fields";
export { loadPlatformConfig, stackPlaceholders } from "./load";
export { parsePlatformConfig } from "./parse";
export { catalogPlaceholderIssues, placeholderIssues } from "./placeholders";
export { platformConfigSchema } from "./schema";
export {
  type AwsSite,
  type AzureSite,
  datasetsOf,
  ONPREM_STORAGE_PORTS,
  type OnPremSite,
  routedNetworks,
  type Site,
  type SiteLink,
  type SiteNetwork,
  type SiteStore,
  Sites,
  sitesOf,
} from "./sites";
export { type TrafficConfig, trafficDomain } from "./traffic";
