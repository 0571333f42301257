import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface PlanBenchOptions {
  /** Fewer runs per stack. */
  quick: boolean;
  /** Where the JSON goes. */
  out: string;
}

interface Row {
  stack: string;
  runs: number;
  resources: number;
  placed: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  maxRssMiB: number | null;
}

const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const CLI = join(ROOT, "scripts/plan/cli.ts");
// GNU time reports the peak resident memory of the whole plan process; without it, memory is n/a.
const GNU_TIME = "/usr/bin/time";

/**
 * Runs `npm run plan -- --stack S --json` as a user does (a fresh process each time, so module
 * loading and the HiGHS start-up count), for every stack that has a config file; prints a table
 * and writes JSON.
 */
export async function runPlanBench(options: PlanBenchOptions): Promise<void> {
  const stacks = ["dev", "staging", "prod"].filter((s) =>
    existsSync(join(ROOT, "stacks", `Pulumi.${s}.yaml`)),
  );
  const runs = options.quick ? 3 : 7;
  const rows: Row[] = [];
  for (const stack of stacks) {
    const times: number[] = [];
    let rss: number | null = null;
    let resources = 0;
    let placed = 0;
    // One warm-up run so the first measurement does not pay for a cold file-system cache.
    plan(stack);
    for (let i = 0; i < runs; i++) {
      const result = plan(stack);
      times.push(result.ms);
      if (result.rssKiB !== null) rss = Math.max(rss ?? 0, result.rssKiB);
      resources = result.resources;
      placed = result.placed;
    }
    times.sort((a, b) => a - b);
    rows.push({
      stack,
      runs,
      resources,
      placed,
      medianMs: round(times[Math.floor(times.length / 2)] ?? 0),
      minMs: round(times[0] ?? 0),
      maxMs: round(times[times.length - 1] ?? 0),
      maxRssMiB: rss === null ? null : round(rss / 1024),
    });
  }
  console.log("\nPlan benchmark (fresh process per run, JSON output)");
  console.table(rows);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify({ node: process.version, cores: cpus().length, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${options.out}`);
}

function plan(stack: string): { ms: number; rssKiB: number | null; resources: number; placed: number } {
  // The policy pack has its own benchmark (bench/policy).
  const args = [CLI, "--stack", stack, "--json", "--no-policy"];
  const timed = existsSync(GNU_TIME);
  const start = process.hrtime.bigint();
  const child = timed
    ? spawnSync(GNU_TIME, ["-f", "%M", TSX, ...args], {
        cwd: ROOT,
        maxBuffer: 256 * 1024 * 1024,
        encoding: "utf8",
      })
    : spawnSync(TSX, args, { cwd: ROOT, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`plan --stack ${stack} failed: ${child.stderr}`);
  const rssLine = timed ? child.stderr.trim().split("\n").pop() : undefined;
  const doc = JSON.parse(child.stdout) as {
    resources: unknown[];
    placement?: { assignments?: { workload: string }[] } | null;
  };
  return {
    ms,
    rssKiB: rssLine && /^\d+$/.test(rssLine) ? Number(rssLine) : null,
    resources: doc.resources.length,
    placed: new Set((doc.placement?.assignments ?? []).map((a) => a.workload)).size,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
