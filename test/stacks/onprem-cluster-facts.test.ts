// The on-premises cluster's facts in config (issue 24, points 2 and 10): checked by path, and
// published by the platform phase for the cluster phase to render with.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig } from "../../stacks/config";

const dev = (): Record<string, unknown> => {
  const file = parse(readFileSync(resolve(__dirname, "../../stacks/Pulumi.dev.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(file.config)
      .map(([k, v]) => [k.replace(/^hybrid-ai-infra:/, ""), structuredClone(v)] as const)
      .filter(([k]) => k !== "onpremKubeconfig"),
  );
};

describe("onprem.cluster", () => {
  it("states the namespaces that exist, the CNI, the DNS, the secrets driver and the GPUs", () => {
    const raw = dev() as { onprem: Record<string, unknown> };
    const cluster = {
      existingNamespaces: ["ml-research"],
      cni: "cilium",
      dns: { kind: "nodelocaldns", address: "169.254.25.10" },
      secrets: { driver: "secrets-store-csi", provider: "aws", region: "eu-central-1" },
      gpu: {
        devicePlugin: "gpu-operator",
        taint: { key: "nvidia.com/gpu", value: "present", effect: "NoSchedule" },
      },
    };
    raw.onprem.cluster = cluster;
    expect(parsePlatformConfig("dev", raw).onprem?.cluster).toEqual(cluster);
  });

  it("refuses what is not a namespace or an address, by path", () => {
    const raw = dev() as { onprem: Record<string, unknown> };
    raw.onprem.cluster = {
      existingNamespaces: ["ML"],
      cni: "weave-net",
      dns: { kind: "nodelocaldns", address: "nodelocaldns" },
      gpu: { devicePlugin: "none" },
    };
    let message = "";
    try {
      parsePlatformConfig("dev", raw);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as ConfigError).message;
    }
    expect(message).toMatch(/onprem\.cluster\.existingNamespaces\[0\]/);
    expect(message).toMatch(/onprem\.cluster\.dns\.address: .*169\.254\.25\.10/);
    expect(message).toMatch(/onprem\.cluster\.cni: "weave-net" .*"calico", "canal", "cilium"/);
    expect(message).toMatch(
      /onprem\.cluster\.gpu\.devicePlugin: "none" .*"nvidia-device-plugin", "gpu-operator"/,
    );
  });
});
