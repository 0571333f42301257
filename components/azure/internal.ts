// The Azure folder's second door, for the reference stacks and the library's other folders (never
// published): the rules the stack config shares with the components, their schemas, defaults and
// the builders a VPN link composes.
export {
  AKS_AAD_SERVER_ID,
  azureClusterAddons,
  CLUSTER_DEFAULTS,
  checkClusterName,
  checkInlinePools,
  checkKubernetesSupport,
  checkNodeResourceGroup,
  checkRbacAssignments,
  clusterArgsSchema,
  defaultClusterName,
  defaultSkuTier,
} from "./cluster";
export {
  type BlobWriteScope,
  blobWriteCondition,
  type EntraCertificateFacts,
  entraCertificateFacts,
  entraCertificatesSchema,
} from "./data-copy";
export { AZURE_HYBRID_DNS_DEFAULTS } from "./dns";
export { AMPLS_PRIVATE_DNS_ZONES, prometheusQueryZone } from "./metrics";
export { checkPoolSettings, isGpuSize, nodePoolSettingsShape } from "./node-pool";
export {
  RBAC_PROPAGATION_TYPE,
  type RoleAssignmentWaitInputs,
  roleAssignmentWaitProvider,
} from "./propagation";
export {
  RBAC_PROPAGATION_DEFAULT_SECONDS,
  RBAC_PROPAGATION_MAX_SECONDS,
} from "./rbac-propagation";
export {
  BLOB_PRIVATE_DNS_ZONE,
  checkStorageArgs,
  makesAccountPrefix,
  STORAGE_DEFAULTS,
  storageArgsSchemaFor,
} from "./storage";
export {
  AZURE_SUBNET_ROLES,
  type AzureSubnetPlan,
  type AzureSubnetRole,
  planAzureSubnets,
  VNET_DEFAULTS,
  vnetArgsSchema,
} from "./vnet";
export {
  AZURE_VPN_DEFAULTS,
  AZURE_VPN_SKUS,
  type AzureLinkEnd,
  type AzureRemoteTunnel,
  createAzureVpnConnections,
} from "./vpn";
export { datasetReadCondition, ENTRA_TOKEN_AUDIENCE } from "./workload-identity";
