// The Entra certificate path of a rendered copy, with the real tools this machine has. Debian's
// rclone (1.60) has no certificate login for Azure Blob (client_certificate_path arrived in 1.61:
// backend/azureblob at v1.60.1 authenticates by key, SAS, MSI or service_principal_file only), so
// no token is fetched here. What runs: the init container's own command, with /bin/sh, on a
// kubernetes.io/tls Secret's two files as openssl (like cert-manager) writes them, PKCS#8 and
// PKCS#1; the joined file is checked as rclone's Azure SDK reads it (one certificate, one RSA key
// that matches it; azidentity.ParseCertificates and MSAL's NewCredFromCert), its thumbprint (the
// x5t Entra matches) against the credential the application registers from config, its mode; and
// rclone 1.60 reads the rendered configuration, keys and all.
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, createSign, createVerify, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { entraCertificateFacts } from "../../components/azure/internal";
import { renderDataCopies } from "../../components/kubernetes";
import { entraCopy } from "../data/fixtures";
import { type RunResult, rcloneEnv, run } from "../helpers/emulators";
import { labSupport } from "../helpers/lab";

const support = labSupport("test/lab/data-entra.test.ts", {
  commands: ["rclone", "sh", "openssl"],
  install: "apt-get install -y rclone openssl",
});

const SECRETS = "/var/run/secrets/hybrid-ai-infra/";
const objects = renderDataCopies({
  cluster: "dc1",
  image: `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`,
  pool: { name: "cpu" },
  trust: "private",
  copies: [entraCopy],
});
const cron = objects.find((o) => o.kind === "CronJob");
const configMap = objects.find((o) => o.kind === "ConfigMap");
if (cron?.kind !== "CronJob" || configMap?.kind !== "ConfigMap") throw new Error("nothing rendered");
const init = cron.spec.jobTemplate.spec.template.spec.initContainers?.find(
  (c) => c.name === "entra-certificate",
);

let dir: string;

/** The site's CA and the copies' certificate it issues; the key as PKCS#8 or PKCS#1 (cert-manager's default). */
function issue(at: string, encoding: "pkcs8" | "pkcs1"): void {
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: at, stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=dc1 issuing CA",
  );
  openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "leaf.key",
    "-out",
    "leaf.csr",
    "-subj",
    "/O=corp.example/OU=platform/CN=data-copies.dc1.corp.example",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "tls.crt",
    "-days",
    "1",
  );
  if (encoding === "pkcs1") openssl("rsa", "-in", "leaf.key", "-traditional", "-out", "tls.key");
  else openssl("pkey", "-in", "leaf.key", "-out", "tls.key");
}

/** Runs the init container's command with the pod's paths under `root`, as the pod's shell would. */
async function joinSecret(root: string): Promise<RunResult> {
  const command = init?.command ?? [];
  expect(command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
  const script = (command[2] ?? "").replaceAll(SECRETS, `${root}/`);
  return run("/bin/sh", ["-c", script], { PATH: process.env.PATH ?? "/usr/bin:/bin" }, 10_000);
}

describe.skipIf(!support.run)("an Entra certificate copy's joined certificate file and configuration", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "entra-"));
  });

  for (const encoding of ["pkcs8", "pkcs1"] as const) {
    it(`joins a ${encoding} Secret into one file with the certificate and its matching RSA key, readable by the copy alone`, async () => {
      const root = await mkdtemp(join(dir, `${encoding}-`));
      // The Secret's mount and the in-memory directory, as the pod has them.
      const secret = join(root, "entra-x509");
      const out = join(root, "entra");
      execFileSync("mkdir", ["-p", secret, out]);
      issue(secret, encoding);
      const joined = await joinSecret(root);
      expect(joined.stderr).toBe("");
      expect(joined.code).toBe(0);
      const file = join(out, "client.pem");
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const text = await readFile(file, "utf8");
      const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----/g)].map((m) => m[1]);
      expect(blocks).toEqual(["CERTIFICATE", encoding === "pkcs8" ? "PRIVATE KEY" : "RSA PRIVATE KEY"]);
      // What MSAL's NewCredFromCert requires: an RSA key whose public half is the certificate's.
      const cert = new X509Certificate(text);
      const key = createPrivateKey(text);
      expect(key.asymmetricKeyType).toBe("rsa");
      expect(cert.checkPrivateKey(key)).toBe(true);
      // A client assertion signed with the file's key verifies with the certificate Entra holds:
      // the config's PEM (here the Secret's tls.crt, as the platform team copies it), whose SHA-1
      // thumbprint is the assertion's x5t.
      const registered = entraCertificateFacts(await readFile(join(secret, "tls.crt"), "utf8"));
      if (typeof registered === "string") throw new Error(registered);
      const assertion = createSign("RSA-SHA256").update("header.claims").sign(key);
      const held = new X509Certificate(registered.pem);
      expect(createVerify("RSA-SHA256").update("header.claims").verify(held.publicKey, assertion)).toBe(true);
      expect(createHash("sha1").update(held.raw).digest("hex")).toBe(
        cert.fingerprint.replaceAll(":", "").toLowerCase(),
      );
    });
  }

  it("fails, so the pod never starts rclone, when the Secret has no key", async () => {
    const root = await mkdtemp(join(dir, "nokey-"));
    const secret = join(root, "entra-x509");
    execFileSync("mkdir", ["-p", secret, join(root, "entra")]);
    await writeFile(
      join(secret, "tls.crt"),
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
    const joined = await joinSecret(root);
    expect(joined.code).not.toBe(0);
    expect(joined.stderr).toMatch(/tls\.key/);
  });

  it("is read by Debian's rclone as an azureblob remote with the tenant, client id and certificate path", async () => {
    const conf = join(dir, "rclone.conf");
    await writeFile(conf, configMap.data["rclone.conf"] ?? "");
    const dump = await run("rclone", ["config", "dump"], rcloneEnv({ RCLONE_CONFIG: conf }), 30_000);
    expect(dump.code, dump.stderr).toBe(0);
    const remotes = JSON.parse(dump.stdout) as Record<string, Record<string, string>>;
    expect(remotes.source).toEqual({
      type: "azureblob",
      tenant: entraCopy.identity.entra?.tenantId,
      client_id: entraCopy.identity.entra?.clientId,
      client_certificate_path: `${SECRETS}entra/client.pem`,
      account: "mlstore",
    });
  });
});
