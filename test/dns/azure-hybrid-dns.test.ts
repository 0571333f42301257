import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AzureHybridDns, type AzureHybridDnsArgs } from "../../components/azure/dns";
import { MOCK_AZURE } from "../../components/testing";
import type { RecordedResource, Recorder } from "../../scripts/plan";
import { configErrorOf, expectStandardTags } from "../helpers/components";
import { ofType, one, resolved } from "../helpers/mocks";
import { AZURE_INBOUND_IP, startDnsMocks } from "./support";

const T = {
  resolver: "azure-native:dnsresolver:DnsResolver",
  inbound: "azure-native:dnsresolver:InboundEndpoint",
  outbound: "azure-native:dnsresolver:OutboundEndpoint",
  ruleset: "azure-native:dnsresolver:DnsForwardingRuleset",
  rule: "azure-native:dnsresolver:ForwardingRule",
  link: "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink",
} as const;

const RG = "rg-platform";
const VNET_ID = `/subscriptions/${MOCK_AZURE.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Network/virtualNetworks/vnet-platform`;
const subnetId = (name: string) => `${VNET_ID}/subnets/${name}`;

// AWS's inbound endpoint addresses, as the stack passes them: Outputs of another component.
const awsInbound = [pulumi.output("10.20.0.53"), pulumi.output("10.20.1.53")];

const BASE: AzureHybridDnsArgs = {
  resourceGroupName: RG,
  location: "westeurope",
  virtualNetworkId: VNET_ID,
  inboundSubnetId: subnetId("dns-inbound"),
  outboundSubnetId: subnetId("dns-outbound"),
  forwardZones: [
    { domain: "corp.example", targetIps: ["10.10.0.53", "10.10.1.53"] },
    { domain: "eu-west-1.eks.amazonaws.com.", targetIps: awsInbound },
    { domain: "ldap.corp2.example", targetIps: ["10.10.0.54"], port: 5353 },
  ],
  environment: "dev",
};

let recorder: Recorder;
let rs: RecordedResource[];
let dns: AzureHybridDns;

beforeAll(async () => {
  recorder = await startDnsMocks();
  dns = new AzureHybridDns("dns", BASE);
  await recorder.settle();
  rs = recorder.resources;
});

describe("AzureHybridDns", () => {
  it("puts a resolver in the VNet's region with an inbound endpoint in one delegated subnet and an outbound in the other", async () => {
    const resolver = one(rs, T.resolver, "dns");
    expect(resolver.inputs).toMatchObject({
      resourceGroupName: RG,
      location: "westeurope",
      virtualNetwork: { id: VNET_ID },
    });
    expect(await resolved(dns.resolverId)).toMatch(
      /\/providers\/Microsoft\.Network\/dnsResolvers\/dns[0-9a-f]{8}$/,
    );
    const inbound = one(rs, T.inbound, "dns-inbound");
    const outbound = one(rs, T.outbound, "dns-outbound");
    expect(inbound.inputs).toMatchObject({
      resourceGroupName: RG,
      location: "westeurope",
      ipConfigurations: [{ subnet: { id: subnetId("dns-inbound") }, privateIpAllocationMethod: "Dynamic" }],
    });
    expect(outbound.inputs).toMatchObject({
      resourceGroupName: RG,
      location: "westeurope",
      subnet: { id: subnetId("dns-outbound") },
    });
    expect(inbound.inputs.dnsResolverName).toMatch(/^dns/);
    expect(outbound.inputs.dnsResolverName).toBe(inbound.inputs.dnsResolverName);
  });

  it("pins the inbound endpoint's address when given (Static), so other sites can be configured first", async () => {
    const pinned = new AzureHybridDns("pinned", { ...BASE, inboundIp: "10.30.193.52" });
    await recorder.settle();
    const inbound = one(recorder.resources, T.inbound, "pinned-inbound");
    expect(inbound.inputs.ipConfigurations).toEqual([
      {
        subnet: { id: subnetId("dns-inbound") },
        privateIpAllocationMethod: "Static",
        privateIpAddress: "10.30.193.52",
      },
    ]);
    expect(await resolved(pinned.inboundEndpointIp)).toBe("10.30.193.52");
  });

  it("forwards each zone through a ruleset on the outbound endpoint, dot-terminated, to its targets on port 53 unless told", () => {
    const ruleset = one(rs, T.ruleset, "dns");
    expect(ruleset.inputs).toMatchObject({ resourceGroupName: RG, location: "westeurope" });
    expect(ruleset.inputs.dnsResolverOutboundEndpoints).toEqual([
      {
        id: expect.stringMatching(
          /\/dnsResolvers\/dns[0-9a-f]{8}\/outboundEndpoints\/dns-outbound[0-9a-f]{8}$/,
        ),
      },
    ]);
    // Sorted: a rule whose targets are Outputs registers when they resolve.
    const rules = ofType(rs, T.rule).sort((a, b) => a.name.localeCompare(b.name));
    expect(
      rules.map((r) => [r.name, r.inputs.forwardingRuleName, r.inputs.domainName, r.inputs.targetDnsServers]),
    ).toEqual([
      [
        "dns-fwd-corp-example",
        "fwd-corp-example",
        "corp.example.",
        [
          { ipAddress: "10.10.0.53", port: 53 },
          { ipAddress: "10.10.1.53", port: 53 },
        ],
      ],
      [
        "dns-fwd-eu-west-1-eks-amazonaws-com",
        "fwd-eu-west-1-eks-amazonaws-com",
        "eu-west-1.eks.amazonaws.com.",
        [
          { ipAddress: "10.20.0.53", port: 53 },
          { ipAddress: "10.20.1.53", port: 53 },
        ],
      ],
      [
        "dns-fwd-ldap-corp2-example",
        "fwd-ldap-corp2-example",
        "ldap.corp2.example.",
        [{ ipAddress: "10.10.0.54", port: 5353 }],
      ],
    ]);
    for (const rule of rules) {
      expect(rule.inputs).toMatchObject({
        resourceGroupName: RG,
        dnsForwardingRulesetName: expect.stringMatching(/^dns[0-9a-f]{8}$/),
        forwardingRuleState: "Enabled",
      });
    }
  });

  it("links the ruleset to the VNet, so the VNet's own queries follow the rules", () => {
    const link = one(rs, T.link, "dns");
    expect(link.inputs).toMatchObject({ resourceGroupName: RG, virtualNetwork: { id: VNET_ID } });
    for (const rule of ofType(rs, T.rule)) {
      expect(rule.inputs.dnsForwardingRulesetName).toBe(link.inputs.dnsForwardingRulesetName);
    }
  });

  it("reports the inbound endpoint's address from the endpoint, and the ruleset's id", async () => {
    expect(await resolved(dns.inboundEndpointIp)).toBe(AZURE_INBOUND_IP);
    expect(await resolved(dns.rulesetId)).toMatch(
      /\/providers\/Microsoft\.Network\/dnsForwardingRulesets\/dns[0-9a-f]{8}$/,
    );
  });

  it("tags every taggable child, and parents every child to the component", () => {
    expect(expectStandardTags(rs)).toBe(4);
    const component = one(rs, "hybrid-ai-infra:index:AzureHybridDns", "dns");
    for (const r of rs.filter((r) => r.custom)) expect(r.parent).toBe(component.urn);
  });
});

describe("AzureHybridDns validation", () => {
  const bad = (args: Partial<AzureHybridDnsArgs>) =>
    configErrorOf(() => new AzureHybridDns("bad", { ...BASE, ...args })).message;

  it("refuses a domain that is not a DNS name and a target that is not IPv4, naming field and value", () => {
    const before = recorder.resources.length;
    const message = bad({
      forwardZones: [
        { domain: "corp", targetIps: ["10.10.0.53"] },
        { domain: "corp.example", targetIps: ["10.10.0.300"] },
      ],
    });
    expect(message).toBe(
      [
        'AzureHybridDns "bad": 2 problems',
        '  - forwardZones[0].domain: "corp" is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)',
        '  - forwardZones[1].targetIps[0]: "10.10.0.300" is not an IPv4 address such as 10.10.0.53',
      ].join("\n"),
    );
    expect(recorder.resources.length).toBe(before);
  });

  it("refuses one subnet for both endpoints, a subnet of another VNet, and a repeated domain", () => {
    const other = VNET_ID.replace("vnet-platform", "vnet-other");
    const message = bad({
      inboundSubnetId: subnetId("dns"),
      outboundSubnetId: `${other}/subnets/dns`,
      forwardZones: [
        { domain: "corp.example", targetIps: ["10.10.0.53"] },
        { domain: "CORP.example.", targetIps: ["10.10.1.53"] },
      ],
    });
    expect(message).toContain(
      `outboundSubnetId: "${other}/subnets/dns" is not a subnet of virtualNetworkId; an endpoint's subnet must be in the resolver's VNet`,
    );
    expect(message).toContain(
      'forwardZones[1].domain: "corp.example" repeats forwardZones[0].domain; a ruleset takes one rule per domain',
    );
    expect(bad({ outboundSubnetId: subnetId("dns-inbound") })).toBe(
      `AzureHybridDns "bad": outboundSubnetId: "${subnetId("dns-inbound")}" repeats inboundSubnetId; each endpoint needs a subnet of its own`,
    );
  });

  it("refuses a missing location, since the resolver must sit in its VNet's region", () => {
    const { location: _, ...rest } = BASE;
    expect(configErrorOf(() => new AzureHybridDns("bad", rest as AzureHybridDnsArgs)).message).toContain(
      "location: is required",
    );
  });
});
