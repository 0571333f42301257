// The private EKS cluster: its args, the pure control-plane args, and the component that wires the rest.
export { ACCESS_POLICIES, type AccessPolicyName } from "./access";
export { ADDONS, type AddonSpec } from "./addons";
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  type AwsPrivateClusterArgs,
  accessEntrySchema,
  adminsSchema,
  CLUSTER_DEFAULTS,
  checkClusterNodeGroup,
  clusterArgsSchema,
  clusterNodeGroupShape,
  type ParsedClusterArgs,
  parseClusterArgs,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "./args";
export { awsClusterAddons, canScale, checkAutoscalerImage } from "./cluster-phase";
export { type ControlPlaneRefs, controlPlaneArgs, EKS_LOG_TYPES } from "./control-plane";
export { AwsPrivateCluster } from "./private-cluster";
export { awsClusterTarget } from "./target";
