// Reading the stack's config as Pulumi hands it over: what the schema cannot see (namespaces,
// which values Pulumi holds as secrets) is checked here.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadPlatformConfig } from "../../stacks/config";
import { configErrorOf } from "../helpers/components";
import { startMocks } from "../helpers/mocks";

const dev = parse(readFileSync(resolve(__dirname, "../../stacks/Pulumi.dev.yaml"), "utf8")).config as Record<
  string,
  unknown
>;
/** The dev stack's config with the kubeconfig as a plain value, and changes. */
function config(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...dev, "hybrid-ai-infra:onpremKubeconfig": "apiVersion: v1", ...changes };
}

describe("loadPlatformConfig", () => {
  it("takes the dev stack, with its kubeconfig held as a secret", async () => {
    await startMocks({ config: config({}), secretKeys: ["hybrid-ai-infra:onpremKubeconfig"] });
    expect(loadPlatformConfig().config.environment).toBe("dev");
  });

  it("refuses a key no one reads and a credential in clear text, with the fixes, at once", async () => {
    const { "hybrid-ai-infra:tags": tags, ...rest } = config({});
    await startMocks({ config: { ...rest, "hybrid-ai-infr:tags": tags, "acme:owner": "x" } });
    const message = configErrorOf(() => loadPlatformConfig()).message;
    expect(message).toContain(
      'hybrid-ai-infr:tags: is in namespace "hybrid-ai-infr", which neither this project (hybrid-ai-infra) nor a provider reads; did you mean hybrid-ai-infra:tags?',
    );
    expect(message).toContain('acme:owner: is in namespace "acme"');
    expect(message).toContain(
      "hybrid-ai-infra:onpremKubeconfig: is in clear text in the stack file; remove it and run pulumi config set --secret onpremKubeconfig < kubeconfig.yaml",
    );
  });
});
