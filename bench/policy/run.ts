import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startAnalyzer } from "../../scripts/policy/analyzer";
import { readDocument } from "../../scripts/policy/document";

export interface PolicyBenchOptions {
  /** Fewer runs. */
  quick: boolean;
  /** Where the JSON goes. */
  out: string;
}

const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

/** CPU milliseconds a process has used (user + system), from /proc; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const round = (x: number) => Math.round(x * 10) / 10;

/**
 * The time to evaluate each stack's plan with the policy pack: a warm pack (`Analyze` per resource
 * plus `AnalyzeStack`, what every preview pays) and `npm run policy` end to end in a fresh process
 * (pack start-up included). Prints a table and writes JSON.
 */
export async function runPolicyBench(options: PolicyBenchOptions): Promise<void> {
  const runs = options.quick ? 3 : 9;
  const rows = [];
  const analyzer = await startAnalyzer();
  try {
    for (const stack of ["dev", "staging", "prod"]) {
      const file = join(tmpdir(), `policy-bench-${stack}.json`);
      const made = spawnSync(
        TSX,
        ["scripts/plan/cli.ts", "--stack", stack, "--json", "--no-policy", "--out", file],
        {
          cwd: ROOT,
          encoding: "utf8",
        },
      );
      if (made.status !== 0) throw new Error(`plan --stack ${stack} failed: ${made.stderr}`);
      const resources = readDocument(file);
      const config = JSON.parse(readFileSync(join(ROOT, `policies/config.${stack}.json`), "utf8"));
      await analyzer.analyze(resources, config);
      const warm: number[] = [];
      let violations = 0;
      const packCpuBefore = processCpuMs(analyzer.pid);
      const clientCpuBefore = process.cpuUsage();
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        violations = (await analyzer.analyze(resources, config)).length;
        warm.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const packCpuAfter = processCpuMs(analyzer.pid);
      const client = process.cpuUsage(clientCpuBefore);
      const packCpuMs =
        packCpuBefore === undefined || packCpuAfter === undefined
          ? undefined
          : round((packCpuAfter - packCpuBefore) / runs);
      const clientCpuMs = round((client.user + client.system) / 1000 / runs);
      const cold: number[] = [];
      for (let i = 0; i < Math.min(runs, 3); i++) {
        const start = process.hrtime.bigint();
        const run = spawnSync(
          TSX,
          ["scripts/policy/cli.ts", file, "--config", `policies/config.${stack}.json`],
          {
            cwd: ROOT,
            encoding: "utf8",
          },
        );
        if (run.status !== 0)
          throw new Error(`policy on ${stack} exited ${run.status}: ${run.stdout}${run.stderr}`);
        cold.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      rows.push({
        stack,
        resources: resources.length,
        violations,
        warmMedianMs: round(median(warm)),
        warmMaxMs: round(Math.max(...warm)),
        // CPU per evaluation: what the wall time is when the machine is not shared.
        packCpuMs,
        clientCpuMs,
        cliMedianMs: round(median(cold)),
      });
    }
  } finally {
    analyzer.close();
  }
  console.log(
    "\nPolicy benchmark, under each stack's pack config (warm: a running pack, Analyze per resource + AnalyzeStack, wall and CPU per evaluation; cli: npm run policy end to end)",
  );
  console.table(rows);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify({ node: process.version, cores: cpus().length, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${options.out}`);
}
