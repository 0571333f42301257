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
  it("states the namespaces that exist and the node-local DNS", () => {
    const raw = dev() as { onprem: Record<string, unknown> };
    raw.onprem.cluster = { existingNamespaces: ["ml-research"], nodeLocalDns: "169.254.25.10" };
    expect(parsePlatformConfig("dev", raw).onprem?.cluster).toEqual({
      existingNamespaces: ["ml-research"],
      nodeLocalDns: "169.254.25.10",
    });
  });

  it("refuses what is not a namespace or an address, by path", () => {
    const raw = dev() as { onprem: Record<string, unknown> };
    raw.onprem.cluster = { existingNamespaces: ["ML"], nodeLocalDns: "nodelocaldns" };
    let message = "";
    try {
      parsePlatformConfig("dev", raw);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as ConfigError).message;
    }
    expect(message).toMatch(/onprem\.cluster\.existingNamespaces\[0\]/);
    expect(message).toMatch(/onprem\.cluster\.nodeLocalDns: .*169\.254\.25\.10/);
  });
});
