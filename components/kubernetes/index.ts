// hybrid-ai-infra/kubernetes: rendering placed workloads onto Kubernetes (pure renderers and the
// PlacedWorkloads component) and the cluster add-ons (device plugins, autoscaler) that placed work
// needs before it can schedule. The add-ons' own renderers are behind ./internal.
export { ConfigError, type ConfigIssue } from "../validation";
export {
  type AddonTaint,
  ClusterAddons,
  type ClusterAddonsArgs,
  type ClusterAddonsOptions,
  type ClusterAutoscalerArgs,
  EFA_RESOURCE,
  type EfaDevicePluginArgs,
  type KueueAddon,
  MIG_STRATEGIES,
  type MigStrategy,
  NVIDIA_DEVICE_PLUGIN_IMAGE,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginArgs,
  type NvidiaDevicePluginOptions,
} from "./addons";
export { parseCatalog, parseWorkloadCatalog, type WorkloadCatalog } from "./catalog";
export {
  type ClusterDns,
  type ClusterFacts,
  type ClusterSecrets,
  CNI_PLUGINS,
  type CniName,
  COREDNS_DEFAULT,
  clusterFactsIssues,
  KUBESPRAY_NODELOCALDNS_IP,
} from "./cluster-facts";
export {
  type AwsS3Store,
  type AzureBlobStore,
  COPY_KIND_LABELS,
  type CopyDestinationFacts,
  type CopyEgress,
  type CopyEnd,
  type CopyIdentity,
  type CopyStore,
  DATA_ANNOTATIONS,
  DATA_COPY_KINDS,
  DATA_COPY_NAMESPACE,
  DataCopies,
  type DataCopiesArgs,
  type DataCopyKind,
  type DataCopySpec,
  LABEL_DATA_COPY,
  type OnPremS3Store,
  renderDataCopies,
  renderRcloneConfig,
} from "./data";
export {
  ClusterMetrics,
  type ClusterMetricsArgs,
  type ClusterMetricsOptions,
  METRICS_IMAGES,
  METRICS_NAMESPACE,
} from "./metrics";
export type {
  DaemonSetObject,
  DeploymentObject,
  ExternalSecretObject,
  JobObject,
  KueueObject,
  NamespaceObject,
  NetworkPolicyObject,
  PodDisruptionBudgetObject,
  RenderedObject,
  ResourceQuotaObject,
  SecretProviderClassObject,
  ServiceAccountObject,
  ServiceObject,
  Toleration,
} from "./objects";
export {
  decidePlacement,
  PlacedWorkloads,
  type PlacedWorkloadsArgs,
  type PlacedWorkloadsQueues,
  type PlacementCluster,
  type PlacementRequest,
  type PoolUsage,
} from "./placed-workloads";
export type {
  BurstPermission,
  MultiKueueSites,
  QueuePlan,
  Submission,
} from "./queues/render";
export type { PreemptionPolicy, PriorityClass, QueueSettings } from "./queues/settings";
export {
  JOB_WAIT_FOR,
  LABEL_DATA_CLASSIFICATION,
  LABEL_OWNER,
  LABEL_WORKLOAD,
  namespaceOf,
  PLACEMENT_ANNOTATIONS,
  QUEUE_ANNOTATIONS,
  type RenderedTarget,
  type RenderInput,
  renderPlacement,
  SECRETS_STORE_CSI_DRIVER,
} from "./render";
export { identityAccountOf, serviceAccountOf } from "./services";
export type { WorkloadSecret, WorkloadSpec } from "./spec";
export {
  GATEWAY_APP,
  GATEWAY_IMAGE,
  GATEWAY_NAMESPACE,
  renderSiteTraffic,
  SiteGateway,
  type SiteGatewayArgs,
  type SiteGatewayOptions,
  type SiteTrafficInput,
  TRAFFIC_ANNOTATIONS,
  type TrafficObject,
} from "./traffic";
