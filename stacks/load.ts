import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../components/pulumi-free";
import { type PlatformConfig, PROJECT, parsePlatformConfig, SECRET_KEYS } from "./config";
import type { PlatformSecrets } from "./program";

/**
 * Reads this stack's configuration from Pulumi (the CLI, or the plan's mocks), validates all of it
 * before any resource exists, and returns it with the secrets as secret Outputs.
 */
export function loadPlatformConfig(): { config: PlatformConfig; secrets: PlatformSecrets } {
  const stack = pulumi.getStack();
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if ((SECRET_KEYS as readonly string[]).includes(name)) continue;
    if (name.includes(":")) {
      unknown.push(key);
      continue;
    }
    raw[name] = parseValue(value);
  }
  if (unknown.length > 0) {
    throw new ConfigError(
      `stack config "${stack}"`,
      unknown.map((k) => ({ path: k, message: "is not a key of this project; check the spelling" })),
    );
  }
  const config = parsePlatformConfig(stack, raw);
  const project = new pulumi.Config(PROJECT);
  const onpremKubeconfig = project.getSecret("onpremKubeconfig");
  if (config.onprem && !onpremKubeconfig) {
    throw new ConfigError(`stack config "${stack}"`, [
      {
        path: "onpremKubeconfig",
        message: `is not set, and onprem "${config.onprem.name}" needs it; run pulumi config set --secret onpremKubeconfig < kubeconfig.yaml`,
      },
    ]);
  }
  return { config, secrets: onpremKubeconfig ? { onpremKubeconfig } : {} };
}

// Structured config arrives JSON-encoded; plain strings arrive as they are.
function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
