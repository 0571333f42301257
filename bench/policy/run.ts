import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
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
      const config = { all: stack === "dev" ? "advisory" : "mandatory" };
      await analyzer.analyze(resources, config);
      const warm: number[] = [];
      let violations = 0;
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        violations = (await analyzer.analyze(resources, config)).length;
        warm.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
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
        cliMedianMs: round(median(cold)),
      });
    }
  } finally {
    analyzer.close();
  }
  console.log(
    "\nPolicy benchmark (warm: a running pack, Analyze per resource + AnalyzeStack; cli: npm run policy)",
  );
  console.table(rows);
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(
    options.out,
    `${JSON.stringify({ node: process.version, cores: cpus().length, rows }, null, 2)}\n`,
  );
  console.log(`wrote ${options.out}`);
}
