// Azure site: its network, cluster, node pools and storage, and what the stack config validates pools
// with. Everything else stays inside components/azure.
export { azureContext } from "./context";
export {
  AzureEncryptedStorage,
  type AzureEncryptedStorageArgs,
  type AzureStorageNetwork,
  BLOB_PRIVATE_DNS_ZONE,
} from "./encrypted-storage";
export { LOCATION, RESOURCE_GROUP_NAME, ROUTE_TABLE_ID, SUBNET_ID, VNET_ID } from "./ids";
export { uniqueName } from "./naming";
export {
  AKS_SPOT_TAINT,
  type AzureClusterRef,
  type AzureNodePoolSettings,
  checkPoolSettings,
  isGpuSize,
  MIG_PROFILES,
  nodePoolSettingsShape,
} from "./node-pool";
export {
  AzureGpuNodePool,
  type AzureGpuNodePoolArgs,
  AzureNodePool,
  type AzureNodePoolArgs,
} from "./node-pool-components";
export {
  AKS_AAD_SERVER_ID,
  AKS_LOG_CATEGORIES,
  type AzureClusterNetwork,
  type AzureClusterNodePool,
  type AzureClusterRbacAssignment,
  AzurePrivateCluster,
  type AzurePrivateClusterArgs,
  azureClusterTarget,
} from "./private-cluster";
export { assignRole } from "./role-assignment";
export { AZURE_ROLES, type AzureRole } from "./roles";
export { hardenedAccountArgs } from "./storage-account";
export {
  AZURE_SUBNET_ROLES,
  type AzureSubnetPlan,
  type AzureSubnetRole,
  AzureVnet,
  type AzureVnetArgs,
  type ExistingAzureVnet,
  planAzureSubnets,
} from "./vnet";
