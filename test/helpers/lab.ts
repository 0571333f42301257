// Real tools (strongSwan, FRR, unbound, rclone, HAProxy, promtool) check what mocks cannot. The lab
// suites (`npm run test:lab`) need them installed: where one is missing they skip with a line that
// says what to install, except where HYBRID_AI_INFRA_LAB=required (CI sets it), where they fail.
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Whether a missing tool fails the lab instead of skipping it. */
export const LAB_REQUIRED = process.env.HYBRID_AI_INFRA_LAB === "required";

/** The path of a command on PATH or in the sbin folders Debian uses, if installed. */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin", "/usr/local/sbin"];
  return dirs.map((d) => join(d, name)).find((path) => existsSync(path));
}

/** What a lab suite needs: commands, files, and running as root (network namespaces). */
export interface LabNeeds {
  commands?: string[];
  files?: string[];
  root?: boolean;
  /** The install line printed when something is missing, e.g. `apt-get install -y haproxy`. */
  install: string;
}

/**
 * Whether a lab suite can run here. Missing tools make it skip (with a warning naming them and the
 * install line) or, where the lab is required, throw, so CI cannot pass without running it.
 */
export function labSupport(suite: string, needs: LabNeeds): { run: boolean } {
  const missing = [
    ...(needs.root && (process.platform !== "linux" || process.getuid?.() !== 0) ? ["root on Linux"] : []),
    ...(needs.commands ?? []).filter((c) => !findCommand(c)),
    ...(needs.files ?? []).filter((f) => !existsSync(f)),
  ];
  if (missing.length === 0) return { run: true };
  const message = `${suite} needs ${missing.join(", ")}; install with: ${needs.install}`;
  if (LAB_REQUIRED) throw new Error(message);
  console.warn(`${suite} skipped: ${message}`);
  return { run: false };
}
