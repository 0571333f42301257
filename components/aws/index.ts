// AWS site: its network, cluster, node groups and storage.

export {
  AwsEncryptedBucket,
  type AwsEncryptedBucketArgs,
  BUCKET_DEFAULTS,
  bucketPolicyDocument,
} from "./bucket";
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  awsClusterAddons,
  awsClusterTarget,
  CLUSTER_DEFAULTS,
  canScale,
  checkAutoscalerImage,
  checkClusterNodeGroup,
  controlPlaneArgs,
  EKS_LOG_TYPES,
} from "./cluster";
export { awsContext } from "./context";
export { AWS_HYBRID_DNS_LIMITS, type AwsForwardZone, AwsHybridDns, type AwsHybridDnsArgs } from "./dns";
export { createKmsKey } from "./kms";
export { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
export {
  type AwsClusterRef,
  type AwsEfaPlacement,
  AwsGpuNodeGroup,
  type AwsGpuNodeGroupArgs,
  AwsNodeGroup,
  type AwsNodeGroupArgs,
  type AwsNodeGroupBaseArgs,
  type AwsNodeGroupSettings,
  amiTypeFor,
  checkEfaPlacement,
  isGpuGroup,
} from "./node-group";
export {
  type AwsSubnetPlan,
  AwsVpc,
  type AwsVpcArgs,
  EKS_INTERFACE_ENDPOINTS,
  type ExistingAwsVpc,
  planAwsSubnets,
  VPC_DEFAULTS,
} from "./vpc";
export {
  type AwsLinkEnd,
  AwsVpnGateway,
  type AwsVpnGatewayArgs,
  type AwsVpnNetwork,
  type AwsVpnPeer,
  createAwsVpnConnections,
  isAmazonSideAsn,
  VPN_GATEWAY_DEFAULTS,
} from "./vpn";
export {
  AwsWorkloadIdentity,
  type AwsWorkloadIdentityArgs,
  type DatasetGrant,
  datasetReadPolicy,
} from "./workload-identity";
