import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { type Analyzer, analyzeDocument, type Violation } from "./analyzer";
import { DocumentError, readDocument } from "./document";
import { PackConfigError } from "./pack-config";
import { violationsText } from "./report";

const USAGE = `usage: npm run -s policy -- PLAN.json [--json] [--config FILE]

Evaluates a plan document (any JSON file with resources: [{ urn, type, name, inputs }], such as
\`npm run -s plan -- --json\` writes) with the policy pack in policies/, run as the Pulumi CLI runs it.
--config is a --policy-pack-config file (policies/config.<env>.json). Prints each violation; --json
prints { "violations": [{ "policy", "urn", "message", "enforcementLevel" }] }.
Exits 1 on any mandatory violation, 2 on unreadable input.`;

function readConfig(file: string | undefined): unknown {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new DocumentError(`${file}: is not a readable JSON config (${(e as Error).message})`);
  }
}

/** Where the command line writes; a test passes its own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `npm run policy` with `argv`; returns the exit code. */
export async function policyCli(argv: string[], io: Io = STDIO, analyzer?: Analyzer): Promise<number> {
  let values: { json?: boolean; config?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        config: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    io.err(`give exactly one plan document\n${USAGE}\n`);
    return 2;
  }
  let violations: Violation[];
  try {
    const resources = readDocument(file);
    const config = readConfig(values.config);
    // A running pack, when the caller has one (a test), else one started for this document.
    const warn = (w: string) => io.err(`warning: ${w}\n`);
    violations = analyzer
      ? await analyzer.analyze(resources, config, values.config, warn)
      : await analyzeDocument(resources, config, values.config, undefined, warn);
  } catch (e) {
    if (e instanceof DocumentError || e instanceof PackConfigError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  io.out(values.json ? `${JSON.stringify({ violations }, null, 2)}\n` : violationsText(violations));
  return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

// Run as a script (`tsx scripts/policy/cli.ts`), not when a test imports it.
if (require.main === module)
  policyCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
