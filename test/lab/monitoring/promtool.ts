// Running promtool (Debian's prometheus package) on files in a scratch directory.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { ruleFileYaml, type SiteMetrics, siteRules, usageQuery } from "../../../components/monitoring";
import { findCommand } from "../../helpers/lab";
import { AKS, EKS } from "./fixtures";

const run = promisify(execFile);
const HERE = __dirname;

/** promtool's exit status and output. */
export async function promtool(args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  const command = findCommand("promtool") ?? "promtool";
  try {
    const { stdout, stderr } = await run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` || err.message };
  }
}

/** The unit test files beside this one. */
export const TEST_FILES = readdirSync(HERE)
  .filter((f) => f.endsWith(".test.yml"))
  .sort();

/**
 * A scratch directory with the fixtures' rule files (eks.rules.yml, aks.rules.yml, or as given)
 * and the unit tests, the usage query written into its test.
 */
export function workspace(
  sites: { eks?: SiteMetrics; aks?: SiteMetrics; eksYaml?: (yaml: string) => string } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), "hai-rules-"));
  const eks = ruleFileYaml(siteRules(sites.eks ?? EKS));
  writeFileSync(join(dir, "eks.rules.yml"), sites.eksYaml ? sites.eksYaml(eks) : eks);
  writeFileSync(join(dir, "aks.rules.yml"), ruleFileYaml(siteRules(sites.aks ?? AKS)));
  for (const f of TEST_FILES) copyFileSync(resolve(HERE, f), join(dir, f));
  const usage = join(dir, "usage.test.yml");
  writeFileSync(
    usage,
    readFileSync(usage, "utf8").replace(
      "expr: __USAGE_QUERY__",
      () => `expr: ${JSON.stringify(usageQuery("1h"))}`,
    ),
  );
  return dir;
}
