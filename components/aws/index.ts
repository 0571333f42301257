// AWS components, and the AWS building blocks other folders (network) reuse.
export { type AwsContext, awsContext, serviceTrustPolicy } from "./context";
export { AwsEncryptedBucket, type AwsEncryptedBucketArgs } from "./encrypted-bucket";
export { createKmsKey, type KmsKeyOptions } from "./kms";
export { type ExecKubeconfig, renderKubeconfig } from "./kubeconfig";
export { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
export {
  type AwsClusterRef,
  type AwsNodeGroupSettings,
  amiTypeFor,
  checkInstanceTypes,
  checkScaling,
  isGpuGroup,
  nodeGroupPool,
  nodeGroupSettingsShape,
} from "./node-group";
export {
  AwsGpuNodeGroup,
  type AwsGpuNodeGroupArgs,
  AwsNodeGroup,
  type AwsNodeGroupArgs,
} from "./node-group-components";
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  awsClusterTarget,
  type ClusterPlacementArgs,
  clusterPlacementShape,
  EKS_LOG_TYPES,
} from "./private-cluster";
