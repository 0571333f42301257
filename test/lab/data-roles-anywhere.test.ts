// The Roles Anywhere path of a rendered copy with Debian's rclone (1.60) against s3rver: the AWS
// remote exactly as rendered (env_auth, the profile, the AWS config file with its
// credential_process line), the endpoint pointed at s3rver, and the signing helper replaced by
// a script the test writes, which checks the arguments the helper would get and prints
// credentials in the helper's JSON form. Test credentials exist only in that script.
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDataCopies } from "../../components/kubernetes";
import { certifiedCopy } from "../data/fixtures";
import { rcloneEnv, run, type S3Emulator, startS3rver, stopEmulators } from "../helpers/emulators";
import { labSupport } from "../helpers/lab";

const support = labSupport("test/lab/data-roles-anywhere.test.ts", {
  commands: ["rclone", "sh"],
  install: "apt-get install -y rclone (and npm ci for s3rver)",
});

const ra = certifiedCopy.identity.rolesAnywhere;
let s3: S3Emulator;
let dir: string;
let conf: string;
let awsConfig: string;

/** The rendered files, with the helper's path (and the config file's) moved into the test's directory. */
async function files(keyId: string): Promise<{ env: NodeJS.ProcessEnv }> {
  const helper = join(dir, `helper-${keyId}`);
  // Prints credentials only when called as the helper is: credential-process with the rendered
  // certificate, key, anchor, profile and role.
  await writeFile(
    helper,
    [
      "#!/bin/sh",
      `[ "$1" = credential-process ] || exit 3`,
      `case "$*" in *"--certificate /var/run/secrets/hybrid-ai-infra/x509/tls.crt --private-key /var/run/secrets/hybrid-ai-infra/x509/tls.key --trust-anchor-arn ${ra?.trustAnchorArn} --profile-arn ${ra?.profileArn} --role-arn ${ra?.roleArn} "*) ;; *) echo "unexpected arguments: $*" >&2; exit 4;; esac`,
      `printf '{"Version":1,"AccessKeyId":"${keyId}","SecretAccessKey":"S3RVER","SessionToken":"lab","Expiration":"2099-01-01T00:00:00Z"}\\n'`,
      "",
    ].join("\n"),
  );
  await chmod(helper, 0o700);
  const aws = join(dir, `aws-${keyId}.config`);
  await writeFile(aws, awsConfig.replace("/opt/hybrid-ai-infra/bin/aws_signing_helper", helper));
  const rcloneConf = join(dir, "rclone.conf");
  await writeFile(rcloneConf, conf);
  return {
    env: rcloneEnv({
      RCLONE_CONFIG: rcloneConf,
      // Where the lab's files are, and s3rver instead of AWS: nothing about credentials.
      RCLONE_CONFIG_DESTINATION_SHARED_CREDENTIALS_FILE: aws,
      RCLONE_CONFIG_DESTINATION_ENDPOINT: s3.url,
      RCLONE_CONFIG_DESTINATION_PROVIDER: "Other",
      RCLONE_CONFIG_DESTINATION_REGION: "us-east-1",
      RCLONE_CONFIG_DESTINATION_FORCE_PATH_STYLE: "true",
    }),
  };
}

describe.skipIf(!support.run)("a Roles Anywhere copy's AWS remote with Debian's rclone and s3rver", () => {
  beforeAll(async () => {
    s3 = await startS3rver(["eks-backups"]);
    dir = await mkdtemp(join(tmpdir(), "roles-anywhere-"));
    const cm = renderDataCopies({
      cluster: "dc1",
      image: `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`,
      pool: { name: "cpu" },
      trust: "private",
      copies: [certifiedCopy],
    }).find((o) => o.kind === "ConfigMap");
    if (cm?.kind !== "ConfigMap") throw new Error("no ConfigMap");
    conf = cm.data["rclone.conf"] ?? "";
    awsConfig = cm.data["aws.config"] ?? "";
    await writeFile(join(dir, "object.bin"), "bytes the copy writes\n");
  }, 60_000);
  afterAll(async () => {
    await stopEmulators();
  });

  it("writes and reads with the credentials its credential_process prints", async () => {
    const { env } = await files("S3RVER");
    const put = await run(
      "rclone",
      ["copyto", join(dir, "object.bin"), "destination:eks-backups/imaging-archive/object.bin"],
      env,
      30_000,
    );
    expect(put.stderr).toBe("");
    expect(put.code).toBe(0);
    const cat = await run(
      "rclone",
      ["cat", "destination:eks-backups/imaging-archive/object.bin"],
      env,
      30_000,
    );
    expect(cat.stdout).toBe(await readFile(join(dir, "object.bin"), "utf8"));
  }, 60_000);

  it("fails when the process prints another key: they, not ambient ones, are what signs", async () => {
    const { env } = await files("WRONG");
    const r = await run("rclone", ["lsf", "destination:eks-backups/imaging-archive"], env, 30_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/SignatureDoesNotMatch|InvalidAccessKeyId|403/);
  }, 60_000);

  it("fails without the rendered profile: env_auth alone finds no credentials here", async () => {
    const { env } = await files("S3RVER");
    const r = await run(
      "rclone",
      ["lsf", "destination:eks-backups/imaging-archive"],
      {
        ...env,
        RCLONE_CONFIG_DESTINATION_PROFILE: "",
        RCLONE_CONFIG_DESTINATION_SHARED_CREDENTIALS_FILE: "",
      },
      30_000,
    );
    expect(r.code).not.toBe(0);
  }, 60_000);
});
