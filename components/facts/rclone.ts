import { z } from "zod";

// rclone, the transfer tool the data copies run (backups, staging, restore drills): the facts the
// library renders its Jobs and configuration by, each with where it was found. rclone's own
// documentation (docs/content/docs.md, s3.md, azureblob.md) and source (v1.60.1 to v1.75.0) are
// the references; test/lab (the data lab) confirms them against Debian's rclone.

/** The upstream image: Alpine with busybox (sh, awk, shuf), `ENTRYPOINT ["rclone"]`. */
export const RCLONE_IMAGE_REPOSITORY = "docker.io/rclone/rclone";

/** The release the library is written and tested for (Debian sid packages it as 1.75.2-2). */
export const RCLONE_RECOMMENDED_VERSION = "1.75.2";

/**
 * The oldest release the rendered Jobs work with: web identity (AWS_ROLE_ARN and a token file) next
 * to an S3 `endpoint` needs 1.68 (aws-sdk-go-v2; 1.60-1.67 post STS to the S3 endpoint), EKS Pod
 * Identity 1.66, Azure workload identity through `env_auth` 1.63.
 */
export const RCLONE_MIN_VERSION = "1.68.0";

/**
 * The user copies run as: not the image's default (root), and not its `rclone` user (1009) either,
 * but a UID of 10000 or more that no host account shares (the pack's k8s-high-uid). The image's
 * files are world-readable, and a copy writes only to its emptyDir volumes (owned through fsGroup).
 */
export const RCLONE_UID = 10009;

/** Where the image reads its configuration (`XDG_CONFIG_HOME=/config`). */
export const RCLONE_CONFIG_PATH = "/config/rclone/rclone.conf";

/**
 * rclone's exit codes (docs.md, "Exit Code"). A copy in batches stops with 8 when `--max-transfer`
 * is reached and goes on in the next run.
 */
export const RCLONE_EXIT_CODES = {
  ok: 0,
  usage: 1,
  error: 2,
  dirNotFound: 3,
  fileNotFound: 4,
  retryable: 5,
  noRetry: 6,
  fatal: 7,
  transferLimit: 8,
  noTransfer: 9,
} as const;

/**
 * The line `rclone check` logs when objects had no hash in common and were counted as matches
 * (fs/operations/check.go, 1.60 and 1.75): the check still exits 0. Every verify step treats it
 * as "not verified yet" and compares those objects' bytes.
 */
export const RCLONE_UNHASHED_NOTICE = "hashes could not be checked";

/**
 * Config keys that hold secrets, per backend (s3.go, azureblob.go options marked `IsPassword` or
 * holding credentials). A rendered configuration never contains one: identities come from the pod.
 * `client_certificate_path` is not one (a path, which rclone does not mark sensitive): the
 * renderer writes it only for a file under a mounted Secret's directory.
 */
export const RCLONE_SECRET_KEYS: readonly string[] = [
  "access_key_id",
  "secret_access_key",
  "session_token",
  "sse_customer_key",
  "sse_customer_key_base64",
  "sse_customer_key_md5",
  "key",
  "sas_url",
  "connection_string",
  "client_secret",
  "client_certificate_password",
  "password",
  "service_principal_file",
];

/** The CronJob label that marks a restore drill (its value names the dataset whose backup it reads back). */
export const LABEL_RESTORE_DRILL = "hybrid-ai-infra.io/restore-drill";
/** The Job and CronJob label that marks a staging copy (its value names the dataset it stages). */
export const LABEL_STAGING = "hybrid-ai-infra.io/staging";

/** `1.75.2` -> [1, 75, 2]. */
function versionParts(version: string): number[] {
  return version.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** Whether `version` is at least `minimum` (dotted numbers). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = versionParts(version);
  const b = versionParts(minimum);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * An rclone image a private cluster pulls: a mirror of the upstream image in a registry the
 * cluster reaches (ECR, ACR, the on-premises registry), with its release tag and pinned by digest,
 * e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/rclone/rclone:1.75.2@sha256:<64 hex>`.
 * The tag says which release (it must be at least `RCLONE_MIN_VERSION`); the digest is what runs.
 */
export const rcloneImageSchema = z.string().superRefine((image, ctx) => {
  const match = /^([a-z0-9][a-z0-9._\-/:]*\/)?[a-z0-9._-]+:v?(\d+\.\d+(\.\d+)?)@sha256:[a-f0-9]{64}$/.exec(
    image,
  );
  if (!match) {
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(image)} is not an rclone image with its release and digest; mirror ${RCLONE_IMAGE_REPOSITORY}:${RCLONE_RECOMMENDED_VERSION} and give <registry>/<path>/rclone:${RCLONE_RECOMMENDED_VERSION}@sha256:<digest>`,
    });
    return;
  }
  const version = match[2] ?? "";
  if (!versionAtLeast(version, RCLONE_MIN_VERSION))
    ctx.addIssue({
      code: "custom",
      message: `is rclone ${version}, older than ${RCLONE_MIN_VERSION}, which web identity next to an S3 endpoint needs (older releases send STS calls to the S3 endpoint); mirror ${RCLONE_RECOMMENDED_VERSION}`,
    });
});
