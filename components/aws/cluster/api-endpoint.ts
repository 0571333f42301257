import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { allowHttpsFrom } from "../security-group";
import type { ClusterScope } from "./scope";

/** A network allowed to reach the private API endpoint, with the key its rule is named by. */
export interface ApiSource {
  key: string;
  cidr: pulumi.Input<string>;
}

/** Who may reach the private endpoint: the VPC, plus any network the caller names (VPN peers). */
export function apiSources(
  vpcCidr: pulumi.Input<string>,
  endpointAccessCidrs: readonly string[] = [],
): ApiSource[] {
  return [
    { key: "vpc", cidr: vpcCidr },
    ...endpointAccessCidrs.map((cidr) => ({ key: cidr.replace(/[./]/g, "-"), cidr })),
  ];
}

/** The security group of the private API endpoint: HTTPS from each source, nothing else. */
export function createApiSecurityGroup(
  scope: ClusterScope,
  vpcId: pulumi.Input<string>,
  sources: readonly ApiSource[],
): ec2.SecurityGroup {
  const { name, parent, clusterName, common } = scope;
  const apiSg = new ec2.SecurityGroup(
    childName(name, "api"),
    {
      vpcId,
      description: `HTTPS to the private API endpoint of ${clusterName}`,
      tags: { ...common.tags, Name: childName(name, "api") },
    },
    { parent },
  );
  for (const source of sources) {
    allowHttpsFrom(childName(name, "api", source.key), parent, {
      securityGroupId: apiSg.id,
      cidr: source.cidr,
      description: `Kubernetes API from ${source.key}`,
      tags: common.tags,
    });
  }
  return apiSg;
}
