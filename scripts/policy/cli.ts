import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { analyzeDocument, type Violation } from "./analyzer";
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

async function cli(argv: string[]): Promise<number> {
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
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    process.stderr.write(`give exactly one plan document\n${USAGE}\n`);
    return 2;
  }
  let violations: Violation[];
  try {
    violations = await analyzeDocument(readDocument(file), readConfig(values.config), values.config);
  } catch (e) {
    if (e instanceof DocumentError || e instanceof PackConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
  process.stdout.write(
    values.json ? `${JSON.stringify({ violations }, null, 2)}\n` : violationsText(violations),
  );
  return violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
}

cli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
