// The private EKS cluster: its args, the rules the stack config shares, the pure control-plane
// args, and the component that wires the rest.
export { ACCESS_POLICIES, type AccessPolicyName } from "./access";
export { ADDON_NAMES, ADDONS, type AddonName, type AddonSpec } from "./addon-specs";
export type { AddonVersion } from "./addons";
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  type AwsPrivateClusterArgs,
  accessEntrySchema,
  addonVersionsSchema,
  adminsSchema,
  CLUSTER_DEFAULTS,
  checkClusterNodeGroup,
  clusterArgsSchema,
  clusterNodeGroupShape,
  type ParsedClusterArgs,
  parseClusterArgs,
  publicAccessCidrsSchema,
  type ResolvedClusterArgs,
  resolveClusterArgs,
  resolveSystemNodeGroup,
  systemNodeGroupSchema,
} from "./args";
export { awsClusterAddons, firstHost, systemNetworkPolicies } from "./cluster-phase";
export { type ControlPlaneRefs, controlPlaneArgs, EKS_LOG_TYPES } from "./control-plane";
export { AwsPrivateCluster } from "./private-cluster";
export {
  autoscalerImageOf,
  CLUSTER_NAME,
  canScale,
  checkAutoscalerImage,
  checkClusterNames,
  checkDerivedClusterName,
  checkImagesReachable,
  checkNetworkPolicySupport,
  checkOneEntryPerPrincipal,
  clusterGeneratedNames,
  clusterNameOf,
  resolveNetworkPolicyMode,
} from "./rules";
export { awsClusterTarget } from "./target";
