// A reference stack's config as the program reads it, for tests that edit one value and parse the
// rest: keys without the project's namespace, the secret kubeconfig left out, a fresh copy each
// call so that one test's edit never reaches another.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig } from "../../stacks/config";

const STACKS = resolve(__dirname, "../../stacks");

/** The config of a stack file's text. */
export function stackConfigOf(text: string): Record<string, unknown> {
  const doc = parse(text) as { config: Record<string, unknown> };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.config)) {
    const key = k.replace(/^hybrid-ai-infra:/, "");
    if (key !== "onpremKubeconfig") out[key] = structuredClone(v);
  }
  return out;
}

/** The config of `stacks/Pulumi.<stack>.yaml`. */
export function referenceStackConfig(stack: string): Record<string, unknown> {
  return stackConfigOf(readFileSync(resolve(STACKS, `Pulumi.${stack}.yaml`), "utf8"));
}

/** The ConfigError message `raw` gets as `stack`'s config; a config it accepts fails the test. */
export function configProblems(stack: string, raw: Record<string, unknown>): string {
  try {
    parsePlatformConfig(stack, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error(`expected a ConfigError for stack "${stack}"`);
}
