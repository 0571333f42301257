import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { VpcScope } from "./scope";
import { createSubnets } from "./subnets";
import type { VpcZone } from "./zones";

/**
 * Internet egress for the private subnets: an internet gateway, a public subnet per zone with one
 * route table, NAT gateways (one, or one per zone) and a default route from each private table to
 * its NAT gateway. Returns the public subnets.
 */
export function createNatEgress(
  scope: VpcScope,
  vpcId: pulumi.Input<string>,
  privateTables: readonly ec2.RouteTable[],
  zones: readonly VpcZone[],
  publicCidrs: readonly string[],
  nat: "single" | "perZone",
): ec2.Subnet[] {
  const { name, parent } = scope;
  const igw = new ec2.InternetGateway(name, { vpcId, tags: scope.tag("igw") }, { parent });
  const publicTable = new ec2.RouteTable(
    childName(name, "public"),
    { vpcId, tags: scope.tag("public") },
    { parent },
  );
  new ec2.Route(
    childName(name, "public-default"),
    { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
    { parent },
  );
  const publicSubnets = createSubnets(scope, "public", vpcId, zones, publicCidrs);
  publicSubnets.forEach((subnet, i) => {
    new ec2.RouteTableAssociation(
      childName(name, "public", zones[i]?.key ?? String(i)),
      { subnetId: subnet.id, routeTableId: publicTable.id },
      { parent },
    );
  });
  const natZones = nat === "single" ? zones.slice(0, 1) : zones;
  const gateways = natZones.map(({ key }, i) => natGateway(scope, key, publicSubnets[i]?.id ?? "", igw));
  privateTables.forEach((table, i) => {
    const gateway = gateways[nat === "single" ? 0 : i];
    new ec2.Route(
      childName(name, "private-default", zones[i]?.key ?? String(i)),
      { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: gateway?.id ?? "" },
      { parent },
    );
  });
  return publicSubnets;
}

/** A NAT gateway with its Elastic IP in the public subnet of zone `key`, once the internet gateway exists. */
function natGateway(
  scope: VpcScope,
  key: string,
  subnetId: pulumi.Input<string>,
  igw: ec2.InternetGateway,
): ec2.NatGateway {
  const eip = new ec2.Eip(
    childName(scope.name, "nat", key),
    { domain: "vpc", tags: scope.tag(`nat-${key}`) },
    { parent: scope.parent },
  );
  return new ec2.NatGateway(
    childName(scope.name, "nat", key),
    { allocationId: eip.id, subnetId, tags: scope.tag(`nat-${key}`) },
    { parent: scope.parent, dependsOn: [igw] },
  );
}
