// One environment's configuration: its schema (field by field), the checks across fields and sites
// (the components' own rules among them), the checks against the other environments' stack files,
// and reading it from Pulumi.
export { PROJECT } from "../names";
export { type CheckIssue, CONFIG_CHECKS, type ConfigCheck, unstatedVersionNotice } from "./checks";
export {
  type BackupRoute,
  backupRoutes,
  type CopyPurpose,
  copyProblems,
  copyRunsOn,
  stagedDatasets,
  stagingOptions,
} from "./copies";
export {
  DATA_DEFAULTS,
  type DataConfig,
  type Dataset,
  type DatasetBackup,
  type DatasetEntry,
  datasetName,
  type OnPremIdentity,
  type OnPremS3Config,
} from "./datasets";
export {
  type AwsConfig,
  type AzureConfig,
  type MonitoringConfig,
  type OnPremConfig,
  type PlatformConfig,
  SECRET_KEYS,
  SITE_KINDS,
  type SiteKind,
  type VpnLinkConfig,
} from "./fields";
export { loadPlatformConfig, projectRoot, stackPlaceholders } from "./load";
export { parsePlatformConfig } from "./parse";
export { catalogPlaceholderIssues, placeholderIssues } from "./placeholders";
export { platformConfigSchema } from "./schema";
export { readSiblingEnvironments, type SiblingEnvironment } from "./siblings";
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
