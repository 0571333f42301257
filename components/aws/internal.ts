// The AWS folder's second door, for the reference stacks and the library's other folders (never
// published): the rules the stack config shares with the components (plain functions over plain
// values, reporting to an IssueSink), their schemas, defaults and the builders a VPN link composes.
export { BUCKET_DEFAULTS, bucketPolicyDocument, checkDerivedBucketPrefix } from "./bucket";
export {
  accessEntrySchema,
  addonVersionsSchema,
  adminsSchema,
  awsClusterAddons,
  CLUSTER_DEFAULTS,
  canScale,
  checkAutoscalerImage,
  checkClusterNames,
  checkClusterNodeGroup,
  checkDerivedClusterName,
  checkImagesReachable,
  checkNetworkPolicySupport,
  checkOneEntryPerPrincipal,
  clusterGeneratedNames,
  clusterNameOf,
  clusterNodeGroupShape,
  controlPlaneArgs,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "./cluster";
export {
  type CopyGrants,
  dataCopyPolicy,
  type ManifestGrant,
  pemCertificateBundleSchema,
  rolesAnywhereSessionSecondsSchema,
} from "./data-copy";
export { AWS_HYBRID_DNS_LIMITS } from "./dns";
export { LOG_RETENTION_DAYS } from "./logs";
export { AWS_METRICS_DEFAULTS, alertManagerDefinition } from "./metrics";
export { AWS_NAME_LIMITS, checkNameLimits, type GeneratedName } from "./names";
export { amiTypeFor, checkEfaPlacement, isGpuGroup } from "./node-group";
export {
  type AwsSubnetPlan,
  availabilityZonesSchema,
  pinnedRange,
  planAwsSubnets,
  resolveFlowLogsFlag,
  resolveNewVpc,
  VPC_DEFAULTS,
  vpcGeneratedNames,
} from "./vpc";
export {
  type AwsLinkEnd,
  type AwsVpnPeer,
  createAwsVpnConnections,
  customerGatewayDeviceName,
  isAmazonSideAsn,
  tunnelLogGroupName,
  VPN_GATEWAY_DEFAULTS,
} from "./vpn";
export { datasetReadPolicy, workloadIdentityNames } from "./workload-identity";
