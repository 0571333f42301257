// hybrid-ai-infra/azure: the Azure site's components, their arguments, and what composing them
// needs. What the reference stacks and the other folders compose from (rules, schemas, builders) is
// behind ./internal, which the package does not publish.
export { ConfigError, type ConfigIssue } from "../validation";
export {
  AKS_LOG_CATEGORIES,
  type AzureClusterNodePool,
  type AzureClusterRbacAssignment,
  type AzureClusterSystemPool,
  AzurePrivateCluster,
  type AzurePrivateClusterArgs,
  azureClusterTarget,
} from "./cluster";
export type { AzureClusterNetwork } from "./cluster-network";
export {
  AzureDataCopyApplication,
  type AzureDataCopyApplicationArgs,
  AzureDataCopyIdentity,
  type AzureDataCopyIdentityArgs,
  type CopyContainerGrant,
} from "./data-copy";
export {
  type AzureForwardZone,
  AzureHybridDns,
  type AzureHybridDnsArgs,
  AzureServiceZone,
  type AzureServiceZoneArgs,
} from "./dns";
export { AzureClusterMetrics, type AzureClusterMetricsArgs } from "./metrics";
export {
  AKS_SPOT_TAINT,
  type AzureClusterRef,
  AzureGpuNodePool,
  type AzureGpuNodePoolArgs,
  AzureNodePool,
  type AzureNodePoolArgs,
  type AzureNodePoolSettings,
  MIG_PROFILES,
  type MigProfile,
} from "./node-pool";
export { AZURE_ROLES, type AzureRole } from "./roles";
export {
  AzureBlobPrivateDns,
  type AzureBlobPrivateDnsArgs,
  AzureEncryptedStorage,
  type AzureEncryptedStorageArgs,
  type AzureStorageNetwork,
  DATASETS_CONTAINER,
} from "./storage";
export { AzureVnet, type AzureVnetArgs, type ExistingAzureVnet } from "./vnet";
export { AzureVpnGateway, type AzureVpnGatewayArgs } from "./vpn";
export {
  AzureWorkloadIdentity,
  type AzureWorkloadIdentityArgs,
  type BlobDatasetGrant,
  ENTRA_ID_TOKEN_CIDRS,
} from "./workload-identity";
