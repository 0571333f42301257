import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { ResolvedExistingVpc, ResolvedNewVpc } from "./args";
import { createNatEgress } from "./nat";
import type { VpcScope } from "./scope";
import { pinnedRange } from "./subnet-plan";
import { createSubnets } from "./subnets";
import { type VpcZone, vpcZones } from "./zones";

/** The network the endpoints, flow logs and outputs refer to: a new VPC's, or an existing one's. */
export interface VpcNetwork {
  vpcId: pulumi.Output<string>;
  cidrBlock: pulumi.Output<string>;
  privateSubnetIds: pulumi.Output<string[]>;
  /** The same subnets, one Output each (a list whose length is known before deploy). */
  privateSubnets: pulumi.Output<string>[];
  /** Zones of the private subnets, in order; empty for an existing VPC (its subnets are given by id only). */
  privateSubnetZones: pulumi.Output<string[]>;
  privateRouteTableIds: pulumi.Output<string[]>;
  /** The same route tables, one Output each (a list whose length is known before deploy). */
  privateRouteTables: pulumi.Output<string>[];
  /** Interface endpoints take at most one subnet per zone: a new VPC has exactly one per zone. */
  endpointSubnetIds: pulumi.Output<string[]>;
  /** Public subnets (only with NAT); empty otherwise. */
  publicSubnetIds: pulumi.Output<string[]>;
  /** Each private subnet's reserved range for pinned addresses, in order; empty for an existing VPC. */
  pinnedRanges: pulumi.Output<string[]>;
}

/** An existing VPC, as given: nothing is declared for it here. */
export function existingVpcNetwork(existing: ResolvedExistingVpc): VpcNetwork {
  return {
    vpcId: pulumi.output(existing.vpcId),
    cidrBlock: pulumi.output(existing.cidrBlock),
    privateSubnetIds: pulumi.output(existing.privateSubnetIds),
    privateSubnets: Array.isArray(existing.privateSubnetIds)
      ? existing.privateSubnetIds.map((id) => pulumi.output(id))
      : [],
    privateSubnetZones: pulumi.output([]),
    privateRouteTableIds: pulumi.output(existing.privateRouteTableIds),
    privateRouteTables: Array.isArray(existing.privateRouteTableIds)
      ? existing.privateRouteTableIds.map((id) => pulumi.output(id))
      : [],
    endpointSubnetIds: pulumi.output(existing.endpointSubnetIds),
    publicSubnetIds: pulumi.output([]),
    pinnedRanges: pulumi.output([]),
  };
}

/**
 * A new VPC: DNS on, a default security group that allows nothing, a private subnet and route table
 * per zone, and, with NAT, the public tier and egress through it.
 */
export function newVpcNetwork(scope: VpcScope, args: ResolvedNewVpc): VpcNetwork {
  const zones = vpcZones(scope.name, scope.parent, args.availabilityZones, args.zoneCount);
  const vpcCidr = args.cidrBlock;
  const vpc = new ec2.Vpc(
    scope.name,
    { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: scope.tag("vpc") },
    { parent: scope.parent },
  );
  // CIS AWS 5.4: the default security group allows nothing, so nothing can fall back to it.
  new ec2.DefaultSecurityGroup(
    childName(scope.name, "default-sg"),
    { vpcId: vpc.id, tags: scope.tag("default-sg") },
    { parent: scope.parent },
  );
  const privateCidrs = args.privateSubnetCidrs;
  const privateSubnets = createSubnets(scope, "private", vpc.id, zones, privateCidrs);
  const reservations = reservePinnedRanges(scope, zones, privateSubnets, privateCidrs);
  const privateTables = createPrivateRouteTables(scope, vpc.id, zones, privateSubnets);
  const nat = args.natGateways;
  const publicSubnets =
    nat === "none"
      ? undefined
      : createNatEgress(scope, vpc.id, privateTables, zones, args.publicSubnetCidrs, nat);
  // Whatever launches into a private subnet waits for its reservation, so no node or pod is ever
  // given an address the platform pins.
  const privateIds = privateSubnets.map((s, i) =>
    pulumi.all([s.id, reservations[i]?.id]).apply(([id]) => id),
  );
  const privateSubnetIds = pulumi.all(privateIds);
  return {
    vpcId: vpc.id,
    cidrBlock: vpc.cidrBlock,
    privateSubnetIds,
    privateSubnets: privateIds,
    pinnedRanges: pulumi.output(privateCidrs.map((c) => pinnedRange(c).cidr)),
    privateSubnetZones: pulumi.all(zones.map((z) => z.zone)),
    privateRouteTableIds: pulumi.all(privateTables.map((t) => t.id)),
    privateRouteTables: privateTables.map((t) => t.id),
    endpointSubnetIds: privateSubnetIds,
    publicSubnetIds: publicSubnets ? pulumi.all(publicSubnets.map((s) => s.id)) : pulumi.output([]),
  };
}

/**
 * Each private subnet's last /28 as an explicit subnet CIDR reservation: EC2 assigns none of it on its
 * own, so addresses pinned there (the Resolver's inbound endpoint, which the other sites are
 * configured with before the first update) are never taken by a node or a pod first.
 */
function reservePinnedRanges(
  scope: VpcScope,
  zones: readonly VpcZone[],
  subnets: readonly ec2.Subnet[],
  cidrs: readonly string[],
): ec2.SubnetCidrReservation[] {
  return zones.map(
    ({ key }, i) =>
      new ec2.SubnetCidrReservation(
        childName(scope.name, "private", key, "pinned"),
        {
          subnetId: subnets[i]?.id ?? "",
          cidrBlock: pinnedRange(cidrs[i] ?? "").cidr,
          reservationType: "explicit",
          description: "Addresses hybrid-ai-infra pins (Route 53 Resolver inbound endpoint)",
        },
        { parent: scope.parent },
      ),
  );
}

/** One route table per private subnet (so each zone can get its own NAT route), associated with it. */
function createPrivateRouteTables(
  scope: VpcScope,
  vpcId: pulumi.Input<string>,
  zones: readonly VpcZone[],
  subnets: readonly ec2.Subnet[],
): ec2.RouteTable[] {
  const tables = zones.map(
    ({ key }) =>
      new ec2.RouteTable(
        childName(scope.name, "private", key),
        { vpcId, tags: scope.tag(`private-${key}`) },
        { parent: scope.parent },
      ),
  );
  zones.forEach(({ key }, i) => {
    new ec2.RouteTableAssociation(
      childName(scope.name, "private", key),
      { subnetId: subnets[i]?.id ?? "", routeTableId: tables[i]?.id ?? "" },
      { parent: scope.parent },
    );
  });
  return tables;
}
