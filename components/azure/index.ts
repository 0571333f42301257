// Azure components, and the Azure building blocks other folders (network) reuse.
export { type AzureContext, azureContext } from "./context";
export { type DiagnosticsOptions, sendDiagnostics } from "./diagnostics";
export {
  AzureEncryptedStorage,
  type AzureEncryptedStorageArgs,
  type AzureStorageNetwork,
  BLOB_PRIVATE_DNS_ZONE,
} from "./encrypted-storage";
export {
  LOCATION,
  privateDnsZoneId,
  RESOURCE_GROUP_NAME,
  ROUTE_TABLE_ID,
  SUBNET_ID,
  VNET_ID,
  WORKSPACE_ID,
} from "./ids";
export { createEncryptionKey, type EncryptionKeyOptions, KEY_VAULT_SOFT_DELETE_DAYS } from "./key-vault";
export { uniqueName } from "./naming";
export {
  AKS_SPOT_TAINT,
  type AzureClusterRef,
  type AzureNodePoolSettings,
  agentPoolPlacement,
  agentPoolPlanFor,
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
  AKS_RBAC_ROLE_IDS,
  type AzureClusterNetwork,
  type AzureClusterNodePool,
  type AzureClusterRbacAssignment,
  AzurePrivateCluster,
  type AzurePrivateClusterArgs,
  azureClusterTarget,
} from "./private-cluster";
export { assignRole, type RoleGrant } from "./role-assignment";
export { AZURE_ROLES, type AzureRole, roleDefinitionId } from "./roles";
export { type HardeningOptions, hardenedAccountArgs } from "./storage-account";
