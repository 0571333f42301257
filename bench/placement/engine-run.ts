import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import { type PlacementInput, type PlacementResult, place } from "../../components/placement";
import { generate, type InstanceSpec } from "./generator";

// The engine timed alone, in a process of its own: the instance is generated there and placed
// `runs` times. Its own process so that its peak resident memory is the engine's (and the
// generator's) alone, not the HiGHS heaps of the bound and the baselines that run beside it in the
// benchmark's process, and so that the calls are not slowed by their garbage.

/** What the child reports. */
export interface EngineRuns {
  /** Wall time of each call, in order (the first pays for JIT compilation). */
  readonly ms: readonly number[];
  /** CPU time of each call (user + system, every thread of the process: the GC's too). */
  readonly cpuMs: readonly number[];
  /** Peak resident memory of the whole process (generator included). */
  readonly peakRssMiB: number;
  /** Resident memory after generating the instance, before the first call. */
  readonly inputRssMiB: number;
  /** SHA-256 of the first result's JSON: the parent compares it with its own call. */
  readonly sha256: string;
  /** Whether every call gave the same bytes. */
  readonly sameBytes: boolean;
}

const ROOT = resolve(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

/**
 * SHA-256 of a result, fed field by field and explanation by explanation: the JSON of a
 * 50 000-workload result as one string does not fit in the default heap. Without `rejected`, each
 * explanation's rejected list is left out: it is built when first read, and at 50 000 x 500 every
 * list read at once (about 2 000 candidates a workload) does not fit either.
 */
export function digest(result: PlacementResult, rejected = true): string {
  const hash = createHash("sha256");
  for (const [key, value] of Object.entries(result)) {
    if (key === "explanations") continue;
    hash.update(`${key}=${JSON.stringify(value)}\n`);
  }
  for (const [name, explanation] of Object.entries(result.explanations)) {
    // Key by key, so that an unread rejected list stays unbuilt.
    const fields = Object.keys(explanation).filter((k) => rejected || k !== "rejected");
    const kept = Object.fromEntries(fields.map((k) => [k, explanation[k as keyof typeof explanation]]));
    hash.update(`${name}=${JSON.stringify(kept)}\n`);
  }
  return hash.digest("hex");
}

/**
 * Runs the engine `runs` times on `spec` in a child process. With `rejected` false the digests
 * leave out the rejected lists (see `digest`).
 */
export function engineRuns(spec: InstanceSpec, runs: number, rejected = true): EngineRuns {
  const child = spawnSync(TSX, [__filename, JSON.stringify(spec), String(runs), String(rejected)], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`engine run of ${spec.name} failed: ${child.stderr}`);
  const last = child.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(last) as EngineRuns;
}

async function child(spec: InstanceSpec, runs: number, rejected: boolean): Promise<EngineRuns> {
  const input: PlacementInput = generate(spec);
  const inputRssMiB = process.memoryUsage().rss / 1048576;
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const digests: string[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await place(input);
    ms.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    digests.push(digest(result, rejected));
  }
  return {
    ms,
    cpuMs,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    inputRssMiB,
    sha256: digests[0] ?? "",
    sameBytes: digests.every((d) => d === digests[0]),
  };
}

if (require.main === module) {
  const [spec, runs, rejected] = process.argv.slice(2);
  child(JSON.parse(spec ?? "{}") as InstanceSpec, Number(runs ?? 3), rejected !== "false")
    .then((out) => console.log(JSON.stringify(out)))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exitCode = 1;
    });
}
