import * as ec2 from "@pulumi/aws/ec2";
import * as vpc from "@pulumi/aws/vpc";
import type * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";

/** The network parts EFA nodes share: a security group open only to itself, and a placement group. */
export interface EfaNetwork {
  securityGroupId: pulumi.Output<string>;
  placementGroupName: pulumi.Output<string>;
}

/**
 * Declares what EFA needs besides the interfaces themselves: EFA traffic bypasses the kernel, so its
 * security group must allow everything to and from itself; a cluster placement group keeps the
 * nodes close together.
 */
export function createEfaNetwork(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  vpcId: pulumi.Input<string>,
): EfaNetwork {
  const opts = { parent };
  const efaSg = new ec2.SecurityGroup(
    childName(name, "efa"),
    { vpcId, description: `EFA traffic between nodes of ${name}`, tags: common.tags },
    opts,
  );
  const peers = {
    securityGroupId: efaSg.id,
    ipProtocol: "-1",
    referencedSecurityGroupId: efaSg.id,
    description: "EFA peers",
    tags: common.tags,
  };
  new vpc.SecurityGroupIngressRule(childName(name, "efa-in"), peers, opts);
  new vpc.SecurityGroupEgressRule(childName(name, "efa-out"), peers, opts);
  const group = new ec2.PlacementGroup(
    childName(name, "placement"),
    { strategy: "cluster", tags: common.tags },
    opts,
  );
  return { securityGroupId: efaSg.id, placementGroupName: group.name };
}
