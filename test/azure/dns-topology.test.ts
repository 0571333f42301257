// Issue 19 point 17: one azure-onprem link and no onprem.dns is a valid topology. On-premises
// still needs Azure's inbound endpoint to resolve the AKS API server, so Azure's resolver is made
// (inbound only: Azure forwards nothing out) and dc1's unbound forwards Azure's zones to it.
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

const staging = parse(readFileSync(resolve(__dirname, "../../stacks/Pulumi.staging.yaml"), "utf8"))
  .config as Record<string, unknown>;

let rs: RecordedResource[];
let outputs: PlatformOutputs;

beforeAll(async () => {
  const onprem = { ...(staging["hybrid-ai-infra:onprem"] as Record<string, unknown>) };
  onprem.router = { publicIp: "198.51.100.10", asn: 65010 };
  delete onprem.dns;
  // Without the AWS site, dc1's imaging-archive keeps no backup to AWS.
  onprem.datasets = ["patient-records", "imaging-archive"];
  const recorder = await startMocks({
    stack: "staging",
    config: {
      "hybrid-ai-infra:dataClassification": "confidential",
      "hybrid-ai-infra:azure": staging["hybrid-ai-infra:azure"],
      "hybrid-ai-infra:onprem": onprem,
      // Staging's own /28 on the router it shares with dev and prod (issue 25.2 refuses prod's).
      "hybrid-ai-infra:vpn": { links: [{ sites: ["azure", "onprem"], insideCidr: "169.254.22.32/28" }] },
      // Its copies run on dc1 with the mirrored rclone image.
      "hybrid-ai-infra:data": staging["hybrid-ai-infra:data"],
      // dc1's Prometheus needs its store: staging's.
      "hybrid-ai-infra:monitoring": staging["hybrid-ai-infra:monitoring"],
      "hybrid-ai-infra:deploy": { from: "onprem", cidrs: ["10.10.5.0/24"] },
      "hybrid-ai-infra:onpremKubeconfig": "apiVersion: v1",
    },
    secretKeys: ["hybrid-ai-infra:onpremKubeconfig"],
  });
  await pulumi.runtime.runInPulumiStack(async () => {
    const { config, secrets } = loadPlatformConfig();
    outputs = platform(sitesOf(config), secrets);
    return {};
  });
  await recorder.settle();
  rs = recorder.resources;
});

describe("an azure-onprem link without onprem.dns", () => {
  it("gives Azure an inbound-only resolver: no outbound endpoint, ruleset or rules", () => {
    expect(ofType(rs, "azure-native:dnsresolver:DnsResolver")).toHaveLength(1);
    expect(ofType(rs, "azure-native:dnsresolver:InboundEndpoint")).toHaveLength(1);
    expect(ofType(rs, "azure-native:dnsresolver:OutboundEndpoint")).toEqual([]);
    expect(ofType(rs, "azure-native:dnsresolver:DnsForwardingRuleset")).toEqual([]);
  });

  it("forwards Azure's private zones from dc1's unbound to that endpoint", async () => {
    const unbound = await resolved(outputs.dns?.onpremUnbound ?? pulumi.output(""));
    expect(unbound).toContain("westeurope.azmk8s.io");
    expect(unbound).toContain("blob.core.windows.net");
    expect(unbound).toMatch(/forward-addr: \d+\.\d+\.\d+\.\d+/);
  });
});
