// The library's public door: everything a consumer imports.
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  type AwsClusterRef,
  AwsEncryptedBucket,
  type AwsEncryptedBucketArgs,
  AwsGpuNodeGroup,
  type AwsGpuNodeGroupArgs,
  AwsNodeGroup,
  type AwsNodeGroupArgs,
  type AwsNodeGroupSettings,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  type ClusterPlacementArgs,
  EKS_LOG_TYPES,
} from "./aws";
export {
  AWS_CPU_INSTANCES,
  AWS_GPU_INSTANCES,
  ConfigError,
  type ConfigIssue,
  type CpuFacts,
  carveSubnets,
  cidrContains,
  cidrOverlaps,
  findOverlaps,
  GPU_TAINT,
  type GpuFacts,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
  parseCidr,
} from "./core";
export { AwsVpc, type AwsVpcArgs, EKS_INTERFACE_ENDPOINTS, type ExistingAwsVpc } from "./network";
export { OnPremCluster, type OnPremClusterArgs, type OnPremPool } from "./onprem";
export type * from "./placement";
export type { CommonArgs } from "./shared";
