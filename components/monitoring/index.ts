// Monitoring, Pulumi-free: the rules each site's Prometheus-compatible store evaluates (placed
// capacity from the placement decision beside requested and used, and the alerts), the scrape
// jobs that feed them, the Grafana dashboard drawn from the same rules, and the reader of usage
// exports that feeds observed use back into the plan. The cloud stores are in aws/ and azure/,
// the in-cluster collectors in kubernetes/.
export { AZURE_RULES_PER_GROUP, type AzureRule, type AzureRuleGroup, azureRuleGroups } from "./azure-rules";
export { longestCronGap } from "./cron";
export {
  type Dashboard,
  type DashboardPanel,
  type DashboardSite,
  dataSourceVariable,
  renderDashboard,
} from "./dashboard";
export { durationSchema, durationSeconds, isoDuration, promDuration } from "./durations";
export type {
  MetricsCloud,
  MonitoredBackup,
  MonitoredPool,
  MonitoredQueue,
  MonitoredTunnel,
  MonitoredWorkload,
  SiteMetrics,
} from "./model";
export { GROUPS, JOBS, KSM_LABELS_ALLOWLIST, ksmLabel, ksmLabelsAllowlist, RECORD_PREFIX } from "./names";
export { RIGHT_SIZING, rightSized, useByWorkload, type WorkloadUse } from "./right-size";
export { ruleFileYaml, siteRules } from "./rule-file";
export {
  type AlertingRule,
  isAlert,
  type RecordingRule,
  type Rule,
  type RuleFile,
  type RuleGroup,
  SEVERITIES,
  type Severity,
} from "./rule-types";
export { type AlertName, RUNBOOK_ANCHORS } from "./rules-alerts";
export {
  amaMetricsScrapeConfig,
  ampScrapeConfig,
  COLLECTOR_APPS,
  type CollectorLocations,
  GPU_OPERATOR_EXPORTER,
  type GpuOperatorExporter,
  onPremPrometheusConfig,
  type RemoteStore,
  type ScrapePlan,
} from "./scrape";
export {
  queueWaitTarget,
  resolveThresholds,
  THRESHOLD_DEFAULTS,
  type Thresholds,
  type ThresholdsConfig,
  thresholdsSchema,
} from "./thresholds";
export {
  parseUsageExport,
  USAGE_RESOURCES,
  USAGE_STATS,
  USAGE_WINDOW,
  type UsageSample,
  usageQuery,
} from "./usage";
