// The AWS network: its args, the subnet plan, and the component that wires subnets, NAT, endpoints and flow logs.
export {
  type AwsVpcArgs,
  availabilityZonesSchema,
  type ExistingAwsVpc,
  type ParsedVpcArgs,
  type ResolvedVpcArgs,
  resolveFlowLogsFlag,
  resolveNewVpc,
  resolveVpcArgs,
  VPC_DEFAULTS,
  vpcArgsSchema,
  vpcGeneratedNames,
} from "./args";
export { EKS_INTERFACE_ENDPOINTS } from "./endpoints";
export { type AwsSubnetPlan, pinnedRange, planAwsSubnets } from "./subnet-plan";
export { AwsVpc } from "./vpc";
