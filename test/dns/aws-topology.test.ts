// Issue 19 point 17, on the AWS side: an aws-onprem link and no onprem.dns is a valid topology (dev
// without its on-premises DNS servers). AWS then forwards nothing out, yet on-premises still needs
// the VPC's inbound endpoint to resolve the names only the VPC's resolver answers privately (AMP's
// and S3's interface endpoints, and the EKS API through the tunnel), so the VPC's resolver is made
// inbound only and dc1's unbound forwards AWS's zones to its pinned addresses.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RecordedResource } from "../../components/testing";
import { loadPlatformConfig, sitesOf } from "../../stacks/config";
import type { PlatformOutputs } from "../../stacks/program";
import { platform } from "../../stacks/program";
import { ofType, resolved, startMocks } from "../helpers/mocks";

const dev = parse(readFileSync(resolve(__dirname, "../../stacks/Pulumi.dev.yaml"), "utf8")).config as Record<
  string,
  unknown
>;

let rs: RecordedResource[];
let outputs: PlatformOutputs;

beforeAll(async () => {
  const config: Record<string, unknown> = { ...dev, "hybrid-ai-infra:onpremKubeconfig": "apiVersion: v1" };
  const onprem = { ...(dev["hybrid-ai-infra:onprem"] as Record<string, unknown>) };
  delete onprem.dns;
  config["hybrid-ai-infra:onprem"] = onprem;
  const recorder = await startMocks({
    stack: "dev",
    config,
    secretKeys: ["hybrid-ai-infra:onpremKubeconfig"],
  });
  await pulumi.runtime.runInPulumiStack(async () => {
    const { config: parsed, secrets } = loadPlatformConfig();
    outputs = platform(sitesOf(parsed), secrets);
    return {};
  });
  await recorder.settle();
  rs = recorder.resources;
});

describe("an aws-onprem link without onprem.dns", () => {
  it("gives the VPC an inbound-only resolver: no outbound endpoint, no rules", () => {
    const endpoints = ofType(rs, "aws:route53/resolverEndpoint:ResolverEndpoint");
    expect(endpoints.map((e) => e.inputs.direction)).toEqual(["INBOUND"]);
    expect(ofType(rs, "aws:route53/resolverRule:ResolverRule")).toEqual([]);
    expect(ofType(rs, "aws:route53/resolverRuleAssociation:ResolverRuleAssociation")).toEqual([]);
  });

  it("admits only dc1 to it on 53, and keeps no group for an outbound endpoint", () => {
    const groups = ofType(rs, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.name.includes("-dns-"));
    expect(groups.map((g) => g.name)).toEqual(["eks-dns-inbound"]);
    const rules = ofType(rs, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
      r.name.startsWith("eks-dns-inbound"),
    );
    expect(rules.map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol, r.inputs.fromPort])).toEqual([
      ["10.10.0.0/16", "tcp", 53],
      ["10.10.0.0/16", "udp", 53],
    ]);
  });

  it("forwards AWS's private zones from dc1's unbound to the endpoint's pinned addresses", async () => {
    const unbound = await resolved(outputs.dns?.onpremUnbound ?? pulumi.output(""));
    const ips = await resolved(outputs.dns?.awsInboundIps ?? pulumi.output([]));
    expect(ips.length).toBeGreaterThanOrEqual(2);
    expect(unbound).toContain("eu-west-1.eks.amazonaws.com");
    expect(unbound).toContain("aps-workspaces.eu-west-1.amazonaws.com");
    for (const ip of ips) expect(unbound).toContain(`forward-addr: ${ip}`);
  });
});
