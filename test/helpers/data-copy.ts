// Running a rendered data copy here as its Job would run it: the ConfigMap's rclone.conf and
// program, the container's environment, with Debian's rclone and dash instead of the image's
// rclone and busybox, and each remote pointed at a local emulator through rclone's
// RCLONE_CONFIG_<REMOTE>_<KEY> variables (the file stays exactly as rendered).
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CopyStore, DataCopySpec } from "../../components/kubernetes";
import { renderDataCopies } from "../../components/kubernetes";
import {
  AZURITE_ACCOUNT,
  type Emulator,
  type Running,
  type RunResult,
  rcloneEnv,
  run,
  type S3Emulator,
  start,
  startAzurite,
  startS3rver,
} from "./emulators";

/** A pinned image for rendering (never pulled here). */
export const TEST_IMAGE = `registry.lab.internal/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`;

/** What a rendered copy runs: its files and its environment. */
export interface RenderedProgram {
  config: string;
  script: string;
  env: Record<string, string>;
  /** The CronJob's schedule, or none for a staging's first Job. */
  schedule?: string;
}

/** The program of a copy, read back from its rendered objects. */
export function renderedProgram(copy: DataCopySpec): RenderedProgram {
  const objects = renderDataCopies({
    cluster: "lab",
    image: TEST_IMAGE,
    pool: { name: "cpu" },
    trust: "private",
    copies: [copy],
  });
  const configMap = objects.find((o) => o.kind === "ConfigMap");
  const runner = objects.find((o) => o.kind === "CronJob") ?? objects.find((o) => o.kind === "Job");
  if (configMap?.kind !== "ConfigMap" || !runner) throw new Error(`${copy.name}: nothing rendered`);
  const pod =
    runner.kind === "CronJob"
      ? runner.spec.jobTemplate.spec.template
      : runner.kind === "Job"
        ? runner.spec.template
        : undefined;
  const container = pod?.spec.containers[0];
  if (!container) throw new Error(`${copy.name}: no container`);
  return {
    config: configMap.data["rclone.conf"] ?? "",
    script: configMap.data["run.sh"] ?? "",
    env: Object.fromEntries(container.env.map((e) => [e.name, e.value])),
    ...(runner.kind === "CronJob" ? { schedule: runner.spec.schedule } : {}),
  };
}

/** Where the emulators listen, and the on-premises store's credentials file. */
export interface LabStores {
  s3Url: string;
  azureUrl: string;
  /** A credentials file for the on-premises profile, written by the test. */
  onpremCredentials: string;
}

/** The variables that point one remote at its emulator (test credentials only here). */
export function remoteOverrides(remote: string, store: CopyStore, lab: LabStores): Record<string, string> {
  const p = `RCLONE_CONFIG_${remote.toUpperCase()}_`;
  switch (store.kind) {
    case "aws-s3":
      // s3rver speaks path style only; provider AWS would use bucket.127.0.0.1. SSE-KMS stays as
      // rendered: rclone then keeps each MD5 in metadata, as it must against real SSE-KMS buckets.
      return {
        [`${p}ENDPOINT`]: lab.s3Url,
        [`${p}REGION`]: "us-east-1",
        [`${p}PROVIDER`]: "Other",
        [`${p}FORCE_PATH_STYLE`]: "true",
        [`${p}ENV_AUTH`]: "false",
        [`${p}ACCESS_KEY_ID`]: "S3RVER",
        [`${p}SECRET_ACCESS_KEY`]: "S3RVER",
      };
    case "azure-blob":
      // rclone 1.60 has no env_auth for Azure; the emulator's published account instead.
      return {
        [`${p}ENV_AUTH`]: "false",
        [`${p}USE_EMULATOR`]: "true",
        [`${p}ACCOUNT`]: AZURITE_ACCOUNT,
        [`${p}ENDPOINT`]: `${lab.azureUrl}/${AZURITE_ACCOUNT}`,
      };
    case "onprem-s3":
      // The rendered profile and env_auth stay: only the file's path changes.
      return {
        [`${p}ENDPOINT`]: lab.s3Url,
        [`${p}SHARED_CREDENTIALS_FILE`]: lab.onpremCredentials,
      };
  }
}

/** Writes the test's credentials file for the on-premises profile (rclone 1.60 reads `[profile]`). */
export async function writeOnPremCredentials(
  dir: string,
  profile: string,
  keyId = "S3RVER",
): Promise<string> {
  const path = join(dir, `credentials-${keyId}`);
  await writeFile(
    path,
    `[${profile}]\naws_access_key_id = ${keyId}\naws_secret_access_key = S3RVER\n\n[profile ${profile}]\naws_access_key_id = ${keyId}\naws_secret_access_key = S3RVER\n`,
  );
  return path;
}

/** How to run a program: its copy, the lab, and what the test changes. */
export interface ProgramRun {
  copy: DataCopySpec;
  lab: LabStores;
  /** Extra variables (PHASES, a slower bandwidth, INFO logs for counting). */
  env?: Record<string, string>;
  /** A broken variant of the program, for tests that show their check fails without the guard. */
  script?: (script: string) => string;
}

/** Starts a rendered copy's program with its remotes on the emulators, in a fresh scratch directory. */
export async function startProgram(options: ProgramRun): Promise<Running & { dir: string }> {
  const program = renderedProgram(options.copy);
  const dir = await mkdtemp(join(tmpdir(), `${options.copy.name}-`));
  await mkdir(join(dir, "work"), { recursive: true });
  await writeFile(join(dir, "rclone.conf"), program.config);
  await writeFile(join(dir, "run.sh"), options.script ? options.script(program.script) : program.script);
  const remotes =
    options.copy.kind === "drill"
      ? { backup: options.copy.source.store }
      : { source: options.copy.source.store, destination: options.copy.destination?.store };
  const overrides = Object.entries(remotes).flatMap(([name, store]) =>
    store ? Object.entries(remoteOverrides(name, store, options.lab)) : [],
  );
  const env = rcloneEnv({
    ...program.env,
    RCLONE_CONFIG: join(dir, "rclone.conf"),
    HOME: join(dir, "work"),
    XDG_CACHE_HOME: join(dir, "work", ".cache"),
    WORK: join(dir, "work", "run"),
    ...Object.fromEntries(overrides),
    ...options.env,
  });
  return { ...start("sh", [join(dir, "run.sh")], env), dir };
}

/** Runs a rendered copy's program to its end. */
export async function runProgram(options: ProgramRun): Promise<RunResult> {
  return (await startProgram(options)).done;
}

/** The JSON log lines the program wrote itself (not rclone's), by level. */
export function programLines(stderr: string): { level: string; msg: string }[] {
  return stderr
    .split("\n")
    .filter((l) => l.includes('"source":"hybrid-ai-infra"'))
    .map((l) => JSON.parse(l) as { level: string; msg: string });
}

/** The KMS key the lab's SSE-KMS remotes name (s3rver stores the header; no key exists). */
export const LAB_KMS = "arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

/** dc1's store as the platform renders it: an S3 API read with the site's own keys file. */
export const LAB_ONPREM_STORE: Extract<CopyStore, { kind: "onprem-s3" }> = {
  kind: "onprem-s3",
  endpoint: "https://s3.dc1.lab.internal",
  region: "us-east-1",
  provider: "Minio",
  encryption: "sse-s3",
  credentialsFile: "/var/run/secrets/onprem-s3/credentials",
  profile: "onprem",
};

/** The emulators, the stores a program sees, and the test's own rclone environment. */
export interface Lab {
  s3: S3Emulator;
  az: Emulator;
  stores: LabStores;
  /**
   * rclone with the test's credentials for seeding and reading back, outside any program: `s3:`,
   * `kms:` (SSE-KMS as rendered, so what it writes has no MD5 rclone can use, as a pipeline's
   * objects) and `az:` (with a `backups` container made).
   */
  direct: NodeJS.ProcessEnv;
}

/** Starts s3rver (with `buckets`) and Azurite on 127.0.0.1 and writes the test's files in `dir`. */
export async function startLab(dir: string, buckets: readonly string[]): Promise<Lab> {
  const [s3, az] = await Promise.all([startS3rver(buckets), startAzurite()]);
  const stores = {
    s3Url: s3.url,
    azureUrl: az.url,
    onpremCredentials: await writeOnPremCredentials(dir, "onprem"),
  };
  const s3Remote = `type = s3\nprovider = Other\nenv_auth = false\naccess_key_id = S3RVER\nsecret_access_key = S3RVER\nendpoint = ${s3.url}\nregion = us-east-1\nforce_path_style = true\n`;
  await writeFile(
    join(dir, "direct.conf"),
    [
      `[s3]\n${s3Remote}`,
      `[kms]\n${s3Remote}server_side_encryption = aws:kms\nsse_kms_key_id = ${LAB_KMS}\n`,
      `[az]\ntype = azureblob\nuse_emulator = true\naccount = ${AZURITE_ACCOUNT}\nendpoint = ${az.url}/${AZURITE_ACCOUNT}\n`,
    ].join("\n"),
  );
  const direct = rcloneEnv({ RCLONE_CONFIG: join(dir, "direct.conf") });
  const made = await run("rclone", ["mkdir", "az:backups"], direct);
  if (made.code !== 0) throw new Error(`rclone mkdir az:backups: exit ${made.code}\n${made.stderr}`);
  return { s3, az, stores, direct };
}
