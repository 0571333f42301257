// `npm test`: the type check, the lint and every test suite; it fails when any of them fails.
// tsc works on one core for its whole run, so it runs beside the lint and Vitest instead of before
// them (on two cores it used to leave one idle); its output is printed when it ends, after the
// tests' report. The lint still runs before the tests, and a failed lint skips them.
import { spawn } from "node:child_process";

/** Runs an npm script; `quiet` keeps its output to print later. */
function npmRun(script, { quiet = false } = {}) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], {
      stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const done = (code, extra = "") =>
      resolve({ script, code, output: output + extra, seconds: (Date.now() - started) / 1000 });
    child.on("error", (error) => done(1, `${error.message}\n`));
    child.on("close", (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

const typecheck = npmRun("typecheck", { quiet: true });
const lint = await npmRun("lint");
const tests = lint.code === 0 ? await npmRun("test:vitest") : undefined;
const types = await typecheck;

process.stdout.write(types.output);
const failed = [types, lint, tests].filter((r) => r && r.code !== 0).map((r) => r.script);
const took = [types, lint, tests].filter(Boolean).map((r) => `${r.script} ${r.seconds.toFixed(1)}s`);
process.stdout.write(`\n${took.join(", ")}${tests ? "" : "; tests not run: the lint failed"}\n`);
if (failed.length > 0) {
  process.stdout.write(`npm test failed: ${failed.join(", ")}\n`);
  process.exitCode = 1;
}
