// The AWS folder's second door, for the reference stacks and the library's other folders (never
// published): the rules the stack config shares with the components, their schemas, defaults and
// the builders a VPN link composes.
export { BUCKET_DEFAULTS, bucketPolicyDocument, parseBucketArgs } from "./bucket";
export {
  accessEntrySchema,
  adminsSchema,
  awsClusterAddons,
  CLUSTER_DEFAULTS,
  canScale,
  checkAutoscalerImage,
  checkClusterNodeGroup,
  clusterNodeGroupShape,
  controlPlaneArgs,
  parseClusterArgs,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "./cluster";
export { AWS_HYBRID_DNS_LIMITS } from "./dns";
export { LOG_RETENTION_DAYS } from "./logs";
export { AWS_METRICS_DEFAULTS, alertManagerDefinition } from "./metrics";
export { amiTypeFor, checkEfaPlacement, isGpuGroup } from "./node-group";
export {
  type AwsSubnetPlan,
  availabilityZonesSchema,
  pinnedRange,
  planAwsSubnets,
  VPC_DEFAULTS,
} from "./vpc";
export {
  type AwsLinkEnd,
  type AwsVpnPeer,
  createAwsVpnConnections,
  isAmazonSideAsn,
  VPN_GATEWAY_DEFAULTS,
} from "./vpn";
export { datasetReadPolicy } from "./workload-identity";
