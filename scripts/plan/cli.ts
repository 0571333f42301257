// Pulumi records a stack trace for every promise it makes (for leak reports), and source-mapped
// traces are slow: together they were half of the staging plan's time. The plan reports errors by
// message; PLAN_DEBUG=1 brings full traces back. No frame at all: even one frame per promise
// (hundreds of thousands on a fleet) cost three times an empty trace, and kept a string per
// promise alive for the garbage collector to copy.
// Only when run as the command: a test importing planCli keeps its own traces.
if (!process.env.PLAN_DEBUG && require.main === module) {
  process.setSourceMapsEnabled(false);
  Error.stackTraceLimit = 0;
}

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../../components/validation";
import { lockPath } from "../../stacks/catalog";
import {
  type Analyzer,
  type DocumentResource,
  POLICY_PACK_DIR,
  startAnalyzer,
  type Violation,
} from "../policy/analyzer";
import { violationsText } from "../policy/report";
import { planSvg } from "./picture";
import { planJson, planText } from "./render";
import { PHASES, type Phase, runPlan } from "./run";
import { StackFileError } from "./stack-file";
import { type UsageFile, usageReport } from "./usage";

/** The pack's verdicts on the plan, under the stack's pack config (`policies/config.<stack>.json`). */
async function policyVerdicts(
  pack: Promise<Analyzer>,
  projectDir: string,
  stack: string,
  resources: readonly DocumentResource[],
  warn: (warning: string) => void,
): Promise<{ config: string | null; violations: Violation[] }> {
  // The project's own pack config, else the library's for a stack of that name.
  const file =
    [join(projectDir, "policies"), POLICY_PACK_DIR]
      .map((dir) => join(dir, `config.${stack}.json`))
      .find((f) => existsSync(f)) ?? join(projectDir, "policies", `config.${stack}.json`);
  const config = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as unknown) : undefined;
  const violations = await (await pack).analyze(resources, config, file, warn);
  return { config: config === undefined ? null : relative(projectDir, file), violations };
}

const USAGE = `usage: npm run -s plan -- [--stack NAME] [--phase platform|cluster] [--json] [--out FILE] [--svg FILE] [--usage FILE]... [--write-lock] [--no-policy] [--project-dir DIR]

Runs both phases of a stack under Pulumi's mocks (no CLI, no cloud account), the platform phase
and then the cluster phase reading its outputs, and prints what each update would create;
--phase reports one. --write-lock stores the placement decision in
stacks/placement.NAME.lock.json, which the stack reads back as the previous decision, so a pull
request shows placement changes as a diff. --project-dir reads Pulumi.yaml and the stack files from another
project (default: this one). The policy pack (policies/) then evaluates what the plan declares,
under policies/config.NAME.json when there is one, and its verdicts join the output; --no-policy
skips it. --out FILE writes the output to FILE instead of stdout (JSON when FILE ends in .json); --svg FILE also draws the sites,
networks, pools, VPN links and where each workload landed. --usage FILE (once per site's store)
reads a usage export (the JSON answer of the query in docs/monitoring.md) and adds, per workload,
what it asked for, what it used and what placement would do with right-sized requests; the plan
itself stays what the catalog says, and the picture shows use beside requests. Exits 1 on a
configuration error (a malformed or partial export too) or a mandatory policy violation.`;

/** Where the command line writes; a test passes its own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `npm run plan` with `argv`; returns the exit code. */
export async function planCli(argv: string[], io: Io = STDIO): Promise<number> {
  let args: {
    stack: string;
    json: boolean;
    help: boolean;
    writeLock: boolean;
    policy: boolean;
    out: string | undefined;
    svg: string | undefined;
    usage: UsageFile[];
    projectDir: string;
    phases: readonly Phase[];
  };
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s", default: "dev" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        "write-lock": { type: "boolean", default: false },
        "no-policy": { type: "boolean", default: false },
        out: { type: "string" },
        svg: { type: "string" },
        usage: { type: "string", multiple: true },
        "project-dir": { type: "string" },
        phase: { type: "string" },
      },
    });
    const phase = values.phase;
    if (phase !== undefined && !(PHASES as readonly string[]).includes(phase)) {
      throw new Error(`--phase "${phase}" is not a phase; use one of ${PHASES.join(", ")}`);
    }
    args = {
      stack: values.stack ?? "dev",
      // An --out file named .json gets the JSON document, as its name says.
      json: (values.json ?? false) || (values.out?.toLowerCase().endsWith(".json") ?? false),
      help: values.help ?? false,
      writeLock: values["write-lock"] ?? false,
      policy: !(values["no-policy"] ?? false),
      out: values.out,
      svg: values.svg,
      // Read from where the command was started (the plan runs in the project directory).
      usage: (values.usage ?? []).map((name) => ({ name, path: resolve(name) })),
      projectDir: resolve(values["project-dir"] ?? resolve(__dirname, "../..")),
      phases: phase ? [phase as Phase] : PHASES,
    };
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  // The pack starts (a second process: about 2.5 s of CPU loading the policy SDK) while the
  // programs run under the mocks, instead of after them; and only once the stack is read and its
  // config accepted, so that a stack that does not exist or a config error exits at once instead
  // of starting the pack only to close it.
  let pack: Promise<Analyzer> | undefined;
  const startPack = () => {
    pack = startAnalyzer();
    pack.catch(() => undefined);
  };
  try {
    const run = await runPlan(args.projectDir, args.stack, args.phases, args.policy ? startPack : undefined);
    if (args.usage.length > 0) run.usage = await usageReport(run, args.usage);
    const warn = (w: string) => io.err(`warning: ${w}\n`);
    const policy = pack
      ? await policyVerdicts(pack, args.projectDir, args.stack, run.resources, warn)
      : undefined;
    const output = args.json
      ? `${JSON.stringify({ ...planJson(run), ...(policy ? { policy } : {}) }, null, 2)}\n`
      : `${planText(run)}${policy ? `\n${violationsText(policy.violations)}` : ""}`;
    if (args.out) writeFileSync(args.out, output);
    else io.out(output);
    if (args.svg) writeFileSync(args.svg, await planSvg(run));
    if (policy?.violations.some((v) => v.enforcementLevel === "mandatory")) return 1;
    if (args.writeLock) {
      if (!run.decision) {
        io.err(`--write-lock needs a placement; stack ${args.stack} has no workload catalog\n`);
        return 1;
      }
      const file = join(args.projectDir, lockPath(args.stack));
      writeFileSync(file, `${JSON.stringify(run.decision.lock, null, 2)}\n`);
      io.err(`wrote ${lockPath(args.stack)} (${run.decision.lock.assignments.length} assignments)\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof StackFileError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    (await pack?.catch(() => undefined))?.close();
  }
}

// A component's ConfigError inside the program also rejects Pulumi's own stack promise; report it once.
if (require.main === module) {
  process.on("unhandledRejection", (e: unknown) => {
    if (e instanceof ConfigError) return;
    process.stderr.write(`plan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });

  planCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`plan failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      if (!process.env.PLAN_DEBUG) process.stderr.write("(run with PLAN_DEBUG=1 for full stack traces)\n");
      process.exitCode = 1;
    },
  );
}
