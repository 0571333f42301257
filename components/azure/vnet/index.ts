// The Azure network, one file per concern: args (interface, schema, defaults), the subnet plan
// (pure CIDR arithmetic), NSGs, NAT egress, subnets, flow logs, and the component.
export { type AzureVnetArgs, type ExistingAzureVnet, VNET_DEFAULTS, vnetArgsSchema } from "./args";
export {
  AZURE_SUBNET_ROLES,
  type AzureSubnetPlan,
  type AzureSubnetRole,
  planAzureSubnets,
} from "./subnet-plan";
export { AzureVnet } from "./vnet";
