import * as vpc from "@pulumi/aws/vpc";
import type * as pulumi from "@pulumi/pulumi";

/** An ingress rule that lets one IPv4 network reach a security group on HTTPS (443/tcp) only. */
export function allowHttpsFrom(
  name: string,
  parent: pulumi.Resource,
  rule: {
    securityGroupId: pulumi.Input<string>;
    cidr: pulumi.Input<string>;
    description: string;
    tags: Record<string, string>;
  },
): vpc.SecurityGroupIngressRule {
  return new vpc.SecurityGroupIngressRule(
    name,
    {
      securityGroupId: rule.securityGroupId,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: rule.cidr,
      description: rule.description,
      tags: rule.tags,
    },
    { parent },
  );
}
