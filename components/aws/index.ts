// hybrid-ai-infra/aws: the AWS site's components, their arguments, and what composing them needs.
// What the reference stacks and the other folders compose from (rules, schemas, builders) is
// behind ./internal, which the package does not publish.
export { ConfigError, type ConfigIssue } from "../validation";
export { AwsEncryptedBucket, type AwsEncryptedBucketArgs } from "./bucket";
export {
  type AwsClusterNetwork,
  type AwsClusterNodeGroup,
  AwsPrivateCluster,
  type AwsPrivateClusterArgs,
  awsClusterTarget,
  EKS_LOG_TYPES,
} from "./cluster";
export {
  AwsDataCopyRole,
  type AwsDataCopyRoleArgs,
  AwsDataEndpoints,
  type AwsDataEndpointsArgs,
  AwsFederatedIssuer,
  type AwsFederatedIssuerArgs,
  AwsRolesAnywhereAnchor,
  type AwsRolesAnywhereAnchorArgs,
  type CopyBucketGrant,
  type CopyRoleTrust,
  type RolesAnywhereRoleTrust,
} from "./data-copy";
export {
  type AwsForwardZone,
  AwsHybridDns,
  type AwsHybridDnsArgs,
  AwsServiceZone,
  type AwsServiceZoneArgs,
} from "./dns";
export { AwsClusterMetrics, type AwsClusterMetricsArgs, METRICS_INTERFACE_ENDPOINTS } from "./metrics";
export {
  type AwsClusterRef,
  type AwsEfaPlacement,
  AwsGpuNodeGroup,
  type AwsGpuNodeGroupArgs,
  AwsNodeGroup,
  type AwsNodeGroupArgs,
  type AwsNodeGroupBaseArgs,
  type AwsNodeGroupSettings,
} from "./node-group";
export { AwsVpc, type AwsVpcArgs, EKS_INTERFACE_ENDPOINTS, type ExistingAwsVpc } from "./vpc";
export { AwsVpnGateway, type AwsVpnGatewayArgs, type AwsVpnNetwork } from "./vpn";
export { AwsWorkloadIdentity, type AwsWorkloadIdentityArgs, type DatasetGrant } from "./workload-identity";
