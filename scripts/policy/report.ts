import type { Violation } from "./analyzer";

/** Violations as text: mandatory first, then advisory, one line each under its rule. */
export function violationsText(violations: readonly Violation[]): string {
  if (violations.length === 0) return "Policy pack hybrid-ai-infra: no violations\n";
  const order = (v: Violation) => (v.enforcementLevel === "mandatory" ? 0 : 1);
  const sorted = [...violations].sort(
    (a, b) => order(a) - order(b) || (a.policy < b.policy ? -1 : a.policy > b.policy ? 1 : 0),
  );
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
  const lines = [
    `Policy pack hybrid-ai-infra: ${mandatory} mandatory, ${violations.length - mandatory} advisory`,
  ];
  for (const v of sorted) {
    lines.push(`  [${v.enforcementLevel}] ${v.policy}: ${v.message}`, `      ${v.urn}`);
  }
  return `${lines.join("\n")}\n`;
}
