import { beforeAll, describe, expect, it } from "vitest";
import * as network from "../../components/network";
import type { Recorder } from "../../scripts/plan";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startMocks();
});

describe("AwsVpc (new VPC)", () => {
  it("creates private subnets across three zones, endpoints, a locked default SG and encrypted flow logs", async () => {
    recorder.clear();
    const vpc = new network.AwsVpc("core", {
      cidrBlock: "10.20.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
      environment: "dev",
    });
    await recorder.settle();
    const rs = recorder.resources;
    const component = one(rs, "hybrid-ai-infra:index:AwsVpc", "core");
    const children = descendants(rs, component.urn);
    expect(children.every((c) => c.name.startsWith("core"))).toBe(true);

    const subnets = ofType(rs, "aws:ec2/subnet:Subnet");
    expect(
      subnets.map((s) => [s.inputs.availabilityZone, s.inputs.cidrBlock, s.inputs.mapPublicIpOnLaunch]),
    ).toEqual([
      ["eu-west-1a", "10.20.0.0/18", false],
      ["eu-west-1b", "10.20.64.0/18", false],
      ["eu-west-1c", "10.20.128.0/18", false],
    ]);
    expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(ofType(rs, "aws:ec2/internetGateway:InternetGateway")).toHaveLength(0);

    const endpoints = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint");
    const services = endpoints.map((e) =>
      String(e.inputs.serviceName).replace("com.amazonaws.eu-west-1.", ""),
    );
    expect(services.sort()).toEqual(["ec2", "ecr.api", "ecr.dkr", "eks", "eks-auth", "logs", "s3", "sts"]);
    for (const e of endpoints) {
      if (e.inputs.vpcEndpointType === "Interface") {
        expect(e.inputs.privateDnsEnabled).toBe(true);
        expect(e.inputs.subnetIds).toHaveLength(3);
      } else {
        expect(e.inputs.vpcEndpointType).toBe("Gateway");
        expect(e.inputs.routeTableIds).toHaveLength(3);
      }
    }
    const https = one(
      rs,
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "core-endpoints-https",
    );
    expect(https.inputs).toMatchObject({
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "10.20.0.0/16",
    });

    const defaultSg = one(rs, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "core-default-sg");
    expect(defaultSg.inputs.ingress ?? []).toEqual([]);
    expect(defaultSg.inputs.egress ?? []).toEqual([]);

    const flowLog = one(rs, "aws:ec2/flowLog:FlowLog", "core-flow-logs");
    expect(flowLog.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
    const group = one(rs, "aws:cloudwatch/logGroup:LogGroup", "core-flow-logs");
    expect(group.inputs.retentionInDays).toBe(365);
    const key = one(rs, "aws:kms/key:Key", "core-flow-logs");
    expect(group.inputs.kmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(JSON.parse(String(key.inputs.policy)).Statement[1].Principal.Service).toBe(
      "logs.eu-west-1.amazonaws.com",
    );
    expect([key.protect, key.retainOnDelete, group.protect, group.retainOnDelete]).toEqual([
      true,
      true,
      true,
      true,
    ]);

    for (const r of children.filter((c) => c.custom && "tags" in c.inputs)) {
      expect(r.inputs.tags).toMatchObject({
        environment: "dev",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "internal",
      });
    }
    expect(await resolved(vpc.privateSubnetIds)).toHaveLength(3);
    expect(await resolved(vpc.cidrBlock)).toBe("10.20.0.0/16");
  });

  it("adds public subnets, an internet gateway and one NAT gateway per zone when asked", async () => {
    recorder.clear();
    new network.AwsVpc("egress", {
      cidrBlock: "10.30.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b"],
      natGateways: "perZone",
    });
    await recorder.settle();
    const rs = recorder.resources;
    const publicSubnets = ofType(rs, "aws:ec2/subnet:Subnet").filter((s) =>
      s.name.startsWith("egress-public"),
    );
    expect(publicSubnets.map((s) => s.inputs.cidrBlock)).toEqual(["10.30.192.0/20", "10.30.208.0/20"]);
    expect(ofType(rs, "aws:ec2/natGateway:NatGateway")).toHaveLength(2);
    const routes = ofType(rs, "aws:ec2/route:Route").filter((r) =>
      r.name.startsWith("egress-private-default"),
    );
    expect(routes).toHaveLength(2);
  });

  it("adds only endpoints and flow logs to an existing VPC, when asked", async () => {
    recorder.clear();
    new network.AwsVpc("legacy", {
      existing: {
        vpcId: "vpc-0123456789abcdef0",
        cidrBlock: "172.16.0.0/16",
        privateSubnetIds: ["subnet-0a", "subnet-0b"],
      },
      endpoints: true,
    });
    await recorder.settle();
    const rs = recorder.resources;
    expect(ofType(rs, "aws:ec2/vpc:Vpc")).toHaveLength(0);
    expect(ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint")).toHaveLength(8);
    expect(ofType(rs, "aws:ec2/flowLog:FlowLog")).toHaveLength(0);
  });

  it("rejects bad arguments with one ConfigError naming every field, before registering anything", () => {
    recorder.clear();
    const attempt = () =>
      new network.AwsVpc("bad", {
        cidrBlock: "10.0.0.1/16",
        availabilityZones: ["eu-west-1a", "eu-west-1a", "moon-1"],
        flowLogRetentionDays: 42,
      });
    expect(attempt).toThrowError(/AwsVpc "bad": \d problems/);
    try {
      attempt();
    } catch (e) {
      const message = (e as Error).message;
      expect((e as Error).name).toBe("ConfigError");
      expect(message).toContain('cidrBlock: "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?');
      expect(message).toContain("availabilityZones[2]");
      expect(message).toContain("flowLogRetentionDays: 42");
    }
    expect(recorder.resources).toHaveLength(0);
  });

  it("asks for zones when creating a VPC", () => {
    expect(() => new network.AwsVpc("nozones", {})).toThrowError(
      'AwsVpc "nozones": availabilityZones: is required for a new VPC: list 2 or 3 zones, e.g. [eu-west-1a, eu-west-1b, eu-west-1c]',
    );
  });
});
