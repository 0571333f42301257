// AWS components, and the AWS building blocks other folders (network) reuse.
export { type AwsContext, awsContext, serviceTrustPolicy } from "./context";
export { AwsEncryptedBucket, type AwsEncryptedBucketArgs } from "./encrypted-bucket";
export { createKmsKey, type KmsKeyOptions } from "./kms";
export { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
export {
  type AwsClusterRef,
  type AwsNodeGroupSettings,
  amiTypeFor,
  checkInstanceTypes,
  checkNodeGroup,
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
  EKS_LOG_TYPES,
} from "./private-cluster";
