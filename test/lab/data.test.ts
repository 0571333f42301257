// The data copies' rendered programs against real tools: Debian's rclone (1.60) runs exactly the
// rclone.conf and program a backup, staging or restore drill Job mounts, with the container's
// environment, against s3rver (S3) and Azurite (Azure Blob) on 127.0.0.1. Each remote is pointed
// at its emulator by RCLONE_CONFIG_<REMOTE>_* variables the test sets; test credentials exist only
// here. Each test also runs the check a naive program would make, or the program with its guard
// removed, and shows that one passes what the real program refuses.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataCopySpec } from "../../components/kubernetes";
import {
  LAB_KMS as KMS,
  LAB_ONPREM_STORE,
  type LabStores,
  programLines,
  runProgram,
  startLab,
  startProgram,
  writeOnPremCredentials,
} from "../helpers/data-copy";
import { run, type S3Emulator, stopEmulators } from "../helpers/emulators";
import { labSupport } from "../helpers/lab";

const support = labSupport("test/lab/data.test.ts", {
  commands: ["rclone", "sh", "shuf", "awk"],
  install: "apt-get install -y rclone (and npm ci for s3rver and azurite)",
});

const N = 300;
/** The second route's objects. */
const ARCHIVE = 80;

let s3: S3Emulator;
let dir: string;
let lab: LabStores;
/** The seeded objects' bytes, by path, to compare byte for byte. */
const seeded = new Map<string, Buffer>();
/** A configuration for the test's own reads and writes: the same stores, test credentials. */
let direct: NodeJS.ProcessEnv;

function rclone(args: string[]) {
  return run("rclone", args, direct);
}

async function ok(args: string[]): Promise<string> {
  const r = await rclone(args);
  if (r.code !== 0) throw new Error(`rclone ${args.join(" ")}: exit ${r.code}\n${r.stderr}`);
  return r.stdout;
}

/** The backup of web-crawl, as the platform renders AWS (SSE-KMS) to Azure: the trap route. */
const awsToAzure: DataCopySpec = {
  name: "backup-web-crawl-to-aks",
  kind: "backup",
  dataset: "web-crawl",
  classification: "public",
  source: {
    site: "eks",
    store: { kind: "aws-s3", region: "eu-west-1", kmsKeyArn: KMS },
    path: "eks-datasets/web-crawl",
    url: "s3://eks-datasets/web-crawl",
  },
  destination: {
    site: "aks",
    store: { kind: "azure-blob", account: "aksbackups" },
    path: "backups/web-crawl",
    url: "https://aksbackups.blob.core.windows.net/backups/web-crawl",
  },
  destinationFacts: {
    trust: "public",
    jurisdiction: "EU",
    encryption: "azure-cmk",
    versioning: true,
    retentionDays: 35,
  },
  manifest: { store: "destination", path: "backups/_manifests/web-crawl.md5" },
  schedule: "0 2 * * *",
  batch: "768K",
  transfers: 8,
  checkers: 16,
  identity: { serviceAccountAnnotations: {}, podLabels: {}, env: {}, tokens: [], secrets: [] },
  egress: [],
};

/** The restore drill of that backup, on the Azure side. */
const azureDrill: DataCopySpec = {
  ...awsToAzure,
  name: "drill-web-crawl-on-aks",
  kind: "drill",
  source: awsToAzure.destination as DataCopySpec["source"],
  destination: undefined,
  manifest: { store: "source", path: "backups/_manifests/web-crawl.md5" },
  sample: N,
};

/** The backup of imaging-archive, on-premises (S3-compatible, its own keys) to AWS (SSE-KMS). */
const onpremToAws: DataCopySpec = {
  name: "backup-imaging-archive-to-eks",
  kind: "backup",
  dataset: "imaging-archive",
  classification: "confidential",
  residency: ["EU"],
  source: {
    site: "dc1",
    store: LAB_ONPREM_STORE,
    path: "dc1-datasets/imaging-archive",
    url: "s3://dc1-datasets/imaging-archive",
  },
  destination: {
    site: "eks",
    store: { kind: "aws-s3", region: "eu-west-1", kmsKeyArn: KMS },
    path: "eks-backups/imaging-archive",
    url: "s3://eks-backups/imaging-archive",
  },
  destinationFacts: {
    trust: "public",
    jurisdiction: "EU",
    encryption: `aws:kms ${KMS}`,
    versioning: true,
    retentionDays: 35,
    versions: 7,
  },
  manifest: { store: "destination", path: "eks-backups/_manifests/imaging-archive.md5" },
  schedule: "30 1 * * *",
  batch: "1G",
  transfers: 4,
  checkers: 8,
  identity: { serviceAccountAnnotations: {}, podLabels: {}, env: {}, tokens: [], secrets: [] },
  egress: [],
};

const awsDrill: DataCopySpec = {
  ...onpremToAws,
  name: "drill-imaging-archive-on-eks",
  kind: "drill",
  source: onpremToAws.destination as DataCopySpec["source"],
  destination: undefined,
  manifest: { store: "source", path: "eks-backups/_manifests/imaging-archive.md5" },
  sample: 40,
};

async function seed(local: string, count: number, prefix: string): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const path = `part-${i % 7}/obj-${i}.bin`;
    const bytes = randomBytes(1024 * (1 + (i % 12)));
    seeded.set(`${prefix}/${path}`, bytes);
    await mkdir(join(local, `part-${i % 7}`), { recursive: true });
    await writeFile(join(local, path), bytes);
  }
}

/** Every object under a remote path, read back, by relative path. */
async function readBack(remote: string): Promise<Map<string, Buffer>> {
  const to = await mkdtemp(join(dir, "readback-"));
  await ok(["copy", remote, to, "--transfers", "8"]);
  const names = (await ok(["lsf", "-R", "--files-only", to])).split("\n").filter(Boolean);
  const out = new Map<string, Buffer>();
  for (const n of names) out.set(n, await readFile(join(to, n)));
  await rm(to, { recursive: true, force: true });
  return out;
}

function sameBytes(back: Map<string, Buffer>, prefix: string): string[] {
  const problems: string[] = [];
  for (const [path, bytes] of seeded) {
    if (!path.startsWith(`${prefix}/`)) continue;
    const got = back.get(path.slice(prefix.length + 1));
    if (!got) problems.push(`${path}: missing`);
    else if (!got.equals(bytes)) problems.push(`${path}: differs`);
  }
  return problems;
}

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

describe.skipIf(!support.run)("data copies with Debian's rclone, s3rver and Azurite", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "data-lab-"));
    ({ s3, stores: lab, direct } = await startLab(dir, ["eks-datasets", "eks-backups", "dc1-datasets"]));
    await seed(join(dir, "web-crawl"), N, "web-crawl");
    await seed(join(dir, "imaging-archive"), ARCHIVE, "imaging-archive");
    await Promise.all([
      // Written by a pipeline, not by rclone: SSE-KMS objects without the MD5 metadata.
      ok([
        "copy",
        join(dir, "web-crawl"),
        "kms:eks-datasets/web-crawl",
        "--s3-disable-checksum",
        "--transfers",
        "8",
      ]),
      ok(["copy", join(dir, "imaging-archive"), "s3:dc1-datasets/imaging-archive", "--transfers", "8"]),
    ]);
  });

  afterAll(async () => {
    await stopEmulators();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("backs up a few hundred objects byte for byte, in batches with progress, and writes the manifest", async () => {
    const result = await runProgram({ copy: awsToAzure, lab });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const lines = programLines(result.stderr).map((l) => l.msg);
    // 256 KiB batches: the copy took several runs of rclone, each resuming the last.
    const batches = Number(/after (\d+) batch/.exec(lines.join("\n"))?.[1]);
    expect(batches).toBeGreaterThan(1);
    // rclone's own progress, as JSON stats lines.
    expect(result.stderr).toMatch(/"stats":\{"bytes":\d+/);
    // The source has no stored MD5 (SSE-KMS, not written by rclone): the manifest hashed the bytes,
    // and the Azure copies carry no MD5 either, so verify compared bytes.
    expect(lines).toContain(`${N} source object(s) have no stored MD5: hashing their bytes`);
    expect(lines.join("\n")).toContain(`verify: ${N} object(s) have no MD5`);
    expect(lines).toContain(
      `verify: all ${N} object(s) of source:eks-datasets/web-crawl are in destination:backups/web-crawl with the same MD5`,
    );
    expect(sameBytes(await readBack("az:backups/web-crawl"), "web-crawl")).toEqual([]);
    const manifest = await ok(["cat", "az:backups/_manifests/web-crawl.md5"]);
    const entries = manifest.trim().split("\n");
    expect(entries).toHaveLength(N);
    for (const line of entries) {
      const path = line.slice(34);
      expect(line.slice(0, 32), path).toBe(md5(seeded.get(`web-crawl/${path}`) ?? Buffer.alloc(0)));
    }
    // The second route: on-premises (its own credentials file) to SSE-KMS S3, where rclone keeps the MD5 in metadata.
    const second = await runProgram({ copy: onpremToAws, lab });
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    expect(sameBytes(await readBack("s3:eks-backups/imaging-archive"), "imaging-archive")).toEqual([]);
    const meta = JSON.parse(
      await readFile(
        join(s3.directory, "eks-backups/imaging-archive/part-1/obj-1.bin._S3rver_metadata.json"),
        "utf8",
      ),
    ) as Record<string, string>;
    expect(meta["x-amz-meta-md5chksum"]).toBeDefined();
  });

  it("reads the on-premises store with the mounted credentials file, and fails with the wrong one", async () => {
    const wrong = await writeOnPremCredentials(dir, "onprem", "NOT-A-KEY");
    const result = await runProgram({
      copy: onpremToAws,
      lab: { ...lab, onpremCredentials: wrong },
      env: { PHASES: "verify" },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/403|AccessDenied|InvalidAccessKeyId/);
  });

  it("detects a corrupted destination object in the verify step, where rclone check alone passes it", async () => {
    const victim = "part-3/obj-3.bin";
    const bad = join(dir, "bad.bin");
    await writeFile(bad, randomBytes(seeded.get(`web-crawl/${victim}`)?.length ?? 0));
    // Same size, other bytes, and (like every object copied from this source) no MD5 on the blob.
    await ok(["copyto", bad, `az:backups/web-crawl/${victim}`, "--azureblob-disable-checksum"]);
    const naive = await rclone(["check", `kms:eks-datasets/web-crawl`, "az:backups/web-crawl", "--one-way"]);
    // The trap: rclone counts objects without a common hash as matches and exits 0.
    expect(naive.code).toBe(0);
    expect(naive.stderr).toContain(`${N} hashes could not be checked`);
    const verify = await runProgram({ copy: awsToAzure, lab, env: { PHASES: "verify" } });
    expect(verify.code).toBe(1);
    const error = programLines(verify.stderr).find((l) => l.level === "error");
    expect(error?.msg).toContain(`1 object(s) differ from the source by their bytes (${victim})`);
    // The program without its guard (the unhashed line ignored) passes the corruption as rclone does.
    const unguarded = await runProgram({
      copy: awsToAzure,
      lab,
      env: { PHASES: "verify" },
      script: (s) =>
        s.replace('if grep -q "hashes could not be checked" "$WORK/check.log"; then', "if false; then"),
    });
    expect(unguarded.code).toBe(0);
    // A replaced object that carries its own MD5 is caught by the hash comparison itself.
    await ok(["copyto", bad, `kms:eks-backups/imaging-archive/${victim}`]);
    const hashed = await runProgram({ copy: onpremToAws, lab, env: { PHASES: "verify" } });
    expect(hashed.code).toBe(1);
    expect(programLines(hashed.stderr).find((l) => l.level === "error")?.msg).toContain(
      `1 object(s) differ from the source (${victim})`,
    );
    // The next backup run puts both right.
    expect((await runProgram({ copy: awsToAzure, lab })).code).toBe(0);
    expect((await runProgram({ copy: onpremToAws, lab })).code).toBe(0);
  });

  it("resumes an interrupted copy and completes it with nothing lost or copied twice", async () => {
    const copy: DataCopySpec = {
      ...onpremToAws,
      name: "backup-imaging-archive-resume",
      destination: {
        ...(onpremToAws.destination as NonNullable<DataCopySpec["destination"]>),
        path: "eks-backups/resume",
      },
      manifest: { store: "destination", path: "eks-backups/_manifests/resume.md5" },
      bandwidth: "256k",
    };
    const first = await startProgram({ copy, lab });
    // Killed once some objects have landed, the program and rclone at once, as an evicted pod dies.
    const listed = async () =>
      (await rclone(["lsf", "-R", "--files-only", "s3:eks-backups/resume"])).stdout
        .split("\n")
        .filter(Boolean);
    for (let i = 0; i < 300 && (await listed()).length < 15; i++)
      await new Promise((r) => setTimeout(r, 100));
    first.killGroup("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const visible = await listed();
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(ARCHIVE);
    // Which of the visible objects are whole: s3rver (unlike S3, where a PUT is atomic) can list an
    // object whose upload was cut.
    const intactFile = join(dir, "intact.txt");
    await rclone([
      "check",
      "s3:dc1-datasets/imaging-archive",
      "s3:eks-backups/resume",
      "--one-way",
      "--download",
      "--match",
      intactFile,
    ]);
    const intact = new Set((await readFile(intactFile, "utf8")).split("\n").filter(Boolean));
    const resumed = await runProgram({ copy, lab, env: { RCLONE_BWLIMIT: "off", RCLONE_LOG_LEVEL: "INFO" } });
    expect(resumed.code, resumed.stderr.slice(-3000)).toBe(0);
    const sent = resumed.stderr
      .split("\n")
      .filter((l) => l.includes("Copied ("))
      .map((l) => String((JSON.parse(l) as { object?: string }).object))
      // The manifest the backup writes at the end is not one of the dataset's objects.
      .filter((name) => !name.endsWith(".md5"));
    // Nothing whole was sent again, and everything else was sent exactly once.
    expect(sent.filter((name) => intact.has(name))).toEqual([]);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.length + intact.size).toBe(ARCHIVE);
    expect(sameBytes(await readBack("s3:eks-backups/resume"), "imaging-archive")).toEqual([]);
    expect(await listed()).toHaveLength(ARCHIVE);
  });

  it("passes a restore drill on a good backup, and fails it loudly after tampering and bit rot", async () => {
    const good = await runProgram({ copy: azureDrill, lab });
    expect(good.code, good.stderr.slice(-3000)).toBe(0);
    expect(programLines(good.stderr).at(-1)?.msg).toBe(
      `drill: ${N} of ${N} object(s) restored from backup:backups/web-crawl match the manifest`,
    );
    const goodAws = await runProgram({ copy: { ...awsDrill, sample: ARCHIVE }, lab });
    expect(goodAws.code, goodAws.stderr.slice(-3000)).toBe(0);

    // Tampered through the API: the blob's bytes replaced, no MD5 left to betray it.
    const victim = "part-4/obj-4.bin";
    const bad = join(dir, "tamper.bin");
    await writeFile(bad, randomBytes(seeded.get(`web-crawl/${victim}`)?.length ?? 0));
    await ok(["copyto", bad, `az:backups/web-crawl/${victim}`, "--azureblob-disable-checksum"]);
    const tampered = await runProgram({ copy: azureDrill, lab });
    expect(tampered.code, tampered.stderr.slice(-2000)).toBe(1);
    const error = programLines(tampered.stderr).find((l) => l.level === "error")?.msg ?? "";
    expect(error).toContain("RESTORE DRILL FAILED for backup:backups/web-crawl");
    expect(error).toContain(`1 restored object(s) differ from the manifest (${victim})`);
    // A drill that only restores (no comparison with the manifest) would have passed it.
    const restoreOnly = await runProgram({
      copy: azureDrill,
      lab,
      script: (s) => s.replace('[ -s "$WORK/differ" ] ||', "").replace('[ "$check" -ne 0 ] ||', ""),
    });
    expect(restoreOnly.code).toBe(0);

    // Bit rot under the stored MD5: the bytes on disk change, the metadata does not.
    const rotten = join(s3.directory, "eks-backups/imaging-archive", `${victim}._S3rver_object`);
    const bytes = await readFile(rotten);
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    await writeFile(rotten, bytes);
    const rot = await runProgram({ copy: { ...awsDrill, sample: ARCHIVE }, lab });
    expect(rot.code, rot.stderr.slice(-2000)).toBe(1);
    expect(programLines(rot.stderr).find((l) => l.level === "error")?.msg).toContain("RESTORE DRILL FAILED");

    // A deleted object, and a missing manifest, fail too.
    await ok(["deletefile", "az:backups/web-crawl/part-1/obj-1.bin"]);
    const deleted = await runProgram({ copy: azureDrill, lab });
    expect(deleted.code, deleted.stderr.slice(-2000)).toBe(1);
    expect(programLines(deleted.stderr).find((l) => l.level === "error")?.msg).toMatch(
      /1 missing \(part-1\/obj-1\.bin\)|of \d+ restored/,
    );
    const noManifest = await runProgram({
      copy: { ...azureDrill, manifest: { store: "source", path: "backups/_manifests/none.md5" } },
      lab,
    });
    expect(noManifest.code, noManifest.stderr.slice(-2000)).toBe(1);
    expect(programLines(noManifest.stderr).find((l) => l.level === "error")?.msg).toContain(
      "cannot read the manifest",
    );
  });
});
