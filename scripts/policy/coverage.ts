// What the pack covers of each benchmark: benchmarks.json lists each framework's checks that bear
// on what the library creates (with the reason where a check is deliberately not covered, or does
// not apply), and the rules' tags say which of them a rule covers. `coverage()` joins the two and
// names every inconsistency: a tag the catalogue does not know, a listed check that no rule covers
// and no reason explains, a check both covered and excused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_RULES } from "../../policies/rules";

/** One benchmark check. */
export interface BenchmarkCheck {
  id: string;
  title: string;
  /** Why the pack deliberately leaves it uncovered. */
  notCovered?: string;
  /** Why it does not apply to what the library creates. */
  notApplicable?: string;
}

export interface Framework {
  title: string;
  /** Which checks the list holds, and from where. */
  scope: string;
  checks: BenchmarkCheck[];
}

/** The frameworks the coverage table reports, by tag prefix. */
export const FRAMEWORKS = ["checkov", "kics", "aws-fsbp", "cis-eks", "cis-aks", "cis-k8s"] as const;
export type FrameworkId = (typeof FRAMEWORKS)[number];

export const CATALOGUE_FILE = join(__dirname, "benchmarks.json");

export function catalogue(): Record<FrameworkId, Framework> {
  return JSON.parse(readFileSync(CATALOGUE_FILE, "utf8")) as Record<FrameworkId, Framework>;
}

/** One framework's coverage. */
export interface FrameworkCoverage {
  id: FrameworkId;
  title: string;
  scope: string;
  /** Checks that apply to what the library creates. */
  applicable: number;
  covered: { check: BenchmarkCheck; rules: string[] }[];
  notCovered: BenchmarkCheck[];
  notApplicable: BenchmarkCheck[];
  /** Inconsistencies between the catalogue and the rules' tags (empty when all is well). */
  problems: string[];
}

/** Each framework's coverage by the rules' tags. */
export function coverage(
  rules: readonly { name: string; tags?: string[] }[] = ALL_RULES,
): FrameworkCoverage[] {
  const frameworks = catalogue();
  return FRAMEWORKS.map((id) => {
    const framework = frameworks[id];
    const problems: string[] = [];
    const tagged = new Map<string, string[]>();
    for (const rule of rules)
      for (const tag of rule.tags ?? [])
        if (tag.startsWith(`${id}:`)) {
          const check = tag.slice(id.length + 1);
          tagged.set(check, [...(tagged.get(check) ?? []), rule.name]);
        }
    const known = new Set(framework.checks.map((c) => c.id));
    for (const [check, names] of tagged)
      if (!known.has(check))
        problems.push(`${id}:${check} (tagged by ${names.join(", ")}) is not in benchmarks.json`);
    const covered: FrameworkCoverage["covered"] = [];
    const notCovered: BenchmarkCheck[] = [];
    const notApplicable: BenchmarkCheck[] = [];
    const seen = new Set<string>();
    for (const check of framework.checks) {
      if (seen.has(check.id)) problems.push(`${id}:${check.id} is listed twice`);
      seen.add(check.id);
      const by = tagged.get(check.id);
      const excused = check.notCovered ?? check.notApplicable;
      if (by && excused) problems.push(`${id}:${check.id} is covered by ${by.join(", ")} but also excused`);
      if (check.notCovered && check.notApplicable)
        problems.push(`${id}:${check.id} is both not covered and not applicable`);
      if (by) covered.push({ check, rules: by });
      else if (check.notApplicable) notApplicable.push(check);
      else if (check.notCovered) notCovered.push(check);
      else problems.push(`${id}:${check.id} (${check.title}) is covered by no rule and no reason excuses it`);
    }
    return {
      id,
      title: framework.title,
      scope: framework.scope,
      applicable: framework.checks.length - notApplicable.length,
      covered,
      notCovered,
      notApplicable,
      problems,
    };
  });
}
