import { readFileSync } from "node:fs";
import { decidePlacement, type WorkloadSpec } from "../../components/kubernetes";
import {
  parseUsageExport,
  RIGHT_SIZING,
  rightSized,
  type UsageSample,
  useByWorkload,
  type WorkloadUse,
} from "../../components/monitoring";
import type { PlacementResult } from "../../components/placement";
import { ConfigError } from "../../components/validation";
import type { PlanRun } from "./run";

// `npm run plan -- --usage FILE`: observed use beside what the catalog asks for, and what
// placement would do with right-sized requests. Advisory: the plan's own decision stays what the
// catalog says; nothing changes until someone edits the catalog's requests.

/** One catalog workload: what it asked for per replica, what it used, and what would cover that. */
export interface UsageRow {
  workload: string;
  asked: { replicas: number; cpu: number; memoryGiB: number; gpus: number };
  used?: WorkloadUse;
  rightSized?: { cpu: number; memoryGiB: number };
}

/** What the usage exports say, and what placement would do with right-sized requests. */
export interface UsageReport {
  files: string[];
  rows: UsageRow[];
  /** Workloads the exports report that the catalog no longer has (ignored). */
  notInCatalog: string[];
  /** Placement with right-sized requests, when any request would change. */
  replaced?: {
    decision: PlacementResult;
    moved: { workload: string; before: string; after: string }[];
    /** Pools whose packed node count would change. */
    pools: { pool: string; before: number; after: number }[];
    costBefore: number;
    costAfter: number;
  };
}

/** A usage export given on the command line: where to read it, and the name to report it by. */
export interface UsageFile {
  path: string;
  name: string;
}

/** Every export's samples, checked against the plan's clusters; one ConfigError per bad file. */
export function readUsageExports(run: PlanRun, files: UsageFile[]): UsageSample[] {
  const sites = (run.placement?.targets ?? []).map((t) => t.name);
  const seen = new Map<string, string>();
  return files.flatMap(({ path, name: file }) => {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new ConfigError(`usage export ${file}`, [
        {
          path: "",
          message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        },
      ]);
    }
    const samples = parseUsageExport(file, text);
    const foreign = new Map<string, number[]>();
    samples.forEach((s, i) => {
      if (!sites.includes(s.site)) foreign.set(s.site, [...(foreign.get(s.site) ?? []), i]);
    });
    const issues = [...foreign].map(([site, at]) => ({
      path: `data.result[${at[0]}].metric.site`,
      message: `"${site}" is not a cluster of stack ${run.stack} (${sites.join(", ")}): an export of another environment? (${at.length} samples name it)`,
    }));
    const repeats = new Map<string, { first: number; key: string; count: number }>();
    samples.forEach((s, i) => {
      if (!sites.includes(s.site)) return;
      const key = `${s.site}/${s.namespace}/${s.workload}/${s.pool}/${s.resource}/${s.stat}`;
      const other = seen.get(key);
      seen.set(key, file);
      if (other === undefined) return;
      const r = repeats.get(other) ?? { first: i, key, count: 0 };
      repeats.set(other, { ...r, count: r.count + 1 });
    });
    for (const [other, r] of repeats)
      issues.push({
        path: `data.result[${r.first}]`,
        message: `repeats ${r.count} sample${r.count > 1 ? "s" : ""} of ${other} (the first: ${r.key}): give each store's export once`,
      });
    if (issues.length > 0) throw new ConfigError(`usage export ${file}`, issues);
    return samples;
  });
}

/** Where a decision runs a workload, as `target/pool xN` parts. */
function whereOf(decision: PlacementResult, workload: string): string {
  const parts = decision.assignments.filter((a) => a.workload === workload);
  if (parts.length === 0) return decision.unplaced.some((u) => u.workload === workload) ? "unplaced" : "-";
  return parts.map((a) => `${a.target}/${a.pool} x${a.replicas}`).join(", ");
}

/** The report: per catalog workload, asked against used; then placement with the right-sized catalog. */
export async function usageReport(run: PlanRun, files: UsageFile[]): Promise<UsageReport> {
  if (!run.placement || !run.decision)
    throw new ConfigError(`--usage ${files.map((f) => f.name).join(" ")}`, [
      { path: "", message: `stack ${run.stack} has no workload catalog to compare use with` },
    ]);
  const use = useByWorkload(readUsageExports(run, files));
  const catalog = run.placement.catalog;
  const rows: UsageRow[] = catalog.map((w) => {
    const used = use.get(w.name);
    return {
      workload: w.name,
      asked: { replicas: w.replicas, cpu: w.cpu, memoryGiB: w.memoryGiB, gpus: w.gpu?.count ?? 0 },
      ...(used ? { used, rightSized: rightSized(used) } : {}),
    };
  });
  const known = new Set(catalog.map((w) => w.name));
  const report: UsageReport = {
    files: files.map((f) => f.name),
    rows,
    notInCatalog: [...use.keys()].filter((w) => !known.has(w)).sort(),
  };
  const sized: WorkloadSpec[] = catalog.map((w) => {
    const row = rows.find((r) => r.workload === w.name);
    return row?.rightSized ? { ...w, cpu: row.rightSized.cpu, memoryGiB: row.rightSized.memoryGiB } : w;
  });
  if (sized.every((w, i) => w.cpu === catalog[i]?.cpu && w.memoryGiB === catalog[i]?.memoryGiB))
    return report;
  const decision = await decidePlacement("right-sized catalog", {
    workloads: sized,
    targets: run.placement.targets,
    previous: run.decision.lock,
    allowPartial: true,
    ...(run.placement.moveCost === undefined ? {} : { moveCost: run.placement.moveCost }),
    ...(run.placement.timeLimitMs === undefined ? {} : { timeLimitMs: run.placement.timeLimitMs }),
  });
  const before = run.decision;
  const moved = catalog
    .map((w) => ({ workload: w.name, before: whereOf(before, w.name), after: whereOf(decision, w.name) }))
    .filter((m) => m.before !== m.after);
  const nodes = (d: PlacementResult) =>
    new Map(d.packing.map((p) => [`${p.target}/${p.pool}`, p.nodes.length]));
  const [was, will] = [nodes(before), nodes(decision)];
  const pools = [...new Set([...was.keys(), ...will.keys()])]
    .sort()
    .map((pool) => ({ pool, before: was.get(pool) ?? 0, after: will.get(pool) ?? 0 }))
    .filter((p) => p.before !== p.after);
  report.replaced = {
    decision,
    moved,
    pools,
    costBefore: before.cost.computePerHour,
    costAfter: decision.cost.computePerHour,
  };
  return report;
}

const n = (x: number | undefined, digits = 2) =>
  x === undefined ? "-" : String(Math.round(x * 10 ** digits) / 10 ** digits);

/** The report as the plan's text section. */
export function usageText(report: UsageReport): string[] {
  const header = [
    "workload",
    "asked cpu / GiB / GPU",
    "used p95 cpu / GiB",
    "max cpu / GiB",
    "GPU util p95",
    "right-sized cpu / GiB",
  ];
  const rows = report.rows.map((r) => [
    r.workload,
    `${n(r.asked.cpu)} / ${n(r.asked.memoryGiB)} / ${r.asked.gpus}`,
    r.used ? `${n(r.used.cpuP95)} / ${n(r.used.memoryP95GiB, 1)}` : "no data",
    r.used ? `${n(r.used.cpuMax)} / ${n(r.used.memoryMaxGiB, 1)}` : "-",
    r.used?.gpuUtilisationP95 === undefined ? "-" : `${n(r.used.gpuUtilisationP95, 0)}%`,
    r.rightSized ? `${n(r.rightSized.cpu)} / ${n(r.rightSized.memoryGiB)}` : "unchanged",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd()}`;
  const out = [
    `  per replica, over the exports' window (${report.files.join(", ")}); right-sized = p95 x ${RIGHT_SIZING.headroom}, rounded up to ${RIGHT_SIZING.cpuStep} core and ${RIGHT_SIZING.memoryStepGiB} GiB`,
    line(header),
    ...rows.map(line),
  ];
  const noData = report.rows.filter((r) => !r.used).map((r) => r.workload);
  if (noData.length > 0)
    out.push(
      `  no data for ${noData.join(", ")}: not running over the window, or not scraped; their requests stay`,
    );
  if (report.notInCatalog.length > 0)
    out.push(`  not in the catalog (ignored): ${report.notInCatalog.join(", ")}`);
  const r = report.replaced;
  if (!r)
    out.push(
      "",
      "  With right-sized requests placement would change nothing: every request already covers its use.",
    );
  else {
    out.push("", "  With right-sized requests, placement would:");
    if (r.moved.length === 0) out.push("    keep every workload where it is");
    for (const m of r.moved) out.push(`    move ${m.workload}: ${m.before} -> ${m.after}`);
    for (const p of r.pools) out.push(`    pack ${p.pool} onto ${p.after} nodes instead of ${p.before}`);
    out.push(`    compute $${r.costBefore.toFixed(2)}/h -> $${r.costAfter.toFixed(2)}/h`);
  }
  out.push(
    "  Nothing changes until the catalog's requests change: edit its cpu and memoryGiB, then plan again.",
  );
  return out;
}

/** The report as the plan's JSON section. */
export function usageJson(report: UsageReport): Record<string, unknown> {
  return {
    files: report.files,
    workloads: report.rows,
    notInCatalog: report.notInCatalog,
    rightSizedPlacement: report.replaced
      ? {
          moved: report.replaced.moved,
          pools: report.replaced.pools,
          computePerHourBefore: report.replaced.costBefore,
          computePerHourAfter: report.replaced.costAfter,
          assignments: report.replaced.decision.assignments,
          unplaced: report.replaced.decision.unplaced,
        }
      : null,
  };
}
