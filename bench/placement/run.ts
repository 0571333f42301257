import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname } from "node:path";
import { type PlacementInput, type PlacementResult, place } from "../../components/placement";
import { type Bound, lowerBound } from "./bound";
import { perturb } from "./change";
import { exhaustive } from "./exhaustive";
import { firstFitDecreasing } from "./ffd";
import { generate, generateTiny, type InstanceSpec } from "./generator";
import { highsBaseline } from "./highs-mip";
import { karmadaLike } from "./karmada";
import { type Plan, type Verdict, verify } from "./verifier";

// One run of the placement benchmark: every instance, every algorithm, one table, one JSON file.

export interface BenchOptions {
  readonly quick: boolean;
  /** Where the JSON goes. */
  readonly out: string;
}

interface Row {
  instance: string;
  algorithm: string;
  workloads: number;
  placed: number;
  cost: number | null;
  aboveBound: number | null;
  violations: number;
  /** Workloads left out although a pool could take them beside equal- or higher-priority work. */
  missed: number;
  violationSamples: string[];
  /** Placed fewer workloads than the bound's set: its cost is not comparable (marked *). */
  fewer?: boolean;
  moved: number | null;
  movedShare: number | null;
  timeMs: number;
  note?: string;
}

const FULL: InstanceSpec[] = [
  { name: "200x10", workloads: 200, targets: 10, seed: 11, roomForAll: true },
  { name: "600x12", workloads: 600, targets: 12, seed: 12, roomForAll: true },
  { name: "2000x20 room", workloads: 2000, targets: 20, seed: 13, roomForAll: true },
  { name: "2000x20 tight", workloads: 2000, targets: 20, seed: 14, roomForAll: false },
  { name: "10000x100", workloads: 10000, targets: 100, seed: 15, roomForAll: true },
];

const QUICK: InstanceSpec[] = [
  { name: "200x10", workloads: 200, targets: 10, seed: 11, roomForAll: true },
  { name: "600x12", workloads: 600, targets: 12, seed: 12, roomForAll: true },
  { name: "2000x20 room", workloads: 2000, targets: 20, seed: 13, roomForAll: true },
];

function planOf(result: PlacementResult): Plan {
  return { assignments: result.assignments, packing: result.packing };
}

/** Workloads present in both plans' inputs whose set of (target, pool) differs. */
function moved(before: Plan, after: Plan, names: ReadonlySet<string>): number {
  const sets = (plan: Plan): Map<string, string> => {
    const out = new Map<string, string[]>();
    for (const a of plan.assignments)
      out.set(a.workload, [...(out.get(a.workload) ?? []), `${a.target}/${a.pool}`]);
    return new Map([...out].map(([w, keys]) => [w, keys.sort().join(",")]));
  };
  const a = sets(before);
  const b = sets(after);
  let count = 0;
  for (const name of names) {
    const was = a.get(name);
    if (was !== undefined && was !== b.get(name)) count += 1;
  }
  return count;
}

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await run();
  return { value, ms: performance.now() - start };
}

function rowOf(
  instance: string,
  algorithm: string,
  input: PlacementInput,
  verdict: Verdict,
  bound: Bound,
  movedCount: number | null,
  remaining: number,
  ms: number,
  note?: string,
): Row {
  const cost = verdict.cost.total;
  return {
    instance,
    algorithm,
    workloads: input.workloads.length,
    placed: verdict.placed,
    cost,
    aboveBound: bound.value === null || bound.value <= 0 ? null : (cost / bound.value - 1) * 100,
    violations: verdict.violations.length,
    missed: verdict.missed.length,
    violationSamples: [...verdict.violations, ...verdict.missed].slice(0, 5),
    moved: movedCount,
    movedShare: movedCount === null ? null : (movedCount / remaining) * 100,
    timeMs: ms,
    ...(note === undefined ? {} : { note }),
  };
}

async function runInstance(
  spec: InstanceSpec,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{ rows: Row[]; bound: Bound; deterministic: boolean }> {
  const input = generate(spec);
  const changed = perturb(input, spec.seed + 1000);
  const common = new Set(
    changed.workloads.map((w) => w.name).filter((n) => input.workloads.some((w) => w.name === n)),
  );
  const rows: Row[] = [];

  // The engine: three timed runs (the median is reported), byte-for-byte equal.
  const runs: { value: PlacementResult; ms: number }[] = [];
  for (let i = 0; i < (options.quick ? 2 : 3); i++) runs.push(await timed(() => place(input)));
  const result = runs[0]?.value as PlacementResult;
  const bytes = JSON.stringify(result);
  const shuffled = await place({
    ...input,
    workloads: [...input.workloads].reverse(),
    targets: [...input.targets].reverse(),
  });
  const deterministic =
    runs.every((r) => JSON.stringify(r.value) === bytes) && JSON.stringify(shuffled) === bytes;
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const engineMs = times[Math.floor(times.length / 2)] ?? 0;
  const engineVerdict = verify(input, planOf(result));
  const placedNames = new Set(result.assignments.map((a) => a.workload));
  const bound = await lowerBound(input, placedNames, options.quick ? 20 : 120, 120);
  log(`  ${spec.name}: engine ${Math.round(engineMs)} ms, bound ${bound.kind} in ${Math.round(bound.ms)} ms`);

  const withLock = await place({ ...changed, previous: result.lock });
  const fresh = await place(changed);
  rows.push(
    rowOf(
      spec.name,
      "engine (lock)",
      input,
      engineVerdict,
      bound,
      moved(planOf(result), planOf(withLock), common),
      common.size,
      engineMs,
      `cold ${Math.round(runs[0]?.ms ?? 0)} ms; work ${result.solver.work}/${result.solver.budget}`,
    ),
  );
  rows.push(
    rowOf(
      spec.name,
      "engine (no lock)",
      input,
      engineVerdict,
      bound,
      moved(planOf(result), planOf(fresh), common),
      common.size,
      engineMs,
    ),
  );
  const changeVerdict = verify({ ...changed, previous: result.lock }, planOf(withLock));
  if (changeVerdict.violations.length > 0)
    log(`  ${spec.name}: engine after the change: ${changeVerdict.violations.length} violations`);

  const baselines: { name: string; run: (i: PlacementInput) => Plan | Promise<Plan | null> }[] = [
    { name: "first-fit-decreasing", run: firstFitDecreasing },
    { name: "karmada-like", run: karmadaLike },
  ];
  for (const b of baselines) {
    const { value: plan, ms } = await timed(() => b.run(input));
    const after = await b.run(changed);
    if (plan === null || after === null) continue;
    rows.push(
      rowOf(
        spec.name,
        b.name,
        input,
        verify(input, plan),
        bound,
        moved(plan, after, common),
        common.size,
        ms,
      ),
    );
  }
  const limit = options.quick ? 10 : 30;
  const { value: mip, ms: mipMs } = await timed(() => highsBaseline(input, limit));
  if (mip.plan !== null) {
    rows.push(
      rowOf(
        spec.name,
        `highs ${limit}s`,
        input,
        verify(input, mip.plan),
        bound,
        null,
        common.size,
        mipMs,
        [mip.status, mip.note].filter(Boolean).join("; "),
      ),
    );
  } else {
    rows.push({
      instance: spec.name,
      algorithm: `highs ${limit}s`,
      workloads: input.workloads.length,
      placed: 0,
      cost: null,
      aboveBound: null,
      violations: 0,
      missed: 0,
      violationSamples: [],
      moved: null,
      movedShare: null,
      timeMs: mipMs,
      note: [mip.status, mip.note].filter(Boolean).join("; "),
    });
  }
  log(`  ${spec.name}: baselines done`);
  for (const row of rows) row.fewer = row.placed < placedNames.size;
  return { rows, bound, deterministic };
}

interface TinySummary {
  instances: number;
  engineOptimal: number;
  heuristicOptimal: number;
  violations: number;
  worstAboveOptimum: number;
  worstHeuristicAboveOptimum: number;
  maxMs: number;
  failures: string[];
}

async function runTiny(count: number): Promise<TinySummary> {
  const summary: TinySummary = {
    instances: count,
    engineOptimal: 0,
    heuristicOptimal: 0,
    violations: 0,
    worstAboveOptimum: 0,
    worstHeuristicAboveOptimum: 0,
    maxMs: 0,
    failures: [],
  };
  for (let seed = 1; seed <= count; seed++) {
    const input = generateTiny(seed);
    const best = exhaustive(input);
    const { value: result, ms } = await timed(() => place(input));
    const heuristic = await place({ ...input, options: { ...input.options, solver: "heuristic" } });
    summary.maxMs = Math.max(summary.maxMs, ms);
    for (const [label, r] of [
      ["engine", result],
      ["heuristic", heuristic],
    ] as const) {
      const verdict = verify(input, planOf(r));
      summary.violations += verdict.violations.length;
      const levels = best.placed.map(([level]) => [
        level,
        r.assignments.length === 0
          ? 0
          : new Set(
              r.assignments
                .filter((a) => (input.workloads.find((w) => w.name === a.workload)?.priority ?? 0) === level)
                .map((a) => a.workload),
            ).size,
      ]);
      const samePlaced = levels.every(([, n], i) => n === best.placed[i]?.[1]);
      const above =
        best.cost > 0 ? (verdict.cost.total / best.cost - 1) * 100 : verdict.cost.total > 1e-9 ? 100 : 0;
      const optimal = samePlaced && verdict.cost.total <= best.cost + 1e-6;
      if (label === "engine") {
        if (optimal) summary.engineOptimal += 1;
        else
          summary.failures.push(
            `seed ${seed}: engine ${verdict.cost.total.toFixed(4)} vs optimum ${best.cost.toFixed(4)}; placed ${JSON.stringify(levels)} vs ${JSON.stringify(best.placed)}`,
          );
        summary.worstAboveOptimum = Math.max(summary.worstAboveOptimum, samePlaced ? above : 100);
      } else {
        if (optimal) summary.heuristicOptimal += 1;
        summary.worstHeuristicAboveOptimum = Math.max(
          summary.worstHeuristicAboveOptimum,
          samePlaced ? above : 100,
        );
      }
    }
  }
  return summary;
}

function fmt(n: number | null, digits = 2): string {
  return n === null ? "-" : n.toFixed(digits);
}

export function table(rows: readonly Row[]): string {
  const head = [
    "instance",
    "algorithm",
    "placed",
    "cost $/h",
    "% above bound",
    "violations",
    "missed",
    "moved after 1%",
    "time ms",
  ];
  const body = rows.map((r) => [
    r.instance,
    r.algorithm,
    r.cost === null ? "-" : `${r.placed}/${r.workloads}`,
    fmt(r.cost),
    r.aboveBound === null ? "-" : `${r.aboveBound.toFixed(2)}%${r.fewer ? "*" : ""}`,
    String(r.violations),
    String(r.missed),
    r.moved === null ? "-" : `${r.moved} (${fmt(r.movedShare, 1)}%)`,
    String(Math.round(r.timeMs)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? "").length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

export async function runPlacementBench(options: BenchOptions): Promise<void> {
  const log = (line: string): void => console.error(line);
  const specs = options.quick ? QUICK : FULL;
  const tinyCount = options.quick ? 12 : 40;
  log(
    `placement benchmark (${options.quick ? "quick" : "full"}), ${cpus().length} cores, node ${process.version}`,
  );
  const tiny = await runTiny(tinyCount);
  log(`  tiny: engine optimal on ${tiny.engineOptimal}/${tiny.instances}`);
  const rows: Row[] = [];
  const instances: { spec: InstanceSpec; bound: Bound; deterministic: boolean }[] = [];
  for (const spec of specs) {
    const { rows: r, bound, deterministic } = await runInstance(spec, options, log);
    rows.push(...r);
    instances.push({ spec, bound, deterministic });
  }
  console.log(table(rows));
  console.log(
    "* placed fewer workloads than the bound's set (the engine's), so its cost is not comparable. " +
      "missed: workloads left out though one of their pools could take them beside equal- or higher-priority work.",
  );
  console.log("");
  console.log(
    `tiny (${tiny.instances} instances, 3-6 workloads): engine equals the exhaustive optimum on ${tiny.engineOptimal}/${tiny.instances} ` +
      `(worst ${tiny.worstAboveOptimum.toFixed(2)}% above); heuristic alone on ${tiny.heuristicOptimal}/${tiny.instances} ` +
      `(worst ${tiny.worstHeuristicAboveOptimum.toFixed(2)}% above); violations ${tiny.violations}; slowest ${Math.round(tiny.maxMs)} ms`,
  );
  for (const i of instances) {
    console.log(
      `${i.spec.name}: bound ${i.bound.kind}${i.bound.value === null ? "" : ` ${i.bound.value.toFixed(2)}`}${i.bound.note ? ` (${i.bound.note})` : ""}; deterministic bytes: ${i.deterministic ? "yes" : "NO"}`,
    );
  }
  for (const r of rows)
    if (r.violations > 0) console.log(`${r.instance} ${r.algorithm}: ${r.violationSamples.join(" | ")}`);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify({ mode: options.quick ? "quick" : "full", cores: cpus().length, node: process.version, tiny, instances, rows }, null, 2)}\n`,
  );
  console.log(`\nwrote ${options.out}`);
}
