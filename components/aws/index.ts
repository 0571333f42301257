// AWS components, and the AWS building blocks other folders (network) reuse.
export { awsContext } from "./context";
export { AwsEncryptedBucket, type AwsEncryptedBucketArgs } from "./encrypted-bucket";
export { createKmsKey } from "./kms";
export { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
export { type AwsClusterRef, type AwsNodeGroupSettings, amiTypeFor } from "./node-group";
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
  accessEntrySchema,
  adminsSchema,
  awsClusterTarget,
  checkClusterNodeGroup,
  clusterNodeGroupShape,
  EKS_LOG_TYPES,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "./private-cluster";
