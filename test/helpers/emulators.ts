// Local stand-ins for the stores data copies read and write: s3rver (S3, in this process) and
// Azurite's blob service (a child process), both on 127.0.0.1 with ports the OS picks, so nothing
// listens beyond loopback and parallel runs never collide. Every start registers its stop;
// `stopEmulators()` runs in afterAll, and a last-resort exit hook kills any child left behind.
// Test credentials exist only here and in the environment the tests give rclone.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(__filename);

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly port: number;
  /** Milliseconds from start to listening. */
  readonly startMs: number;
  stop(): Promise<void>;
}

/** s3rver: its files on disk, for tests that rot an object's bytes under its stored hash. */
export interface S3Emulator extends Emulator {
  readonly directory: string;
}

/** Azurite's well-known development account (published in its README), not a secret. */
export const AZURITE_ACCOUNT = "devstoreaccount1";

const running = new Set<Emulator>();
const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

/** Stops every emulator started here. */
export async function stopEmulators(): Promise<void> {
  await Promise.allSettled([...running].map((e) => e.stop()));
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;

/**
 * s3rver in this process, with `buckets` created. rclone must then run asynchronously (spawn): a
 * blocked event loop would stall the server rclone talks to. s3rver accepts any signature from a
 * known key id (it does not check secrets) and answers 403 to an unknown one.
 */
export async function startS3rver(buckets: readonly string[]): Promise<S3Emulator> {
  const t0 = Date.now();
  const directory = await mkdtemp(join(tmpdir(), "s3rver-"));
  const S3rver = require("s3rver") as S3rverCtor;
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const emulator: S3Emulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    startMs: Date.now() - t0,
    directory,
    async stop() {
      running.delete(emulator);
      await server.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
  running.add(emulator);
  return emulator;
}

/** Azurite's blob service as a child process, in memory. */
export async function startAzurite(timeoutMs = 60_000): Promise<Emulator> {
  const t0 = Date.now();
  const main = require.resolve("azurite/dist/src/blob/main.js");
  const child = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      "0",
      "--inMemoryPersistence",
      "--disableTelemetry",
      "--skipApiVersionCheck",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`Azurite did not listen within ${timeoutMs} ms: ${out}`)),
      timeoutMs,
    );
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with ${code}: ${out}`));
    });
  }).catch((e: unknown) => {
    child.kill("SIGKILL");
    children.delete(child);
    throw e;
  });
  const emulator: Emulator = {
    url: `http://127.0.0.1:${port}`,
    port,
    startMs: Date.now() - t0,
    async stop() {
      running.delete(emulator);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
    },
  };
  running.add(emulator);
  return emulator;
}

/** What a process printed and how it ended. */
export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A running process, for tests that interrupt it. */
export interface Running {
  pid: number;
  done: Promise<RunResult>;
  /** Kills the process and every child of it (its process group) at once, as an evicted pod dies. */
  killGroup(signal?: NodeJS.Signals): void;
}

/**
 * Runs a command asynchronously in its own process group (never execFileSync: s3rver lives in this
 * event loop), killing it after `timeoutMs`.
 */
export function start(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 90_000,
): Running {
  const t0 = Date.now();
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const killGroup = (signal: NodeJS.Signals = "SIGKILL") => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => killGroup(), timeoutMs);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    });
  });
  return { pid: child.pid ?? -1, done, killGroup };
}

/** Runs a command to its end. */
export function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs?: number,
): Promise<RunResult> {
  return start(command, args, env, timeoutMs).done;
}

/**
 * The environment rclone runs in here: the machine's, without AWS settings (rclone 1.60 fails on
 * AWS_CA_BUNDLE, and ambient credentials must not leak in), plus the given variables.
 */
export function rcloneEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith("AWS_") && !k.startsWith("RCLONE_")) env[k] = v;
  return { ...env, AWS_EC2_METADATA_DISABLED: "true", ...extra };
}
