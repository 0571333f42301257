// The generated parts of docs/policy.md: the rules of each family (id, what it checks, remediation,
// default level, benchmark ids) and the coverage of each benchmark with what is deliberately left
// out and why. `npx tsx scripts/policy/docs.ts` rewrites them in place (between the
// `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` markers); a test fails when they are
// stale.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { FAMILIES } from "../../policies/rules";
import { type BenchmarkCheck, coverage } from "./coverage";

export const DOCS_FILE = join(__dirname, "../../docs/policy.md");

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

interface RuleView {
  name: string;
  description?: string;
  remediationSteps?: string;
  enforcementLevel?: string;
  tags?: string[];
  configSchema?: PolicyConfigSchema;
}

function rulesSection(): string {
  const out: string[] = [];
  for (const { id, title, rules } of Object.values(FAMILIES) as {
    id: string;
    title: string;
    rules: readonly RuleView[];
  }[]) {
    out.push(`### ${title} (\`rules/${id}.ts\`, ${rules.length})`, "");
    out.push(
      "| rule | checks | remediation | default | knobs | benchmarks |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    for (const r of rules) {
      const knobs = Object.keys(r.configSchema?.properties ?? {})
        .map((k) => `\`${k}\``)
        .join(", ");
      out.push(
        `| \`${r.name}\` | ${cell(r.description ?? "")} | ${cell(r.remediationSteps ?? "")} | ${r.enforcementLevel ?? "advisory"} | ${knobs} | ${cell((r.tags ?? []).join(", "))} |`,
      );
    }
    out.push("");
  }
  return out.join("\n").trimEnd();
}

const percent = (a: number, b: number) => (b === 0 ? "n/a" : `${Math.round((100 * a) / b)}%`);

/** Checks grouped by the reason they share, in catalogue order. */
function byReason(
  checks: readonly BenchmarkCheck[],
  reason: (c: BenchmarkCheck) => string,
  withTitles: boolean,
): string[] {
  const groups = new Map<string, string[]>();
  for (const c of checks) {
    const name = withTitles ? `${c.title} (\`${c.id}\`)` : `\`${c.id}\``;
    groups.set(reason(c), [...(groups.get(reason(c)) ?? []), name]);
  }
  return [...groups].map(([why, names]) => `- ${names.join(", ")}: ${why}`);
}

function coverageSection(): string {
  const all = coverage();
  const out = [
    "| framework | covered | deliberately not covered | not applicable | what the list holds |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const f of all)
    out.push(
      `| ${f.title} | ${f.covered.length} of ${f.applicable} (${percent(f.covered.length, f.applicable)}) | ${f.notCovered.length} | ${f.notApplicable.length} | ${cell(f.scope)} |`,
    );
  out.push("");
  for (const f of all) {
    out.push(`### ${f.title}`, "");
    if (f.notCovered.length > 0) {
      out.push(
        "Deliberately not covered:",
        "",
        ...byReason(f.notCovered, (c) => c.notCovered ?? "", f.id === "kics"),
        "",
      );
    }
    if (f.notApplicable.length > 0) {
      out.push(
        "Not applicable:",
        "",
        ...byReason(f.notApplicable, (c) => c.notApplicable ?? "", f.id === "kics"),
        "",
      );
    }
    if (f.notCovered.length === 0 && f.notApplicable.length === 0)
      out.push("Every listed check is covered.", "");
  }
  return out.join("\n").trimEnd();
}

const SECTIONS: Record<string, () => string> = { rules: rulesSection, coverage: coverageSection };

/** Markdown as Biome formats it (tables aligned), so `npx biome check .` stays clean. */
function biomeFormat(text: string): string {
  const run = spawnSync(
    join(__dirname, "../../node_modules/.bin/biome"),
    ["format", `--stdin-file-path=${DOCS_FILE}`],
    { input: text, encoding: "utf8", cwd: join(__dirname, "../..") },
  );
  if (run.status !== 0) throw new Error(`biome format failed: ${run.stderr}`);
  return run.stdout;
}

/** `text` with every generated section rendered afresh, formatted as Biome formats it. */
export function renderDocs(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`docs/policy.md lacks the ${start} ... ${end} markers`);
    out = `${out.slice(0, a + start.length)}\n\n${render()}\n\n${out.slice(b)}`;
  }
  return biomeFormat(out);
}

if (require.main === module) {
  const before = readFileSync(DOCS_FILE, "utf8");
  const after = renderDocs(before);
  if (after !== before) writeFileSync(DOCS_FILE, after);
  console.log(after === before ? "docs/policy.md is up to date" : "wrote docs/policy.md");
}
