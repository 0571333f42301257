// Assertions every component suite shares: standard tags on every taggable resource (whichever
// provider declares it) and catching ConfigErrors.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { ConfigError } from "../../components/validation";
import type { RecordedResource } from "../../scripts/plan";

/** Where a provider declares a resource type's args: the package file and the args interface. */
interface Declaration {
  file: string;
  args: string;
}

const uncapitalise = (s: string) => `${s.charAt(0).toLowerCase()}${s.slice(1)}`;

// The only thing that differs between providers: how a type token maps to its declaration file.
// aws:<module>/<file>:<Resource> lives in @pulumi/aws/<module>/<file>.d.ts;
// azure-native:<module>:<Resource> lives in @pulumi/azure-native/<module>/<resource>.d.ts.
const DECLARATIONS: { pattern: RegExp; locate: (m: RegExpExecArray) => Declaration }[] = [
  {
    pattern: /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/,
    locate: ([, module = "", file = "", resource = ""]) => ({
      file: join("aws", module, `${file}.d.ts`),
      args: `${resource}Args`,
    }),
  },
  {
    pattern: /^azure-native:([a-z]+):([A-Za-z0-9]+)$/,
    locate: ([, module = "", resource = ""]) => ({
      file: join("azure-native", module, `${uncapitalise(resource)}.d.ts`),
      args: `${resource}Args`,
    }),
  },
];

// Where the installed providers are, whatever directory the process is in (a stack plan changes it).
const PULUMI_PACKAGES = resolve(__dirname, "../../node_modules/@pulumi");

const taggable = new Map<string, boolean>();

/**
 * Whether a provider resource type accepts `tags`, read from the installed declaration of its args
 * (@pulumi/aws or @pulumi/azure-native), so a new child type is checked without anyone updating a
 * list. Types of other providers (random, kubernetes) are not taggable.
 */
export function isTaggable(type: string): boolean {
  const known = taggable.get(type);
  if (known !== undefined) return known;
  let answer = false;
  for (const { pattern, locate } of DECLARATIONS) {
    const match = pattern.exec(type);
    if (!match) continue;
    const { file, args } = locate(match);
    const path = join(PULUMI_PACKAGES, file);
    const text = readFileSync(path, "utf8");
    const start = text.indexOf(`export interface ${args} {`);
    if (start < 0) throw new Error(`no ${args} in ${path}`);
    answer = /\n {4}tags\?:/.test(text.slice(start, text.indexOf("\n}", start)));
    break;
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
