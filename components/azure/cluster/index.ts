// The private AKS cluster, one file per concern: args (interface, schema, defaults) and their
// cross-field checks, identities and grants, KMS, monitoring, the control plane's args (pure),
// Kubernetes access, pools, kubeconfig, placement target, and the component that wires them.
export { RBAC_ROLES } from "./access";
export { azureClusterAddons } from "./addons";
export {
  type AzureClusterNodePool,
  type AzureClusterRbacAssignment,
  type AzureClusterSystemPool,
  type AzurePrivateClusterArgs,
  CLUSTER_DEFAULTS,
  clusterArgsSchema,
  defaultClusterName,
  defaultSkuTier,
  type ParsedClusterArgs,
  type ResolvedClusterArgs,
  resolveClusterArgs,
} from "./args";
export {
  checkClusterArgs,
  checkClusterName,
  checkInlinePools,
  checkKubernetesSupport,
  checkNodeResourceGroup,
  checkOverlayRanges,
  checkRbacAssignments,
  kubernetesSupport,
  NODE_RESOURCE_GROUP_MAX,
  type ResourceGroupNaming,
} from "./checks";
export { type ControlPlaneRefs, managedClusterArgs } from "./control-plane";
export { AKS_AAD_SERVER_ID } from "./kubeconfig";
export { AKS_LOG_CATEGORIES } from "./monitoring";
export { AzurePrivateCluster } from "./private-cluster";
export { clusterPoolList, type LiveCluster, readLiveCluster } from "./system-pool";
export { azureClusterTarget } from "./target";
