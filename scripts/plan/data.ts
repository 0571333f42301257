import type { DatasetView } from "../../stacks/data";
import type { PlanRun } from "./run";

// The data view of the plan: per dataset, where it lives, where it is backed up (on what schedule,
// kept how long, copied by which cluster) and, per other site, whether it is staged there for the
// readers placement put there, read over a link, may be staged, or may not (and why). Read from the
// platform phase's `data` output, which the copies themselves are declared from.

/** The datasets as the platform phase exported them; absent when the stack copies nothing. */
export function dataView(run: PlanRun): DatasetView[] | undefined {
  const data = run.outputs.data as { datasets?: DatasetView[] } | undefined;
  return data?.datasets;
}

const STATE_WORDS: Record<DatasetView["staging"][number]["state"], string> = {
  staged: "staged",
  reachable: "reachable",
  allowed: "may be staged",
  refused: "not staged",
};

/** The data section's lines. */
export function dataText(datasets: readonly DatasetView[]): string[] {
  const out: string[] = [];
  for (const d of datasets) {
    const residency = d.residency ? `, residency ${d.residency.join(", ")}` : "";
    out.push(`  ${d.name} (${d.classification}${residency}): lives in ${d.home}`);
    if (d.backups.length === 0) out.push("    backups: none (lost with its site)");
    for (const b of d.backups)
      out.push(
        `    backup to ${b.to}, ${b.schedule}, by ${b.runsOn}'s cluster; ${b.retention}; restore drill on ${b.to}`,
      );
    for (const s of d.staging) out.push(`    ${s.site}: ${STATE_WORDS[s.state]} (${s.detail})`);
  }
  return out;
}

/** Each staged copy's readers, in placement's words: `w reads d, staged to site <schedule>`. */
export function stagedReads(datasets: readonly DatasetView[]): string[] {
  return datasets.flatMap((d) =>
    d.staging.flatMap((s) =>
      s.state === "staged"
        ? (s.readers ?? []).map((w) =>
            `  ${w} reads ${d.name}, staged to ${s.site} ${s.schedule ?? ""}`.trimEnd(),
          )
        : [],
    ),
  );
}
