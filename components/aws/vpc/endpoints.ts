import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { allowHttpsFrom } from "../security-group";
import type { VpcScope } from "./scope";

/** Interface endpoints a private EKS cluster needs to run with no internet egress. */
export const EKS_INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "ec2",
  "eks",
  "eks-auth",
  // Cluster Autoscaler resizes the node groups' Auto Scaling groups through this API.
  "autoscaling",
] as const;

/** Where the endpoints go. */
export interface EndpointPlacement {
  vpcId: pulumi.Input<string>;
  /** The VPC block: the only source the endpoints accept HTTPS from. */
  cidrBlock: pulumi.Input<string>;
  /** Subnets of the interface endpoints, at most one per zone. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Route tables the S3 gateway endpoint adds its routes to. */
  routeTableIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** The service name of an endpoint in the partition and region of the component's provider. */
function serviceName(scope: VpcScope, service: string): pulumi.Output<string> {
  return pulumi.interpolate`${scope.ctx.reverseDnsPrefix}.${scope.ctx.region}.${service}`;
}

/**
 * The endpoints a private cluster needs without internet egress: interface endpoints (the EKS set
 * plus `extra`, each once) with private DNS behind a security group that takes HTTPS from the VPC
 * only, and the S3 gateway endpoint that ECR image layers come through. Returns the security group
 * and the gateway endpoint (an S3 interface endpoint answering inbound resolvers only needs it first).
 */
export function createEndpoints(
  scope: VpcScope,
  at: EndpointPlacement,
  extra: readonly string[] = [],
): { securityGroup: ec2.SecurityGroup; s3Gateway: ec2.VpcEndpoint } {
  const { name, parent } = scope;
  const sg = new ec2.SecurityGroup(
    childName(name, "endpoints"),
    {
      vpcId: at.vpcId,
      description: "VPC interface endpoints: HTTPS from inside the VPC only",
      tags: scope.tag("endpoints"),
    },
    { parent },
  );
  allowHttpsFrom(childName(name, "endpoints-https"), parent, {
    securityGroupId: sg.id,
    cidr: at.cidrBlock,
    description: "HTTPS from the VPC",
    tags: scope.common.tags,
  });
  for (const service of [...new Set([...EKS_INTERFACE_ENDPOINTS, ...extra])]) {
    new ec2.VpcEndpoint(
      childName(name, service.replace(/\./g, "-")),
      {
        vpcId: at.vpcId,
        serviceName: serviceName(scope, service),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        subnetIds: at.subnetIds,
        securityGroupIds: [sg.id],
        tags: scope.tag(`endpoint-${service}`),
      },
      { parent },
    );
  }
  const s3Gateway = new ec2.VpcEndpoint(
    childName(name, "s3"),
    {
      vpcId: at.vpcId,
      serviceName: serviceName(scope, "s3"),
      vpcEndpointType: "Gateway",
      routeTableIds: at.routeTableIds,
      tags: scope.tag("endpoint-s3"),
    },
    { parent },
  );
  return { securityGroup: sg, s3Gateway };
}
