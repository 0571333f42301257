import { addressAt, carveSubnets, lastBlock, parseCidr } from "../../validation";

/** The subnets a new VPC gets, by zone. */
export interface AwsSubnetPlan {
  readonly privateSubnets: string[];
  readonly publicSubnets: string[];
}

/**
 * Splits the VPC into quarters: the first three are the private subnets (one per zone, large,
 * because the VPC CNI gives every pod a VPC address), and the last quarter is cut into sixteenths
 * for the small public subnets that only hold NAT gateways and load balancers.
 */
export function planAwsSubnets(vpcCidr: string, zones: number): AwsSubnetPlan {
  const vpc = parseCidr(vpcCidr);
  const quarters = carveSubnets(vpc, vpc.prefix + 2, 4);
  const lastQuarter = quarters[3] ?? vpc.text;
  return {
    privateSubnets: quarters.slice(0, zones),
    publicSubnets: carveSubnets(lastQuarter, vpc.prefix + 4, zones),
  };
}

/**
 * The range a private subnet keeps for addresses the platform pins (an explicit subnet CIDR
 * reservation: EC2 never assigns it on its own, so nodes and pods cannot take it): the subnet's last
 * /28. The Route 53 Resolver inbound endpoint takes its fifth address (AWS keeps the subnet's last).
 */
export function pinnedRange(subnet: string): { cidr: string; resolverIp: string } {
  const cidr = lastBlock(subnet, 28);
  return { cidr, resolverIp: addressAt(cidr, 4) };
}
