import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { VpcScope } from "./scope";
import type { VpcZone } from "./zones";

/** The load balancer role Kubernetes looks for on the subnets of each tier. */
const ELB_ROLE_TAG = {
  private: "kubernetes.io/role/internal-elb",
  public: "kubernetes.io/role/elb",
} as const;

/**
 * One subnet of `tier` per zone. No subnet gives instances public IPs: public subnets hold only NAT
 * gateways and load balancers, so nothing gets a public IP by accident.
 */
export function createSubnets(
  scope: VpcScope,
  tier: "private" | "public",
  vpcId: pulumi.Input<string>,
  zones: readonly VpcZone[],
  cidrs: readonly string[],
): ec2.Subnet[] {
  return zones.map(
    ({ key, zone }, i) =>
      new ec2.Subnet(
        childName(scope.name, tier, key),
        {
          vpcId,
          availabilityZone: zone,
          cidrBlock: cidrs[i] ?? "",
          mapPublicIpOnLaunch: false,
          tags: scope.tag(`${tier}-${key}`, { [ELB_ROLE_TAG[tier]]: "1", tier }),
        },
        { parent: scope.parent },
      ),
  );
}
