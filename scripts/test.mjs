// `npm test`: the type check and the lint side by side, then every test suite; it fails when any
// of them fails, and runs each whatever the others found. The type check runs TypeScript 7's
// native compiler (`typescript-native`, the same checks as TypeScript 6's in a quarter of the
// CPU); the build, its declarations and the consumer check keep TypeScript 6, which Pulumi's peer
// range allows. Beside Vitest's workers the compiler and biome slowed all three (measured on
// 2 cores: 97 s at once against 85 s in turn); beside each other they take 6 s against 10 s in
// turn. Vitest's report comes live; the type check's and the lint's output are printed when the
// tests are done, then how long each step took.
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

const [typecheck, lint] = await Promise.all([
  npmRun("typecheck", { quiet: true }),
  npmRun("lint", { quiet: true }),
]);
const tests = await npmRun("test:vitest");
const steps = [typecheck, lint, tests];

for (const step of steps.slice(0, 2)) {
  if (step.output.trim()) process.stdout.write(`\n${step.script}:\n${step.output}`);
}
const failed = steps.filter((s) => s.code !== 0).map((s) => s.script);
process.stdout.write(`\n${steps.map((s) => `${s.script} ${s.seconds.toFixed(1)}s`).join(", ")}\n`);
if (failed.length > 0) {
  process.stdout.write(`npm test failed: ${failed.join(", ")}\n`);
  process.exitCode = 1;
}
