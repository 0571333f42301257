import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as network from "../../components/aws";
import { RealisticMocks, type Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
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
    // autoscaling: Cluster Autoscaler resizes the node groups' Auto Scaling groups through it.
    expect(services.sort()).toEqual([
      "autoscaling",
      "ec2",
      "ecr.api",
      "ecr.dkr",
      "eks",
      "eks-auth",
      "logs",
      "s3",
      "sts",
    ]);
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
    // The zones of the private subnets, in order: a cluster's EFA group names one of them.
    expect(await resolved(vpc.privateSubnetZones ?? pulumi.output([]))).toEqual([
      "eu-west-1a",
      "eu-west-1b",
      "eu-west-1c",
    ]);
    expect(await resolved(vpc.cidrBlock)).toBe("10.20.0.0/16");
  });

  it("reserves each private subnet's last /28 for pinned addresses, explicitly (EC2 assigns none of it)", async () => {
    recorder.clear();
    const vpc = new network.AwsVpc("pins", {
      cidrBlock: "10.20.0.0/16",
      availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    });
    await recorder.settle();
    const reservations = ofType(recorder.resources, "aws:ec2/subnetCidrReservation:SubnetCidrReservation");
    expect(reservations.map((r) => [r.name, r.inputs.cidrBlock, r.inputs.reservationType])).toEqual([
      ["pins-private-eu-west-1a-pinned", "10.20.63.240/28", "explicit"],
      ["pins-private-eu-west-1b-pinned", "10.20.127.240/28", "explicit"],
      ["pins-private-eu-west-1c-pinned", "10.20.191.240/28", "explicit"],
    ]);
    expect(reservations.map((r) => r.inputs.subnetId)).toEqual(await resolved(vpc.privateSubnetIds));
    expect(await resolved(vpc.pinnedRanges)).toEqual([
      "10.20.63.240/28",
      "10.20.127.240/28",
      "10.20.191.240/28",
    ]);
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
    const legacy = new network.AwsVpc("legacy", {
      existing: {
        vpcId: "vpc-0123456789abcdef0",
        cidrBlock: "172.16.0.0/16",
        privateSubnetIds: ["subnet-0a000000", "subnet-0b000000"],
        privateRouteTableIds: ["rtb-0a000000", "rtb-0b000000"],
      },
      endpoints: true,
    });
    await recorder.settle();
    const rs = recorder.resources;
    expect(ofType(rs, "aws:ec2/vpc:Vpc")).toHaveLength(0);
    expect(ofType(rs, "aws:ec2/subnet:Subnet")).toHaveLength(0);
    const endpoints = ofType(rs, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints).toHaveLength(9);
    // The S3 gateway routes through the private route tables, so nodes can pull ECR image layers.
    expect(one(rs, "aws:ec2/vpcEndpoint:VpcEndpoint", "legacy-s3").inputs.routeTableIds).toEqual([
      "rtb-0a000000",
      "rtb-0b000000",
    ]);
    for (const e of endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface")) {
      expect(e.inputs.subnetIds).toEqual(["subnet-0a000000", "subnet-0b000000"]);
    }
    expect(ofType(rs, "aws:ec2/flowLog:FlowLog")).toHaveLength(0);
    // Its subnets are given by id only: no zones to offer an EFA group.
    expect(legacy.privateSubnetZones).toBeUndefined();
  });

  it("puts interface endpoints in the endpoint subnets of an existing VPC, one per zone", async () => {
    recorder.clear();
    new network.AwsVpc("shared", {
      existing: {
        vpcId: "vpc-0123456789abcdef0",
        cidrBlock: "172.16.0.0/16",
        // Two subnets per zone: an interface endpoint would refuse this list.
        privateSubnetIds: ["subnet-0a100000", "subnet-0a200000", "subnet-0b100000", "subnet-0b200000"],
        privateRouteTableIds: ["rtb-0a000000", "rtb-0b000000"],
        endpointSubnetIds: ["subnet-0a100000", "subnet-0b100000"],
      },
      endpoints: true,
    });
    await recorder.settle();
    const interfaces = ofType(recorder.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
      (e) => e.inputs.vpcEndpointType === "Interface",
    );
    expect(interfaces).toHaveLength(8);
    for (const e of interfaces) expect(e.inputs.subnetIds).toEqual(["subnet-0a100000", "subnet-0b100000"]);
  });

  it("refuses endpoints in an existing VPC without its private route tables, and endpoint subnets without endpoints", async () => {
    recorder.clear();
    const existing = {
      vpcId: "vpc-0123456789abcdef0",
      cidrBlock: "172.16.0.0/16",
      privateSubnetIds: ["subnet-0a000000", "subnet-0b000000"],
    };
    expect(() => new network.AwsVpc("legacy", { existing, endpoints: true })).toThrowError(
      'AwsVpc "legacy": existing.privateRouteTableIds: is required with endpoints: true; the S3 gateway endpoint routes only through the route tables it is given, and nodes pull ECR image layers from S3, so list the private subnets\' route tables (rtb-...)',
    );
    expect(
      () =>
        new network.AwsVpc("legacy", {
          existing: { ...existing, privateRouteTableIds: [] },
          endpoints: true,
        }),
    ).toThrowError(/existing\.privateRouteTableIds: \[\] is too small/);
    expect(
      () =>
        new network.AwsVpc("legacy", { existing: { ...existing, endpointSubnetIds: ["subnet-0a000000"] } }),
    ).toThrowError('AwsVpc "legacy": existing.endpointSubnetIds: only applies with endpoints: true');
    await recorder.settle();
    expect(recorder.resources).toHaveLength(0);
  });

  it("names endpoint services with the partition's prefix, not always com.amazonaws", async () => {
    recorder.clear();
    const call = RealisticMocks.prototype.call;
    const spy = vi.spyOn(RealisticMocks.prototype, "call").mockImplementation(function (
      this: RealisticMocks,
      args: pulumi.runtime.MockCallArgs,
    ) {
      const answer = call.call(this, args);
      return args.token === "aws:index/getPartition:getPartition"
        ? {
            ...answer,
            partition: "aws-cn",
            dnsSuffix: "amazonaws.com.cn",
            reverseDnsPrefix: "cn.com.amazonaws",
          }
        : answer;
    });
    try {
      new network.AwsVpc("china", { availabilityZones: ["cn-north-1a", "cn-north-1b"], flowLogs: false });
      await recorder.settle();
    } finally {
      spy.mockRestore();
    }
    const services = ofType(recorder.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) =>
      String(e.inputs.serviceName),
    );
    expect(services).toHaveLength(9);
    for (const service of services) expect(service).toMatch(/^cn\.com\.amazonaws\.eu-west-1\./);
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

  it("spans the first three available zones when none are given, naming their children by position", async () => {
    recorder.clear();
    const vpc = new network.AwsVpc("auto", { cidrBlock: "10.40.0.0/16", natGateways: "perZone" });
    await recorder.settle();
    const rs = recorder.resources;
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    const subnets = ofType(rs, "aws:ec2/subnet:Subnet").sort(byName);
    expect(subnets.map((s) => [s.name, s.inputs.availabilityZone, s.inputs.cidrBlock])).toEqual([
      ["auto-private-0", "eu-west-1a", "10.40.0.0/18"],
      ["auto-private-1", "eu-west-1b", "10.40.64.0/18"],
      ["auto-private-2", "eu-west-1c", "10.40.128.0/18"],
      ["auto-public-0", "eu-west-1a", "10.40.192.0/20"],
      ["auto-public-1", "eu-west-1b", "10.40.208.0/20"],
      ["auto-public-2", "eu-west-1c", "10.40.224.0/20"],
    ]);
    expect(
      ofType(rs, "aws:ec2/routeTable:RouteTable")
        .map((t) => t.name)
        .sort(),
    ).toEqual(["auto-private-0", "auto-private-1", "auto-private-2", "auto-public"]);
    expect(
      ofType(rs, "aws:ec2/natGateway:NatGateway")
        .map((n) => n.name)
        .sort(),
    ).toEqual(["auto-nat-0", "auto-nat-1", "auto-nat-2"]);
    expect(await resolved(vpc.privateSubnetIds)).toHaveLength(3);
  });

  it("checks subnet blocks against the three default zones", () => {
    expect(
      () => new network.AwsVpc("short", { privateSubnetCidrs: ["10.0.0.0/18", "10.0.64.0/18"] }),
    ).toThrowError('AwsVpc "short": privateSubnetCidrs: has 2 blocks for 3 zones; give one per zone');
  });
});

describe("AwsVpc names (issue 25.5)", () => {
  // The flow-log delivery role is auto-named `<name>-flow-logs-xxxxxxx`; IAM takes 64 characters.
  const existing = {
    vpcId: "vpc-0123456789abcdef0",
    cidrBlock: "172.16.0.0/16",
    privateSubnetIds: ["subnet-0a000000", "subnet-0b000000"],
    privateRouteTableIds: ["rtb-0a000000", "rtb-0b000000"],
  };

  it("refuses a name whose flow-log role would be over IAM's 64 characters, before declaring anything", async () => {
    const long = "v".repeat(47);
    recorder.clear();
    const error = configErrorOf(() => new network.AwsVpc(long, { cidrBlock: "10.20.0.0/16" }));
    expect(error.message).toBe(
      `AwsVpc "${long}": the component name gives the IAM role name "${long}-flow-logs-xxxxxxx" (65 characters, the last seven random), over the 64 IAM CreateRole, RoleName allows; shorten it by 1`,
    );
    await recorder.settle();
    expect(recorder.resources).toEqual([]);
    expect(() => new network.AwsVpc("v".repeat(46), { cidrBlock: "10.20.0.0/16" })).not.toThrow();
    await recorder.settle();
  });

  it("checks no role name where it creates no flow logs", async () => {
    const long = "v".repeat(47);
    expect(() => new network.AwsVpc(long, { existing, flowLogs: false })).not.toThrow();
    await recorder.settle();
  });
});
