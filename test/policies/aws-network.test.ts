// AWS network exposure and logging: security groups in every resource shape, IPv4 and IPv6 and
// the internet in any spelling; default groups; subnets; endpoints; flow logs, log groups, tunnels.
import { describe, expect, it } from "vitest";
import {
  awsLogGroupEncrypted,
  awsLogGroupRetention,
  awsVpcFlowLogs,
  awsVpnTunnelLogging,
} from "../../policies/rules/aws-logging";
import {
  awsDefaultSgRestrictsAll,
  awsSgDescriptions,
  awsSgInternetIngressAuthorizedPorts,
  awsSgNoInternetAdminPorts,
  awsSgNoInternetEgressAll,
  awsSubnetNoPublicIp,
  awsVpcInterfaceEndpoints,
} from "../../policies/rules/aws-network";
import { ruleCases } from "./cases";
import { judge, resource, stackViolations, UNKNOWN_INPUT } from "./evaluate";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

/** The library's rule: HTTPS to the private API endpoint from the VPN networks. */
const apiFromVpn = { cidrIpv4: "10.10.0.0/16", fromPort: 443, ipProtocol: "tcp", securityGroupId: "sg-1" };

ruleCases(awsSgNoInternetAdminPorts, [
  { name: "the library's HTTPS from the VPN networks", type: INGRESS, props: apiFromVpn },
  {
    name: "DNS egress to the forward targets",
    type: SG,
    props: { egress: [{ cidrBlocks: ["10.10.0.53/32"], fromPort: 53, protocol: "udp", toPort: 53 }] },
  },
  {
    name: "SSH from an admin network",
    type: SG,
    props: { ingress: [{ cidrBlocks: ["203.0.113.0/24"], fromPort: 22, protocol: "tcp", toPort: 22 }] },
  },
  {
    name: "SSH from 0.0.0.0/0 inline",
    type: SG,
    props: { ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 22, protocol: "tcp", toPort: 22 }] },
    fails: ["ingress[0] admits 0.0.0.0/0 on tcp port 22"],
  },
  {
    name: "RDP from ::/0 as a SecurityGroupRule, protocol 6",
    type: RULE,
    props: { type: "ingress", ipv6CidrBlocks: ["::/0"], fromPort: 3389, protocol: "6", toPort: 3389 },
    fails: ["3389 (RDP)"],
  },
  {
    name: "the Kubernetes API from the internet split in two, protocol in capitals",
    type: RULE,
    props: {
      type: "ingress",
      cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"],
      fromPort: 6443,
      toPort: 6443,
      protocol: "TCP",
    },
    fails: ["6443 (Kubernetes API)"],
  },
  {
    name: "every port and protocol from the internet (-1)",
    type: INGRESS,
    props: { cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" },
    fails: ["every protocol and port"],
  },
  {
    name: "a range spanning SSH from a /0 with host bits",
    type: RULE,
    props: { type: "ingress", cidrBlocks: ["10.1.2.3/0"], fromPort: 0, protocol: "tcp", toPort: 1024 },
    fails: ["22 (SSH)"],
  },
  {
    name: "etcd from the internet written as two /1s",
    type: SG,
    props: {
      ingress: [{ cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"], fromPort: 2379, protocol: "tcp", toPort: 2380 }],
    },
    fails: ["the IPv4 internet"],
  },
  {
    name: "aws-native's inline ingress",
    type: "aws-native:ec2:SecurityGroup",
    props: {
      securityGroupIngress: [{ cidrIp: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }],
    },
    fails: ["5432 (PostgreSQL)"],
  },
]);

ruleCases(awsSgInternetIngressAuthorizedPorts, [
  {
    name: "HTTPS from the internet",
    type: INGRESS,
    props: { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 443, ipProtocol: "tcp" },
  },
  {
    name: "HTTP from a private range",
    type: INGRESS,
    props: { cidrIpv4: "10.0.0.0/8", fromPort: 80, toPort: 80, ipProtocol: "tcp" },
  },
  {
    name: "HTTP from the internet",
    type: INGRESS,
    props: { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80, ipProtocol: "tcp" },
    fails: ["tcp port 80"],
  },
  {
    name: "an unknown high port over IPv6",
    type: RULE,
    props: { type: "ingress", ipv6CidrBlocks: ["::/0"], fromPort: 9443, toPort: 9443, protocol: "tcp" },
    fails: ["tcp port 9443"],
  },
  {
    name: "every port of UDP",
    type: SG,
    props: { ingress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 65535, protocol: "udp" }] },
    fails: ["every port"],
  },
  {
    name: "HTTP from the internet, authorized by config",
    type: INGRESS,
    props: { cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80, ipProtocol: "tcp" },
    config: { authorizedPorts: ["443/tcp", "80/tcp"] },
  },
]);

ruleCases(awsSgNoInternetEgressAll, [
  {
    name: "HTTPS out",
    type: SG,
    props: { egress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 443, toPort: 443, protocol: "tcp" }] },
  },
  {
    name: "everything out",
    type: SG,
    props: { egress: [{ cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0, protocol: "-1" }] },
    fails: ["lets everything out"],
  },
  {
    name: "everything out as an egress rule resource",
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    props: { cidrIpv6: "::/0", ipProtocol: "-1" },
    fails: ["lets everything out"],
  },
]);

ruleCases(awsSubnetNoPublicIp, [
  {
    name: "the library's subnets",
    type: "aws:ec2/subnet:Subnet",
    props: { cidrBlock: "10.20.0.0/18", mapPublicIpOnLaunch: false },
  },
  {
    name: "mapPublicIpOnLaunch true",
    type: "aws:ec2/subnet:Subnet",
    props: { mapPublicIpOnLaunch: true },
    fails: ["mapPublicIpOnLaunch"],
  },
  {
    name: "mapPublicIpOnLaunch as a string",
    type: "aws:ec2/subnet:Subnet",
    props: { mapPublicIpOnLaunch: "True" },
    fails: ["mapPublicIpOnLaunch"],
  },
]);

describe("aws-default-sg-restricts-all", () => {
  const vpc = resource("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.20.0.0/16" });
  it("passes a VPC whose default group is managed without rules", async () => {
    const sg = resource(
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      "default",
      { vpcId: UNKNOWN_INPUT },
      { dependencies: [vpc] },
    );
    expect(await stackViolations(awsDefaultSgRestrictsAll, [vpc, sg])).toEqual([]);
  });
  it("fails a default group with rules, and a VPC whose default group is left to AWS", async () => {
    const sg = resource("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "default", {
      vpcId: "vpc",
      ingress: [{ self: true, protocol: "-1", fromPort: 0, toPort: 0 }],
    });
    expect((await stackViolations(awsDefaultSgRestrictsAll, [vpc, sg])).map((v) => v.message)).toEqual([
      "default security group default allows 1 rule(s); remove every ingress and egress rule",
    ]);
    expect((await stackViolations(awsDefaultSgRestrictsAll, [vpc]))[0]?.message).toContain(
      "keeps AWS's allow-all rules",
    );
  });
});

describe("aws-vpc-interface-endpoints", () => {
  const vpc = resource("aws:ec2/vpc:Vpc", "vpc", {});
  const endpoint = (service: string) =>
    resource(
      "aws:ec2/vpcEndpoint:VpcEndpoint",
      service,
      { serviceName: `com.amazonaws.eu-west-1.${service}`, vpcId: "vpc" },
      { dependencies: [vpc] },
    );
  it("passes the library's endpoints and names the missing ones", async () => {
    expect(
      await stackViolations(awsVpcInterfaceEndpoints, [
        vpc,
        ...["ec2", "ecr.api", "ecr.dkr", "s3", "sts"].map(endpoint),
      ]),
    ).toEqual([]);
    expect((await stackViolations(awsVpcInterfaceEndpoints, [vpc, endpoint("s3")]))[0]?.message).toBe(
      "VPC vpc has no endpoint for ec2, ecr.api, ecr.dkr; its nodes need internet egress to reach them",
    );
  });
});

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
ruleCases(awsLogGroupEncrypted, [
  {
    name: "aws-native's log group with no key",
    type: "aws-native:logs:LogGroup",
    props: { retentionInDays: 365 },
    fails: ["kmsKeyId is unset"],
  },
  {
    name: "aws-native's log group with a key",
    type: "aws-native:logs:LogGroup",
    props: { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/x" },
  },
  {
    name: "a key",
    type: LOG_GROUP,
    props: { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/x", retentionInDays: 365 },
  },
  { name: "no key", type: LOG_GROUP, props: { retentionInDays: 365 }, fails: ["kmsKeyId is unset"] },
]);
ruleCases(awsLogGroupRetention, [
  {
    name: "aws-native's log group kept a week",
    type: "aws-native:logs:LogGroup",
    props: { retentionInDays: 7 },
    fails: ["under 365 days"],
  },
  {
    name: "aws-native's log group with no retention",
    type: "aws-native:logs:LogGroup",
    props: {},
    fails: ["never expire"],
  },
  { name: "a year", type: LOG_GROUP, props: { retentionInDays: 365 } },
  { name: "forever (0)", type: LOG_GROUP, props: { retentionInDays: 0 } },
  { name: "unset", type: LOG_GROUP, props: {}, fails: ["never expire"] },
  { name: "a week", type: LOG_GROUP, props: { retentionInDays: 7 }, fails: ["under 365 days"] },
]);

const tunnelLog = {
  cloudwatchLogOptions: {
    logEnabled: true,
    logGroupArn: "arn:aws:logs:eu-west-1:1:log-group:/aws/vendedlogs/vpn/v",
    logOutputFormat: "json",
  },
};
ruleCases(awsVpnTunnelLogging, [
  {
    name: "both tunnels logging",
    type: "aws:ec2/vpnConnection:VpnConnection",
    props: { tunnel1LogOptions: tunnelLog, tunnel2LogOptions: tunnelLog },
  },
  {
    name: "the second tunnel silent",
    type: "aws:ec2/vpnConnection:VpnConnection",
    props: { tunnel1LogOptions: tunnelLog },
    fails: ["tunnel2LogOptions"],
  },
  {
    name: "logging turned off",
    type: "aws:ec2/vpnConnection:VpnConnection",
    props: {
      tunnel1LogOptions: { cloudwatchLogOptions: { logEnabled: false } },
      tunnel2LogOptions: tunnelLog,
    },
    fails: ["tunnel1LogOptions"],
  },
]);

describe("aws-vpc-flow-logs", () => {
  const vpc = resource("aws:ec2/vpc:Vpc", "vpc", {});
  const flow = (trafficType: string) =>
    resource(
      "aws:ec2/flowLog:FlowLog",
      "flow",
      { vpcId: UNKNOWN_INPUT, trafficType, logDestination: "arn:aws:logs:eu-west-1:1:log-group:f" },
      { dependencies: [vpc] },
    );
  it("passes a VPC logging ALL traffic, and fails one logging only rejects or none", async () => {
    expect(await stackViolations(awsVpcFlowLogs, [vpc, flow("ALL")])).toEqual([]);
    expect((await stackViolations(awsVpcFlowLogs, [vpc, flow("REJECT")]))[0]?.message).toContain(
      'record "REJECT" traffic only',
    );
    expect((await stackViolations(awsVpcFlowLogs, [vpc]))[0]?.message).toBe("VPC vpc has no flow log");
  });
});

describe("security group rules' sources", () => {
  it("count the internet as many blocks in one rule, and leave an unknown block to the update", async () => {
    const many = Array.from({ length: 20 }, (_, i) => `${i + 11}.0.0.0/8`);
    const { violations } = await judge(awsSgNoInternetAdminPorts, SG, {
      ingress: [{ cidrBlocks: many, fromPort: 22, toPort: 22, protocol: "tcp" }],
    });
    expect(violations[0]).toContain("(the IPv4 internet)");
    const unknown = await judge(awsSgNoInternetAdminPorts, SG, {
      ingress: [{ cidrBlocks: [UNKNOWN_INPUT], fromPort: 22, toPort: 22, protocol: "tcp" }],
    });
    expect(unknown.violations).toEqual([]);
    expect(unknown.undecided).toContain("ingress[0]");
  });
});

ruleCases(awsSgDescriptions, [
  {
    name: "the library's described rule",
    type: INGRESS,
    props: { ...apiFromVpn, description: "HTTPS from the VPN networks" },
  },
  {
    name: "a described group with described inline rules",
    type: SG,
    props: {
      description: "API endpoint",
      ingress: [
        {
          description: "HTTPS from the VPC",
          fromPort: 443,
          toPort: 443,
          protocol: "tcp",
          cidrBlocks: ["10.0.0.0/16"],
        },
      ],
    },
  },
  { name: "a group left to the default", type: SG, props: {}, fails: ["unset, the provider's default"] },
  {
    name: "a group saying Managed by Pulumi",
    type: SG,
    props: { description: "Managed by Pulumi" },
    fails: ["Managed by Pulumi"],
  },
  {
    name: "an inline rule without one",
    type: SG,
    props: {
      description: "nodes",
      egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["10.0.0.0/8"] }],
    },
    fails: ["egress[0] has description unset"],
  },
  {
    name: "a rule resource without one",
    type: RULE,
    props: { type: "ingress", fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.0.0.0/8"] },
    fails: ["description is unset"],
  },
  {
    name: "aws-native's group",
    type: "aws-native:ec2:SecurityGroup",
    props: { groupDescription: " " },
    fails: ["groupDescription"],
  },
]);
