// hybrid-ai-infra: the library's root door, everything a consumer imports. The site entries
// (hybrid-ai-infra/aws, /azure, /onprem, /kubernetes, /vpn) each load their own provider package, so
// here each of their values loads its entry on first use, the way Pulumi's own SDKs load their
// modules (utilities.lazyLoad): a program that uses AWS alone never loads @pulumi/azure-native.
// test/entries.test.ts keeps this list equal to the entries' own. ESM programs import from the site
// entries (an ESM import of a CommonJS module reads every export at once).

export {
  AWS_CPU_INSTANCES,
  AWS_GPU_INSTANCES,
  AZURE_CPU_SIZES,
  AZURE_GPU_SIZES,
  type AzureCpuFacts,
  type AzureGpuFacts,
  type CpuFacts,
  GPU_TAINT,
  type GpuFacts,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
} from "./facts";
export type { ClusterPlacementArgs, CommonArgs } from "./kit";
export * from "./placement";

// Each site entry, loaded when one of its values is first read.
const AWS_ENTRY = (): Record<string, unknown> => require("./aws");
const AZURE_ENTRY = (): Record<string, unknown> => require("./azure");
const ONPREM_ENTRY = (): Record<string, unknown> => require("./onprem");
const KUBERNETES_ENTRY = (): Record<string, unknown> => require("./kubernetes");
const VPN_ENTRY = (): Record<string, unknown> => require("./vpn");

// aws
export type {
  AwsClusterMetricsArgs,
  AwsClusterNetwork,
  AwsClusterNodeGroup,
  AwsClusterRef,
  AwsDataCopyRoleArgs,
  AwsDataEndpointsArgs,
  AwsEfaPlacement,
  AwsEncryptedBucketArgs,
  AwsFederatedIssuerArgs,
  AwsForwardZone,
  AwsGpuNodeGroupArgs,
  AwsHybridDnsArgs,
  AwsNodeGroupArgs,
  AwsNodeGroupBaseArgs,
  AwsNodeGroupSettings,
  AwsPrivateClusterArgs,
  AwsRolesAnywhereAnchorArgs,
  AwsServiceZoneArgs,
  AwsVpcArgs,
  AwsVpnGatewayArgs,
  AwsVpnNetwork,
  AwsWorkloadIdentityArgs,
  CopyBucketGrant,
  CopyRoleTrust,
  DatasetGrant,
  ExistingAwsVpc,
  RolesAnywhereRoleTrust,
} from "./aws";
export declare const awsClusterTarget: typeof import("./aws").awsClusterTarget;
export type AwsDataCopyRole = import("./aws").AwsDataCopyRole;
export declare const AwsDataCopyRole: typeof import("./aws").AwsDataCopyRole;
export type AwsDataEndpoints = import("./aws").AwsDataEndpoints;
export declare const AwsDataEndpoints: typeof import("./aws").AwsDataEndpoints;
export type AwsFederatedIssuer = import("./aws").AwsFederatedIssuer;
export declare const AwsFederatedIssuer: typeof import("./aws").AwsFederatedIssuer;
export type AwsRolesAnywhereAnchor = import("./aws").AwsRolesAnywhereAnchor;
export declare const AwsRolesAnywhereAnchor: typeof import("./aws").AwsRolesAnywhereAnchor;
export type AwsClusterMetrics = import("./aws").AwsClusterMetrics;
export declare const AwsClusterMetrics: typeof import("./aws").AwsClusterMetrics;
export type AwsEncryptedBucket = import("./aws").AwsEncryptedBucket;
export declare const AwsEncryptedBucket: typeof import("./aws").AwsEncryptedBucket;
export type AwsGpuNodeGroup = import("./aws").AwsGpuNodeGroup;
export declare const AwsGpuNodeGroup: typeof import("./aws").AwsGpuNodeGroup;
export type AwsHybridDns = import("./aws").AwsHybridDns;
export declare const AwsHybridDns: typeof import("./aws").AwsHybridDns;
export type AwsServiceZone = import("./aws").AwsServiceZone;
export declare const AwsServiceZone: typeof import("./aws").AwsServiceZone;
export type AwsNodeGroup = import("./aws").AwsNodeGroup;
export declare const AwsNodeGroup: typeof import("./aws").AwsNodeGroup;
export type AwsPrivateCluster = import("./aws").AwsPrivateCluster;
export declare const AwsPrivateCluster: typeof import("./aws").AwsPrivateCluster;
export type AwsVpc = import("./aws").AwsVpc;
export declare const AwsVpc: typeof import("./aws").AwsVpc;
export type AwsVpnGateway = import("./aws").AwsVpnGateway;
export declare const AwsVpnGateway: typeof import("./aws").AwsVpnGateway;
export type AwsWorkloadIdentity = import("./aws").AwsWorkloadIdentity;
export declare const AwsWorkloadIdentity: typeof import("./aws").AwsWorkloadIdentity;
export declare const EKS_INTERFACE_ENDPOINTS: typeof import("./aws").EKS_INTERFACE_ENDPOINTS;
export declare const EKS_LOG_TYPES: typeof import("./aws").EKS_LOG_TYPES;
export declare const METRICS_INTERFACE_ENDPOINTS: typeof import("./aws").METRICS_INTERFACE_ENDPOINTS;
lazyLoad(AWS_ENTRY, [
  "AwsClusterMetrics",
  "awsClusterTarget",
  "AwsDataCopyRole",
  "AwsDataEndpoints",
  "AwsEncryptedBucket",
  "AwsFederatedIssuer",
  "AwsGpuNodeGroup",
  "AwsHybridDns",
  "AwsNodeGroup",
  "AwsPrivateCluster",
  "AwsRolesAnywhereAnchor",
  "AwsServiceZone",
  "AwsVpc",
  "AwsVpnGateway",
  "AwsWorkloadIdentity",
  "EKS_INTERFACE_ENDPOINTS",
  "EKS_LOG_TYPES",
  "METRICS_INTERFACE_ENDPOINTS",
]);

// azure
export type {
  AzureBlobPrivateDnsArgs,
  AzureClusterMetricsArgs,
  AzureClusterNetwork,
  AzureClusterNodePool,
  AzureClusterRbacAssignment,
  AzureClusterRef,
  AzureClusterSystemPool,
  AzureDataCopyApplicationArgs,
  AzureDataCopyIdentityArgs,
  AzureEncryptedStorageArgs,
  AzureForwardZone,
  AzureGpuNodePoolArgs,
  AzureHybridDnsArgs,
  AzureNodePoolArgs,
  AzureNodePoolSettings,
  AzurePrivateClusterArgs,
  AzureRole,
  AzureServiceZoneArgs,
  AzureStorageNetwork,
  AzureVnetArgs,
  AzureVpnGatewayArgs,
  AzureWorkloadIdentityArgs,
  BlobDatasetGrant,
  CopyContainerGrant,
  ExistingAzureVnet,
  MigProfile,
} from "./azure";
export declare const AKS_LOG_CATEGORIES: typeof import("./azure").AKS_LOG_CATEGORIES;
export declare const AKS_SPOT_TAINT: typeof import("./azure").AKS_SPOT_TAINT;
export declare const AZURE_ROLES: typeof import("./azure").AZURE_ROLES;
export declare const azureClusterTarget: typeof import("./azure").azureClusterTarget;
export type AzureBlobPrivateDns = import("./azure").AzureBlobPrivateDns;
export declare const AzureBlobPrivateDns: typeof import("./azure").AzureBlobPrivateDns;
export type AzureDataCopyApplication = import("./azure").AzureDataCopyApplication;
export declare const AzureDataCopyApplication: typeof import("./azure").AzureDataCopyApplication;
export type AzureDataCopyIdentity = import("./azure").AzureDataCopyIdentity;
export declare const AzureDataCopyIdentity: typeof import("./azure").AzureDataCopyIdentity;
export type AzureClusterMetrics = import("./azure").AzureClusterMetrics;
export declare const AzureClusterMetrics: typeof import("./azure").AzureClusterMetrics;
export type AzureEncryptedStorage = import("./azure").AzureEncryptedStorage;
export declare const AzureEncryptedStorage: typeof import("./azure").AzureEncryptedStorage;
export type AzureGpuNodePool = import("./azure").AzureGpuNodePool;
export declare const AzureGpuNodePool: typeof import("./azure").AzureGpuNodePool;
export type AzureHybridDns = import("./azure").AzureHybridDns;
export declare const AzureHybridDns: typeof import("./azure").AzureHybridDns;
export type AzureServiceZone = import("./azure").AzureServiceZone;
export declare const AzureServiceZone: typeof import("./azure").AzureServiceZone;
export type AzureNodePool = import("./azure").AzureNodePool;
export declare const AzureNodePool: typeof import("./azure").AzureNodePool;
export type AzurePrivateCluster = import("./azure").AzurePrivateCluster;
export declare const AzurePrivateCluster: typeof import("./azure").AzurePrivateCluster;
export type AzureVnet = import("./azure").AzureVnet;
export declare const AzureVnet: typeof import("./azure").AzureVnet;
export type AzureVpnGateway = import("./azure").AzureVpnGateway;
export declare const AzureVpnGateway: typeof import("./azure").AzureVpnGateway;
export type AzureWorkloadIdentity = import("./azure").AzureWorkloadIdentity;
export declare const AzureWorkloadIdentity: typeof import("./azure").AzureWorkloadIdentity;
export declare const DATASETS_CONTAINER: typeof import("./azure").DATASETS_CONTAINER;
export declare const ENTRA_ID_TOKEN_CIDRS: typeof import("./azure").ENTRA_ID_TOKEN_CIDRS;
export declare const MIG_PROFILES: typeof import("./azure").MIG_PROFILES;
lazyLoad(AZURE_ENTRY, [
  "AKS_LOG_CATEGORIES",
  "AKS_SPOT_TAINT",
  "AZURE_ROLES",
  "AzureClusterMetrics",
  "azureClusterTarget",
  "AzureBlobPrivateDns",
  "AzureDataCopyApplication",
  "AzureDataCopyIdentity",
  "AzureEncryptedStorage",
  "AzureGpuNodePool",
  "AzureHybridDns",
  "AzureNodePool",
  "AzurePrivateCluster",
  "AzureServiceZone",
  "AzureVnet",
  "AzureVpnGateway",
  "AzureWorkloadIdentity",
  "DATASETS_CONTAINER",
  "ENTRA_ID_TOKEN_CIDRS",
  "MIG_PROFILES",
]);

// onprem
export type {
  CloudPrivateZones,
  CloudPrivateZonesArgs,
  OnPremClusterArgs,
  OnPremGpu,
  OnPremPool,
  OnPremRouter,
  OnPremVpnRouterArgs,
  RouterTunnel,
  StrongSwanProposals,
  UnboundForwardingArgs,
  UnboundForwardZone,
} from "./onprem";
export declare const CLOUD_PRIVATE_ZONES: typeof import("./onprem").CLOUD_PRIVATE_ZONES;
export declare const cloudPrivateZones: typeof import("./onprem").cloudPrivateZones;
export type OnPremCluster = import("./onprem").OnPremCluster;
export declare const OnPremCluster: typeof import("./onprem").OnPremCluster;
export declare const onPremClusterTarget: typeof import("./onprem").onPremClusterTarget;
export type OnPremVpnRouter = import("./onprem").OnPremVpnRouter;
export declare const OnPremVpnRouter: typeof import("./onprem").OnPremVpnRouter;
export declare const renderUnboundForwarding: typeof import("./onprem").renderUnboundForwarding;
lazyLoad(ONPREM_ENTRY, [
  "CLOUD_PRIVATE_ZONES",
  "cloudPrivateZones",
  "OnPremCluster",
  "onPremClusterTarget",
  "OnPremVpnRouter",
  "renderUnboundForwarding",
]);

// kubernetes
export type {
  AddonTaint,
  AwsS3Store,
  AzureBlobStore,
  BurstPermission,
  ClusterAddonsArgs,
  ClusterAddonsOptions,
  ClusterAutoscalerArgs,
  ClusterDns,
  ClusterFacts,
  ClusterMetricsArgs,
  ClusterMetricsOptions,
  ClusterSecrets,
  CniName,
  CopyDestinationFacts,
  CopyEgress,
  CopyEnd,
  CopyIdentity,
  CopyStore,
  DaemonSetObject,
  DataCopiesArgs,
  DataCopyKind,
  DataCopySpec,
  DeploymentObject,
  EfaDevicePluginArgs,
  ExternalSecretObject,
  JobObject,
  KueueAddon,
  KueueObject,
  MigStrategy,
  MultiKueueSites,
  NamespaceObject,
  NetworkPolicyObject,
  NvidiaDevicePluginArgs,
  NvidiaDevicePluginOptions,
  OnPremS3Store,
  PlacedWorkloadsArgs,
  PlacedWorkloadsQueues,
  PlacementCluster,
  PlacementRequest,
  PodDisruptionBudgetObject,
  PoolUsage,
  PreemptionPolicy,
  PriorityClass,
  QueuePlan,
  QueueSettings,
  RenderedObject,
  RenderedTarget,
  RenderInput,
  ResourceQuotaObject,
  SecretProviderClassObject,
  ServiceAccountObject,
  ServiceObject,
  SiteGatewayArgs,
  SiteGatewayOptions,
  SiteTrafficInput,
  Submission,
  Toleration,
  TrafficObject,
  WorkloadCatalog,
  WorkloadSecret,
  WorkloadSpec,
} from "./kubernetes";
export type DataCopies = import("./kubernetes").DataCopies;
export declare const DataCopies: typeof import("./kubernetes").DataCopies;
export declare const COPY_KIND_LABELS: typeof import("./kubernetes").COPY_KIND_LABELS;
export declare const DATA_ANNOTATIONS: typeof import("./kubernetes").DATA_ANNOTATIONS;
export declare const DATA_COPY_KINDS: typeof import("./kubernetes").DATA_COPY_KINDS;
export declare const DATA_COPY_NAMESPACE: typeof import("./kubernetes").DATA_COPY_NAMESPACE;
export declare const LABEL_DATA_COPY: typeof import("./kubernetes").LABEL_DATA_COPY;
export declare const renderDataCopies: typeof import("./kubernetes").renderDataCopies;
export declare const renderRcloneConfig: typeof import("./kubernetes").renderRcloneConfig;
export type ClusterAddons = import("./kubernetes").ClusterAddons;
export declare const ClusterAddons: typeof import("./kubernetes").ClusterAddons;
export type ClusterMetrics = import("./kubernetes").ClusterMetrics;
export declare const ClusterMetrics: typeof import("./kubernetes").ClusterMetrics;
export declare const decidePlacement: typeof import("./kubernetes").decidePlacement;
export declare const CNI_PLUGINS: typeof import("./kubernetes").CNI_PLUGINS;
export declare const COREDNS_DEFAULT: typeof import("./kubernetes").COREDNS_DEFAULT;
export declare const clusterFactsIssues: typeof import("./kubernetes").clusterFactsIssues;
export declare const KUBESPRAY_NODELOCALDNS_IP: typeof import("./kubernetes").KUBESPRAY_NODELOCALDNS_IP;
export declare const SECRETS_STORE_CSI_DRIVER: typeof import("./kubernetes").SECRETS_STORE_CSI_DRIVER;
export declare const EFA_RESOURCE: typeof import("./kubernetes").EFA_RESOURCE;
export declare const JOB_WAIT_FOR: typeof import("./kubernetes").JOB_WAIT_FOR;
export declare const LABEL_DATA_CLASSIFICATION: typeof import("./kubernetes").LABEL_DATA_CLASSIFICATION;
export declare const LABEL_OWNER: typeof import("./kubernetes").LABEL_OWNER;
export declare const LABEL_WORKLOAD: typeof import("./kubernetes").LABEL_WORKLOAD;
export declare const METRICS_IMAGES: typeof import("./kubernetes").METRICS_IMAGES;
export declare const METRICS_NAMESPACE: typeof import("./kubernetes").METRICS_NAMESPACE;
export declare const MIG_STRATEGIES: typeof import("./kubernetes").MIG_STRATEGIES;
export declare const namespaceOf: typeof import("./kubernetes").namespaceOf;
export declare const NVIDIA_DEVICE_PLUGIN_IMAGE: typeof import("./kubernetes").NVIDIA_DEVICE_PLUGIN_IMAGE;
export type NvidiaDevicePlugin = import("./kubernetes").NvidiaDevicePlugin;
export declare const NvidiaDevicePlugin: typeof import("./kubernetes").NvidiaDevicePlugin;
export declare const parseCatalog: typeof import("./kubernetes").parseCatalog;
export declare const parseWorkloadCatalog: typeof import("./kubernetes").parseWorkloadCatalog;
export type PlacedWorkloads = import("./kubernetes").PlacedWorkloads;
export declare const PlacedWorkloads: typeof import("./kubernetes").PlacedWorkloads;
export declare const PLACEMENT_ANNOTATIONS: typeof import("./kubernetes").PLACEMENT_ANNOTATIONS;
export declare const QUEUE_ANNOTATIONS: typeof import("./kubernetes").QUEUE_ANNOTATIONS;
export declare const renderPlacement: typeof import("./kubernetes").renderPlacement;
export declare const serviceAccountOf: typeof import("./kubernetes").serviceAccountOf;
export declare const identityAccountOf: typeof import("./kubernetes").identityAccountOf;
export declare const GATEWAY_APP: typeof import("./kubernetes").GATEWAY_APP;
export declare const GATEWAY_IMAGE: typeof import("./kubernetes").GATEWAY_IMAGE;
export declare const GATEWAY_NAMESPACE: typeof import("./kubernetes").GATEWAY_NAMESPACE;
export declare const renderSiteTraffic: typeof import("./kubernetes").renderSiteTraffic;
export type SiteGateway = import("./kubernetes").SiteGateway;
export declare const SiteGateway: typeof import("./kubernetes").SiteGateway;
export declare const TRAFFIC_ANNOTATIONS: typeof import("./kubernetes").TRAFFIC_ANNOTATIONS;
lazyLoad(KUBERNETES_ENTRY, [
  "DataCopies",
  "COPY_KIND_LABELS",
  "DATA_ANNOTATIONS",
  "DATA_COPY_KINDS",
  "DATA_COPY_NAMESPACE",
  "LABEL_DATA_COPY",
  "renderDataCopies",
  "renderRcloneConfig",
  "ClusterAddons",
  "ClusterMetrics",
  "decidePlacement",
  "CNI_PLUGINS",
  "COREDNS_DEFAULT",
  "clusterFactsIssues",
  "KUBESPRAY_NODELOCALDNS_IP",
  "SECRETS_STORE_CSI_DRIVER",
  "EFA_RESOURCE",
  "JOB_WAIT_FOR",
  "LABEL_DATA_CLASSIFICATION",
  "LABEL_OWNER",
  "LABEL_WORKLOAD",
  "METRICS_IMAGES",
  "METRICS_NAMESPACE",
  "MIG_STRATEGIES",
  "namespaceOf",
  "NVIDIA_DEVICE_PLUGIN_IMAGE",
  "NvidiaDevicePlugin",
  "parseCatalog",
  "parseWorkloadCatalog",
  "PlacedWorkloads",
  "PLACEMENT_ANNOTATIONS",
  "QUEUE_ANNOTATIONS",
  "renderPlacement",
  "serviceAccountOf",
  "identityAccountOf",
  "GATEWAY_APP",
  "GATEWAY_IMAGE",
  "GATEWAY_NAMESPACE",
  "renderSiteTraffic",
  "SiteGateway",
  "TRAFFIC_ANNOTATIONS",
]);

// vpn
export type {
  AwsVpnEnd,
  AzureVpnEnd,
  CryptoSuite,
  CryptoSuiteName,
  LinkTunnel,
  OnPremVpnEnd,
  VpnLinkArgs,
  VpnLinkEnd,
} from "./vpn";
export declare const CRYPTO_SUITES: typeof import("./vpn").CRYPTO_SUITES;
export declare const DEFAULT_CRYPTO_SUITE: typeof import("./vpn").DEFAULT_CRYPTO_SUITE;
export type VpnLink = import("./vpn").VpnLink;
export declare const VpnLink: typeof import("./vpn").VpnLink;
lazyLoad(VPN_ENTRY, ["CRYPTO_SUITES", "DEFAULT_CRYPTO_SUITE", "VpnLink"]);

/**
 * Makes each named export a getter that loads its entry (and so its provider) on first use. The
 * declarations above give their types; this gives their values, on `module.exports` (which is the
 * module's exports object whether tsc or esbuild compiled it).
 */
function lazyLoad(load: () => Record<string, unknown>, names: readonly string[]): void {
  for (const name of names)
    Object.defineProperty(module.exports, name, {
      enumerable: true,
      configurable: true,
      get: () => load()[name],
    });
}
