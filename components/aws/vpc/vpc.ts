import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../context";
import { type AwsVpcArgs, parseVpcArgs } from "./args";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flow-logs";
import { existingVpcNetwork, newVpcNetwork } from "./network";
import { vpcScope } from "./scope";

/**
 * A VPC for private EKS clusters: private subnets across 3 zones by default (or the 2-3 given),
 * optional NAT egress, the VPC endpoints a cluster needs without internet egress, a locked default
 * security group and KMS-encrypted flow logs. Or an existing VPC, to which only endpoints and flow
 * logs are added.
 */
export class AwsVpc extends pulumi.ComponentResource {
  /** The VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 block. */
  public readonly cidrBlock: pulumi.Output<string>;
  /** Private subnets, one per zone. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The private subnets, one Output each, for resources declared per subnet (resolver endpoint addresses); empty for an existing VPC whose subnets are an Output. */
  public readonly privateSubnets: pulumi.Output<string>[];
  /** Zones of the private subnets, in the same order; undefined for an existing VPC (its subnets are given by id only). */
  public readonly privateSubnetZones: pulumi.Output<string[]> | undefined;
  /** Public subnets (only with NAT); empty otherwise. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Route tables of the private subnets. */
  public readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** The same route tables, one Output each, for resources declared per table (VPN route propagation); empty for an existing VPC whose tables are an Output. */
  public readonly privateRouteTables: pulumi.Output<string>[];
  /** Security group of the interface endpoints (443 from the VPC only); undefined without endpoints. */
  public readonly endpointSecurityGroupId: pulumi.Output<string | undefined>;
  /** S3's gateway endpoint; undefined without endpoints (an existing VPC may have its own). */
  public readonly s3GatewayEndpointId: pulumi.Output<string | undefined>;
  /** Log group of the flow logs; undefined without flow logs. */
  public readonly flowLogGroupName: pulumi.Output<string | undefined>;
  /**
   * Each private subnet's last /28, reserved (explicit subnet CIDR reservation) for addresses the
   * platform pins, in subnet order; empty for an existing VPC.
   */
  public readonly pinnedRanges: pulumi.Output<string[]>;
  /**
   * Whether the private subnets reach the internet (through NAT); undefined for an existing VPC,
   * whose routes this component does not know. An `AwsPrivateCluster` on this network reads it.
   */
  public readonly internetEgress: boolean | undefined;

  constructor(name: string, args: AwsVpcArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const resolved = parseVpcArgs(name, args);
    super("hybrid-ai-infra:index:AwsVpc", name, {}, opts);
    const scope = vpcScope(name, this, resolved.common, awsContext(this));
    const existing = resolved.vpc.kind === "existing";

    const network =
      resolved.vpc.kind === "existing"
        ? existingVpcNetwork(resolved.vpc.existing)
        : newVpcNetwork(scope, resolved.vpc.shape);
    const endpoints = resolved.endpoints
      ? createEndpoints(
          scope,
          {
            vpcId: network.vpcId,
            cidrBlock: network.cidrBlock,
            subnetIds: network.endpointSubnetIds,
            routeTableIds: network.privateRouteTableIds,
          },
          resolved.extraInterfaceEndpoints,
        )
      : undefined;
    const flowLogs = resolved.flowLogs
      ? createFlowLogs(scope, network.vpcId, resolved.flowLogRetentionDays)
      : undefined;

    this.internetEgress = resolved.internetEgress;
    this.vpcId = network.vpcId;
    this.cidrBlock = network.cidrBlock;
    this.privateSubnetIds = network.privateSubnetIds;
    this.privateSubnets = network.privateSubnets;
    this.privateSubnetZones = existing ? undefined : network.privateSubnetZones;
    this.publicSubnetIds = network.publicSubnetIds;
    this.privateRouteTableIds = network.privateRouteTableIds;
    this.privateRouteTables = network.privateRouteTables;
    this.endpointSecurityGroupId = endpoints ? endpoints.securityGroup.id : pulumi.output(undefined);
    this.s3GatewayEndpointId = endpoints ? endpoints.s3Gateway.id : pulumi.output(undefined);
    this.flowLogGroupName = flowLogs ? flowLogs.name : pulumi.output(undefined);
    this.pinnedRanges = network.pinnedRanges;
    this.registerOutputs({
      vpcId: this.vpcId,
      cidrBlock: this.cidrBlock,
      privateSubnetIds: this.privateSubnetIds,
      privateSubnetZones: network.privateSubnetZones,
      publicSubnetIds: this.publicSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      s3GatewayEndpointId: this.s3GatewayEndpointId,
      flowLogGroupName: this.flowLogGroupName,
      pinnedRanges: this.pinnedRanges,
    });
  }
}
