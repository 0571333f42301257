// Helpers for the AWS suites: reading recorded policies, finding which resource types take tags,
// and catching ConfigErrors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { ConfigError } from "../../components/core";
import type { RecordedResource } from "../../scripts/plan";

/** An IAM or bucket policy statement as recorded. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The parsed JSON policy document held in one input of a recorded resource. */
export function policyOf(r: RecordedResource, field = "policy"): { Version: string; Statement: Statement[] } {
  const text = r.inputs[field];
  if (typeof text !== "string") throw new Error(`${r.type} ${r.name} has no ${field} string`);
  return JSON.parse(text) as { Version: string; Statement: Statement[] };
}

const taggable = new Map<string, boolean>();

/**
 * Whether a provider resource type accepts `tags`, read from the installed @pulumi/aws declaration of
 * its args, so a new child type is checked without anyone updating a list.
 */
export function isTaggable(type: string): boolean {
  const known = taggable.get(type);
  if (known !== undefined) return known;
  const match = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(type);
  let answer = false;
  if (match) {
    const file = join(process.cwd(), "node_modules", "@pulumi", "aws", match[1] ?? "", `${match[2]}.d.ts`);
    const text = readFileSync(file, "utf8");
    const args = text.indexOf(`export interface ${match[3]}Args {`);
    if (args < 0) throw new Error(`no ${match[3]}Args in ${file}`);
    const end = text.indexOf("\n}", args);
    answer = /\n {4}tags\?:/.test(text.slice(args, end));
  }
  taggable.set(type, answer);
  return answer;
}

/** Asserts the standard tags on every taggable cloud resource among `resources`; returns how many were checked. */
export function expectStandardTags(
  resources: RecordedResource[],
  expected: Record<string, string> = {
    environment: "dev",
    "managed-by": "hybrid-ai-infra",
    "data-classification": "internal",
  },
): number {
  const checked = resources.filter((r) => r.custom && isTaggable(r.type));
  for (const r of checked) {
    expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toEqual({
      resource: `${r.type} ${r.name}`,
      tags: expect.objectContaining(expected),
    });
  }
  return checked.length;
}

/** Runs `attempt`, which must throw a ConfigError, and returns it. */
export function configErrorOf(attempt: () => unknown): ConfigError {
  try {
    attempt();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

/** The last path segment of an ARN: the role name of a role ARN. */
export function arnName(arn: string): string {
  return arn.split("/").pop() ?? "";
}
