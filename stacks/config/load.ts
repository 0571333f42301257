import { isAbsolute } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type ConfigIssue } from "../../components/validation";
import { CLUSTER_PROJECT, PROJECT } from "../names";
import type { PlatformSecrets } from "../types";
import { type PlatformConfig, platformConfigFields, SECRET_KEYS } from "./fields";
import { parsePlatformConfig } from "./parse";
import { placeholderIssues } from "./placeholders";
import { readSiblingEnvironments } from "./siblings";

/**
 * The project root: the one the Pulumi CLI reports, else the working directory (the CLI and the
 * plan both run the program from the project directory; under mocks the root is a placeholder).
 */
export function projectRoot(): string {
  const reported = pulumi.runtime.getRootDirectory();
  return isAbsolute(reported) ? reported : process.cwd();
}

/**
 * Reads this stack's configuration from Pulumi (the CLI, or the plan's mocks), validates all of it
 * before any resource exists, and returns it with the secrets as secret Outputs.
 */
export function loadPlatformConfig(): { config: PlatformConfig; secrets: PlatformSecrets } {
  const stack = pulumi.getStack();
  const prefix = `${PROJECT}:`;
  const raw: Record<string, unknown> = {};
  const unknown: string[] = [];
  const issues = [...foreignKeys(), ...clearTextSecrets()];
  if (issues.length > 0) throw new ConfigError(`stack config "${stack}"`, issues);
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
  const config = parsePlatformConfig(stack, raw, readSiblingEnvironments(projectRoot(), stack));
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
  const onpremMetricsToken = project.getSecret("onpremMetricsToken");
  return {
    config,
    secrets: {
      ...(onpremKubeconfig ? { onpremKubeconfig } : {}),
      ...(onpremMetricsToken ? { onpremMetricsToken } : {}),
    },
  };
}

/**
 * The example values in this stack's config and its on-premises kubeconfig (read in clear here,
 * only to check it is one): see ./placeholders.
 */
export function stackPlaceholders(config: PlatformConfig): ConfigIssue[] {
  const kubeconfig = pulumi.runtime.allConfig()[`${PROJECT}:onpremKubeconfig`];
  return placeholderIssues(config, config.onprem ? kubeconfig : undefined);
}

// Structured config arrives JSON-encoded; plain strings arrive as they are.
function parseValue(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** Config namespaces something reads: the two phases' projects, the providers' and Pulumi's own. */
const KNOWN_NAMESPACES = new Set([
  PROJECT,
  CLUSTER_PROJECT,
  "aws",
  "azure-native",
  "kubernetes",
  "random",
  "pulumi",
]);

/** This project's keys, for "did you mean". */
function projectKeys(): string[] {
  return [...Object.keys(platformConfigFields.shape), ...SECRET_KEYS];
}

/**
 * A key in a namespace nothing reads would be skipped without a word, and the stack would run on
 * defaults the user did not choose (a typo in the project prefix: `hybrid-ai-infr:tags`).
 */
function foreignKeys(): ConfigIssue[] {
  return Object.keys(pulumi.runtime.allConfig()).flatMap((key) => {
    const cut = key.indexOf(":");
    const namespace = key.slice(0, cut);
    if (KNOWN_NAMESPACES.has(namespace)) return [];
    const name = key.slice(cut + 1);
    const suggestion = projectKeys().includes(name)
      ? `did you mean ${PROJECT}:${name}?`
      : `this project's keys are ${PROJECT}:${projectKeys().join(`, ${PROJECT}:`)}`;
    return [
      {
        path: key,
        message: `is in namespace "${namespace}", which neither this project (${PROJECT}) nor a provider reads; ${suggestion}`,
      },
    ];
  });
}

/** Whether Pulumi holds a config key as a secret (`secure:` in the stack file). */
function isSecretConfig(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  return runtime.isConfigSecret?.(key) ?? true;
}

/** A credential written in clear text sits committed in the stack file: refuse it. */
function clearTextSecrets(): ConfigIssue[] {
  const config = pulumi.runtime.allConfig();
  return SECRET_KEYS.flatMap((name) => {
    const key = `${PROJECT}:${name}`;
    if (config[key] === undefined || isSecretConfig(key)) return [];
    return [
      {
        path: key,
        message: `is in clear text in the stack file; remove it and run pulumi config set --secret ${name} < ${name === "onpremKubeconfig" ? "kubeconfig.yaml" : "token-file"}, which stores it encrypted`,
      },
    ];
  });
}
