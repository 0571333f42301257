import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsHybridDns, type AwsHybridDnsArgs } from "../../components/aws/dns";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { ofType, one, resolved } from "../helpers/mocks";
import { AZURE_INBOUND_IP, awsEndpointIp, startDnsMocks } from "./support";

const T = {
  endpoint: "aws:route53/resolverEndpoint:ResolverEndpoint",
  rule: "aws:route53/resolverRule:ResolverRule",
  association: "aws:route53/resolverRuleAssociation:ResolverRuleAssociation",
  group: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

// Azure's inbound endpoint, as the stack passes it: one Output, used by both Azure zones.
const azureInbound = pulumi.output(AZURE_INBOUND_IP);

const BASE: AwsHybridDnsArgs = {
  vpcId: "vpc-0a1b2c3d",
  subnetIds: ["subnet-0a000000", "subnet-0b000000"],
  clientCidrs: ["10.10.0.0/16", "10.30.0.0/16"],
  forwardZones: [
    { domain: "corp.example.", targetIps: ["10.10.1.53", "10.10.0.53"] },
    { domain: "blob.core.windows.net", targetIps: [azureInbound] },
    { domain: "WestEurope.azmk8s.io", targetIps: [azureInbound] },
  ],
  environment: "dev",
};

let recorder: Recorder;
let rs: RecordedResource[];
let dns: AwsHybridDns;

beforeAll(async () => {
  recorder = await startDnsMocks();
  dns = new AwsHybridDns("dns", BASE);
  await recorder.settle();
  rs = recorder.resources;
});

describe("AwsHybridDns", () => {
  it("puts an inbound and an outbound endpoint in the VPC, one address in each subnet, each behind its own group", () => {
    const inbound = one(rs, T.endpoint, "dns-inbound");
    const outbound = one(rs, T.endpoint, "dns-outbound");
    expect(inbound.inputs).toMatchObject({
      // Display names carry the environment (issue 25.1): stacks in one account tell them apart.
      name: "dev-dns-inbound",
      direction: "INBOUND",
      ipAddresses: [{ subnetId: "subnet-0a000000" }, { subnetId: "subnet-0b000000" }],
    });
    expect(outbound.inputs).toMatchObject({ name: "dev-dns-outbound", direction: "OUTBOUND" });
    expect(outbound.inputs.ipAddresses).toEqual(inbound.inputs.ipAddresses);
    const groups = [inbound, outbound].map((e) => e.inputs.securityGroupIds as string[]);
    expect(groups).toEqual([[expect.stringMatching(/^sg-/)], [expect.stringMatching(/^sg-/)]]);
    expect(groups[0]?.[0]).not.toBe(groups[1]?.[0]);
  });

  it("lets the client networks query the inbound endpoint on TCP and UDP 53, and nothing else in or out", () => {
    const group = one(rs, T.group, "dns-inbound");
    expect(group.inputs).toMatchObject({ vpcId: "vpc-0a1b2c3d" });
    expect(group.inputs.egress).toBeUndefined();
    expect(group.inputs.ingress).toBeUndefined();
    const rules = ofType(rs, T.ingress).map((r) => [
      r.name,
      r.inputs.cidrIpv4,
      r.inputs.ipProtocol,
      r.inputs.fromPort,
      r.inputs.toPort,
    ]);
    expect(rules).toEqual([
      ["dns-inbound-10-10-0-0-16-tcp", "10.10.0.0/16", "tcp", 53, 53],
      ["dns-inbound-10-10-0-0-16-udp", "10.10.0.0/16", "udp", 53, 53],
      ["dns-inbound-10-30-0-0-16-tcp", "10.30.0.0/16", "tcp", 53, 53],
      ["dns-inbound-10-30-0-0-16-udp", "10.30.0.0/16", "udp", 53, 53],
    ]);
    expect(ofType(rs, T.egress)).toEqual([]);
  });

  it("lets the outbound endpoint reach each forward target's /32 on TCP and UDP 53, once each", () => {
    const group = one(rs, T.group, "dns-outbound");
    expect(group.inputs.ingress).toBeUndefined();
    const cidrBlocks = ["10.10.0.53/32", "10.10.1.53/32", `${AZURE_INBOUND_IP}/32`];
    expect(group.inputs.egress).toEqual([
      expect.objectContaining({ protocol: "tcp", fromPort: 53, toPort: 53, cidrBlocks }),
      expect.objectContaining({ protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks }),
    ]);
  });

  it("forwards each zone through the outbound endpoint to its targets, named by domain, without the trailing dot", async () => {
    const outboundId = await resolved(dns.outboundEndpointId);
    expect(outboundId).toMatch(/^rslvr-out-[0-9a-f]{17}$/);
    // Sorted by zone order: a rule whose targets are Outputs registers when they resolve.
    const order = ["dns-fwd-corp-example", "dns-fwd-blob-core-windows-net", "dns-fwd-westeurope-azmk8s-io"];
    const rules = ofType(rs, T.rule).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    expect(rules.map((r) => [r.name, r.inputs.domainName, r.inputs.targetIps])).toEqual([
      [
        "dns-fwd-corp-example",
        "corp.example",
        [
          { ip: "10.10.1.53", port: 53 },
          { ip: "10.10.0.53", port: 53 },
        ],
      ],
      ["dns-fwd-blob-core-windows-net", "blob.core.windows.net", [{ ip: AZURE_INBOUND_IP, port: 53 }]],
      ["dns-fwd-westeurope-azmk8s-io", "westeurope.azmk8s.io", [{ ip: AZURE_INBOUND_IP, port: 53 }]],
    ]);
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({
        ruleType: "FORWARD",
        resolverEndpointId: outboundId,
        name: `dev-${rule.name}`,
      });
    }
  });

  it("associates every rule with the VPC and reports their ids in zone order", async () => {
    const ruleIds = await resolved(dns.ruleIds);
    expect(ruleIds).toEqual([
      expect.stringMatching(/^rslvr-rr-/),
      expect.stringMatching(/^rslvr-rr-/),
      expect.stringMatching(/^rslvr-rr-/),
    ]);
    const associations = [
      "dns-fwd-corp-example",
      "dns-fwd-blob-core-windows-net",
      "dns-fwd-westeurope-azmk8s-io",
    ].map((name) => one(rs, T.association, name));
    expect(associations.map((a) => [a.name, a.inputs.vpcId, a.inputs.resolverRuleId])).toEqual([
      ["dns-fwd-corp-example", "vpc-0a1b2c3d", ruleIds[0]],
      ["dns-fwd-blob-core-windows-net", "vpc-0a1b2c3d", ruleIds[1]],
      ["dns-fwd-westeurope-azmk8s-io", "vpc-0a1b2c3d", ruleIds[2]],
    ]);
    expect(new Set(ruleIds).size).toBe(3);
  });

  it("reports the inbound endpoint's addresses from the endpoint, in address order", async () => {
    expect(await resolved(dns.inboundEndpointIps)).toEqual([
      awsEndpointIp("dns-inbound", 0),
      awsEndpointIp("dns-inbound", 1),
    ]);
    expect(await resolved(dns.inboundEndpointId)).toMatch(/^rslvr-in-[0-9a-f]{17}$/);
  });

  it("tags every taggable child, and parents every child to the component", () => {
    expect(expectStandardTags(rs)).toBe(2 + 2 + 4 + 3);
    const component = one(rs, "hybrid-ai-infra:index:AwsHybridDns", "dns");
    for (const r of rs.filter((r) => r.custom)) expect(r.parent).toBe(component.urn);
  });
});

describe("AwsHybridDns with pinned inbound addresses", () => {
  it("asks for each inbound address in its subnet, and leaves the outbound ones to AWS", async () => {
    recorder.clear();
    const pinned = new AwsHybridDns("pinned", { ...BASE, inboundIps: ["10.20.63.244", "10.20.127.244"] });
    await recorder.settle();
    const inbound = one(recorder.resources, T.endpoint, "pinned-inbound");
    const outbound = one(recorder.resources, T.endpoint, "pinned-outbound");
    expect(inbound.inputs.ipAddresses).toEqual([
      { subnetId: "subnet-0a000000", ip: "10.20.63.244" },
      { subnetId: "subnet-0b000000", ip: "10.20.127.244" },
    ]);
    expect(outbound.inputs.ipAddresses).toEqual([
      { subnetId: "subnet-0a000000" },
      { subnetId: "subnet-0b000000" },
    ]);
    expect(await resolved(pinned.inboundEndpointIps)).toEqual(["10.20.63.244", "10.20.127.244"]);
  });
});

describe("AwsHybridDns with no zones to forward (issue 19.17)", () => {
  it("answers the other sites only: an inbound endpoint and its group, no outbound endpoint, group or rule", async () => {
    recorder.clear();
    const { forwardZones: _none, ...inboundOnly } = BASE;
    const dns = new AwsHybridDns("answers", {
      ...inboundOnly,
      inboundIps: ["10.20.63.244", "10.20.127.244"],
    });
    await recorder.settle();
    const made = recorder.resources;
    expect(ofType(made, T.endpoint).map((e) => [e.name, e.inputs.direction])).toEqual([
      ["answers-inbound", "INBOUND"],
    ]);
    expect(ofType(made, T.group).map((g) => g.name)).toEqual(["answers-inbound"]);
    expect(ofType(made, T.egress)).toEqual([]);
    expect(ofType(made, T.rule)).toEqual([]);
    expect(ofType(made, T.association)).toEqual([]);
    expect(await resolved(dns.inboundEndpointIps)).toEqual(["10.20.63.244", "10.20.127.244"]);
    expect(await resolved(dns.outboundEndpointId)).toBe("");
    expect(await resolved(dns.ruleIds)).toEqual([]);
  });
});

describe("AwsHybridDns validation", () => {
  const bad = (args: Partial<AwsHybridDnsArgs>) =>
    configErrorOf(() => new AwsHybridDns("bad", { ...BASE, ...args })).message;

  it("refuses one subnet, naming the field, the value and why two", () => {
    expect(bad({ subnetIds: ["subnet-0a000000"] })).toBe(
      'AwsHybridDns "bad": subnetIds: ["subnet-0a000000"] is too small: give at least two subnets, in different Availability Zones: Route 53 Resolver endpoints need two addresses',
    );
  });

  it("refuses a domain that is not a DNS name, a target that is not IPv4 and a repeated domain, all at once, registering nothing", () => {
    const before = recorder.resources.length;
    const message = bad({
      forwardZones: [
        { domain: "corp_example", targetIps: ["10.10.0.53"] },
        { domain: "blob.core.windows.net", targetIps: ["dns.corp.example"] },
        { domain: "Blob.Core.Windows.Net.", targetIps: ["10.10.0.53"] },
      ],
    });
    expect(message).toContain("3 problems");
    expect(message).toContain(
      'forwardZones[0].domain: "corp_example" is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)',
    );
    expect(message).toContain(
      'forwardZones[1].targetIps[0]: "dns.corp.example" is not an IPv4 address such as 10.10.0.53',
    );
    expect(message).toContain(
      'forwardZones[2].domain: "blob.core.windows.net" repeats forwardZones[1].domain; a VPC takes one forwarding rule per domain',
    );
    expect(recorder.resources.length).toBe(before);
  });

  it("refuses pinned addresses that are not one per subnet, or not IPv4", () => {
    expect(bad({ inboundIps: ["10.20.63.244"] })).toBe(
      'AwsHybridDns "bad": inboundIps: has 1 addresses for 2 subnets; give one per subnet, in subnetIds\' order',
    );
    expect(bad({ inboundIps: ["10.20.63.244", "resolver"] })).toContain(
      'inboundIps[1]: "resolver" is not an IPv4 address such as 10.10.0.53',
    );
  });

  it("refuses a repeated subnet and a client network that is not a CIDR", () => {
    const message = bad({
      subnetIds: ["subnet-0a000000", "subnet-0a000000"],
      clientCidrs: ["10.10.0.0"],
      forwardZones: [],
    });
    expect(message).toContain('subnetIds[1]: "subnet-0a000000" repeats subnetIds[0]; give each subnet once');
    expect(message).toContain("clientCidrs[0]");
    expect(message).not.toContain("forwardZones");
  });
});
