// Files a user writes and gets wrong: each error names the file, the line and the column, shows
// the line, and carries no parser stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../components/validation";
import { readStackFile } from "../../scripts/plan/stack-file";
import { loadCatalog, loadLock } from "../../stacks/catalog";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "unreadable-"));
  mkdirSync(join(dir, "stacks"));
  writeFileSync(join(dir, "Pulumi.yaml"), "name: hybrid-ai-infra\nstackConfigDir: stacks\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("unreadable files", () => {
  it.each([
    {
      what: "a catalog with an unclosed flow sequence",
      file: "stacks/workloads.dev.yaml",
      text: "workloads:\n  - name: a\n    kind: [training\n    replicas: 2\n",
      read: (dir: string) => loadCatalog(dir, "dev"),
      expected: /^stacks\/workloads\.dev\.yaml: line 4, column 5: is not valid YAML: Flow sequence/,
      shows: "    replicas: 2",
    },
    {
      what: "a stack file with a mis-indented key",
      file: "stacks/Pulumi.dev.yaml",
      text: "config:\n  aws:region: eu-west-1\n   hybrid-ai-infra:environment: dev\n",
      read: (dir: string) => readStackFile(dir, "dev"),
      expected: /Pulumi\.dev\.yaml: line \d+, column \d+: is not valid YAML/,
      shows: "aws:region: eu-west-1",
    },
    {
      what: "a lock with a stray comma",
      file: "stacks/placement.dev.lock.json",
      text: '{\n  "version": 1,\n  "assignments": [,]\n}\n',
      read: (dir: string) => loadLock(dir, "dev"),
      expected: /^stacks\/placement\.dev\.lock\.json: line 3, column 19: is not valid JSON/,
      shows: '"assignments": [,]',
    },
  ])("$what", ({ file, text, read, expected, shows }) => {
    const dir = project({ [file]: text });
    const error = errorOf(() => read(dir));
    expect(error.message).toMatch(expected);
    expect(error.message).toContain(shows);
    expect(error.message).toMatch(/\n\s+\^$/);
    expect(error.message).not.toContain("node_modules");
  });

  it("still reads valid files", () => {
    const dir = project({ "stacks/placement.dev.lock.json": '{ "version": 1, "assignments": [] }' });
    expect(loadLock(dir, "dev")).toEqual({ version: 1, assignments: [] });
  });
});
