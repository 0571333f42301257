// Zero false positives on a realistic, well-configured program the library did not write (every
// rule mandatory), and under preview unknowns: blanking any input of it (a field, a nested field,
// a list element) never makes a rule report a violation, only leave its verdict to the update.
import { describe, expect, it } from "vitest";
import { canonicalType } from "../../policies/kit";
import { ALL_RULES } from "../../policies/rules";
import type { DocumentResource } from "../../scripts/policy/analyzer";
import { evaluatePack, judge, judgeStack, stackView, UNKNOWN_INPUT } from "./evaluate";
import { goodProgram } from "./good-program";

const resourceRules = ALL_RULES.filter((r) => "validateResource" in r);
const stackRules = ALL_RULES.filter((r) => "validateStack" in r);

/** Every way to blank one input of `inputs`: each field, each nested field, each list element. */
function blanks(inputs: Record<string, unknown>): { path: string; inputs: Record<string, unknown> }[] {
  const out: { path: string; inputs: Record<string, unknown> }[] = [];
  const visit = (value: unknown, path: string[], depth: number) => {
    if (path.length > 0) {
      const copy = structuredClone(inputs);
      let at = copy as Record<string, unknown>;
      for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
      at[path[path.length - 1] as string] = UNKNOWN_INPUT;
      out.push({ path: path.join("."), inputs: copy });
    }
    if (depth === 0 || value === null || typeof value !== "object") return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, [...path, k], depth - 1);
  };
  visit(inputs, [], 5);
  return out;
}

describe("a realistic program the library did not write", () => {
  it("passes every rule, all of them mandatory", async () => {
    const findings = await evaluatePack(ALL_RULES, goodProgram(), { all: "mandatory" });
    expect(findings).toEqual([]);
  });

  it("reports nothing when any one of its inputs is unknown, as in a preview", async () => {
    const program = goodProgram();
    let cases = 0;
    const failures: string[] = [];
    for (const [i, resource] of program.entries()) {
      const type = canonicalType(resource.type).type;
      const mine = resourceRules.filter((r) => "types" in r && (r.types as readonly string[]).includes(type));
      for (const blank of blanks(resource.inputs)) {
        cases++;
        for (const rule of mine) {
          const { violations } = await judge(rule, resource.type, blank.inputs, {}, resource.urn);
          if (violations.length > 0)
            failures.push(
              `${rule.name} on ${resource.name} with ${blank.path} unknown: ${violations.join("; ")}`,
            );
        }
        const changed: DocumentResource[] = program.map((r, j) =>
          j === i ? { ...r, inputs: blank.inputs } : r,
        );
        const view = stackView(changed);
        for (const rule of stackRules) {
          const { violations } = await judgeStack(rule, view);
          if (violations.length > 0)
            failures.push(
              `${rule.name} with ${resource.name}.${blank.path} unknown: ${violations.map((v) => v.message).join("; ")}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(500);
  }, 60_000);
});
