// Networks: the AWS VPC and the Azure VNet that clusters and storage live in.

export { type AwsSubnetPlan, planAwsSubnets } from "./aws-subnet-plan";
export {
  AwsVpc,
  type AwsVpcArgs,
  availabilityZonesSchema,
  EKS_INTERFACE_ENDPOINTS,
  type ExistingAwsVpc,
} from "./aws-vpc";
export {
  AZURE_SUBNET_ROLES,
  type AzureSubnetPlan,
  type AzureSubnetRole,
  AzureVnet,
  type AzureVnetArgs,
  type ExistingAzureVnet,
  planAzureSubnets,
} from "./azure-vnet";
