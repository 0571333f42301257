// Azure site: its network, cluster, node pools and storage, and what the stack config validates pools
// with. Everything else stays inside components/azure.
export {
  AKS_AAD_SERVER_ID,
  AKS_LOG_CATEGORIES,
  type AzureClusterNodePool,
  type AzureClusterRbacAssignment,
  type AzureClusterSystemPool,
  AzurePrivateCluster,
  type AzurePrivateClusterArgs,
  azureClusterAddons,
  azureClusterTarget,
  CLUSTER_DEFAULTS,
} from "./cluster";
export type { AzureClusterNetwork } from "./cluster-network";
export { azureContext } from "./context";
export {
  AZURE_HYBRID_DNS_DEFAULTS,
  type AzureForwardZone,
  AzureHybridDns,
  type AzureHybridDnsArgs,
} from "./dns";
export { LOCATION, RESOURCE_GROUP_NAME, ROUTE_TABLE_ID, SUBNET_ID, VNET_ID } from "./ids";
export { uniqueName } from "./naming";
export {
  AKS_SPOT_TAINT,
  type AzureClusterRef,
  AzureGpuNodePool,
  type AzureGpuNodePoolArgs,
  AzureNodePool,
  type AzureNodePoolArgs,
  type AzureNodePoolSettings,
  checkPoolSettings,
  isGpuSize,
  MIG_PROFILES,
  type MigProfile,
} from "./node-pool";
export { assignRole } from "./role-assignment";
export { AZURE_ROLES, type AzureRole } from "./roles";
export {
  AzureEncryptedStorage,
  type AzureEncryptedStorageArgs,
  type AzureStorageNetwork,
  BLOB_PRIVATE_DNS_ZONE,
  DATASETS_CONTAINER,
  STORAGE_DEFAULTS,
} from "./storage";
export { hardenedAccountArgs } from "./storage-account";
export {
  AZURE_SUBNET_ROLES,
  type AzureSubnetPlan,
  type AzureSubnetRole,
  AzureVnet,
  type AzureVnetArgs,
  type ExistingAzureVnet,
  planAzureSubnets,
  VNET_DEFAULTS,
} from "./vnet";
export {
  AZURE_VPN_DEFAULTS,
  AZURE_VPN_SKUS,
  type AzureLinkEnd,
  type AzureRemoteTunnel,
  AzureVpnGateway,
  type AzureVpnGatewayArgs,
  createAzureVpnConnections,
} from "./vpn";
export {
  AzureWorkloadIdentity,
  type AzureWorkloadIdentityArgs,
  type BlobDatasetGrant,
  datasetReadCondition,
  ENTRA_ID_TOKEN_CIDRS,
  ENTRA_TOKEN_AUDIENCE,
} from "./workload-identity";
