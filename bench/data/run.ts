import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { DataCopySpec } from "../../components/kubernetes";
import { LAB_KMS as KMS, LAB_ONPREM_STORE, runProgram, startLab } from "../../test/helpers/data-copy";
import { run, stopEmulators } from "../../test/helpers/emulators";

export interface DataBenchOptions {
  /** Fewer, smaller objects. */
  quick: boolean;
  /** Where the JSON goes. */
  out: string;
}

const NO_IDENTITY = { serviceAccountAnnotations: {}, podLabels: {}, env: {}, tokens: [], secrets: [] };

/** The two routes the verify step treats differently: stored MD5s at both ends, or none at either. */
function routes(): { label: string; seedRemote: string; copy: DataCopySpec }[] {
  const base = {
    kind: "backup" as const,
    classification: "internal" as const,
    schedule: "0 2 * * *",
    batch: "50G",
    transfers: 8,
    checkers: 16,
    identity: NO_IDENTITY,
    egress: [],
  };
  return [
    {
      label: "onprem S3 -> AWS S3 (SSE-KMS), MD5s stored",
      seedRemote: "s3:dc1-datasets/bench",
      copy: {
        ...base,
        name: "backup-bench-to-eks",
        dataset: "bench",
        source: {
          site: "dc1",
          store: LAB_ONPREM_STORE,
          path: "dc1-datasets/bench",
          url: "s3://dc1-datasets/bench",
        },
        destination: {
          site: "eks",
          store: { kind: "aws-s3", region: "eu-west-1", kmsKeyArn: KMS },
          path: "eks-backups/bench",
          url: "s3://eks-backups/bench",
        },
        destinationFacts: { trust: "public", jurisdiction: "EU", encryption: "aws:kms", versioning: true },
        manifest: { store: "destination", path: "eks-backups/_manifests/bench/manifest.md5" },
      },
    },
    {
      label: "AWS S3 (SSE-KMS, no MD5) -> Azure Blob, bytes compared",
      seedRemote: "kms:eks-datasets/bench",
      copy: {
        ...base,
        name: "backup-bench-to-aks",
        dataset: "bench",
        source: {
          site: "eks",
          store: { kind: "aws-s3", region: "eu-west-1", kmsKeyArn: KMS },
          path: "eks-datasets/bench",
          url: "s3://eks-datasets/bench",
        },
        destination: {
          site: "aks",
          store: { kind: "azure-blob", account: "aksbackups" },
          path: "backups/bench",
          url: "https://aksbackups.blob.core.windows.net/backups/bench",
        },
        destinationFacts: { trust: "public", jurisdiction: "EU", encryption: "azure-cmk", versioning: true },
        manifest: { store: "destination", path: "backups/_manifests/bench/manifest.md5" },
      },
    },
  ];
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Runs each route's rendered program against s3rver and Azurite on 127.0.0.1 with Debian's rclone:
 * the copy alone (PHASES=copy), then the manifest and verify alone (PHASES=verify), and reports
 * MiB/s of each and the verify's cost relative to the copy. Emulators on a loopback disk: compare
 * the ratio, not the absolute speed, with a real link.
 */
export async function runDataBench(options: DataBenchOptions): Promise<void> {
  const count = options.quick ? 100 : 300;
  const size = options.quick ? 64 * 1024 : 256 * 1024;
  const dir = await mkdtemp(join(tmpdir(), "data-bench-"));
  const rows: Record<string, unknown>[] = [];
  try {
    const { stores: lab, direct } = await startLab(dir, ["dc1-datasets", "eks-datasets", "eks-backups"]);
    const local = join(dir, "objects");
    for (let i = 0; i < count; i++) {
      await mkdir(join(local, `part-${i % 7}`), { recursive: true });
      await writeFile(join(local, `part-${i % 7}`, `obj-${i}.bin`), randomBytes(size));
    }
    const mib = (count * size) / 1024 / 1024;
    for (const route of routes()) {
      // As a pipeline writes it (no rclone MD5 metadata on the SSE-KMS side).
      const seeded = await run(
        "rclone",
        ["copy", local, route.seedRemote, "--s3-disable-checksum", "--transfers", "8"],
        direct,
      );
      if (seeded.code !== 0) throw new Error(`seeding ${route.seedRemote}: ${seeded.stderr.slice(-2000)}`);
      const timed = async (phases: string) => {
        const started = process.hrtime.bigint();
        const r = await runProgram({ copy: route.copy, lab, env: { PHASES: phases } });
        if (r.code !== 0)
          throw new Error(`${route.label} (${phases}): exit ${r.code}\n${r.stderr.slice(-3000)}`);
        return Number(process.hrtime.bigint() - started) / 1e9;
      };
      const copy = await timed("copy");
      const verify = await timed("verify");
      rows.push({
        route: route.label,
        objects: count,
        mib: round(mib),
        copySeconds: round(copy),
        copyMiBps: round(mib / copy),
        verifySeconds: round(verify),
        verifyMiBps: round(mib / verify),
        verifyOverCopy: round(verify / copy),
      });
    }
  } finally {
    await stopEmulators();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    "Data copies: the rendered program with Debian's rclone against s3rver and Azurite (127.0.0.1)",
  );
  console.table(rows);
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify({ quick: options.quick, rows }, null, 2)}\n`);
}
