// Networks: the AWS VPC (and, later, the Azure VNet) that clusters and storage live in.

export { type AwsSubnetPlan, planAwsSubnets } from "./aws-subnet-plan";
export { AwsVpc, type AwsVpcArgs, EKS_INTERFACE_ENDPOINTS, type ExistingAwsVpc } from "./aws-vpc";
