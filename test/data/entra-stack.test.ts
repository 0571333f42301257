// Staging with dc1 proving its copies by certificate instead of its issuer: Roles Anywhere for the
// copy into AWS, an Entra application for the copies out of Azure. The whole plan (both phases),
// so what is checked is the wiring: which identity each copy gets, what its Job renders, and
// that the stack's own data checks and policy pack still hold.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type PlanRun, runPlan } from "../../scripts/plan/run";
import { checkCopiesRendered, checkCopyAzureIdentities } from "../helpers/data-checks";
import { CA_CERTIFICATE, COPIES_CERTIFICATE } from "./entra-certificates";
import { HELPER_IMAGE } from "./fixtures";

const root = resolve(__dirname, "../..");

/** A copy of the project whose staging stack gives dc1 `identity` instead of its issuer. */
function stagingWith(identity: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "plan-entra-"));
  cpSync(join(root, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
  cpSync(join(root, "stacks"), join(dir, "stacks"), { recursive: true });
  const file = join(dir, "stacks/Pulumi.staging.yaml");
  const text = readFileSync(file, "utf8");
  const edited = text.replace(
    / {4}identity:\n {6}issuer: https:\/\/oidc\.dc1\.corp\.example\n/,
    `    identity:\n${stringify(identity, { lineWidth: 0 })
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => `      ${l}`)
      .join("\n")}\n`,
  );
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
  return dir;
}

describe("staging with dc1's copies proven by certificate", () => {
  let plan: PlanRun;
  beforeAll(async () => {
    plan = await runPlan(
      stagingWith({
        rolesAnywhere: {
          caBundle: CA_CERTIFICATE,
          certificateSecret: "data-copies-x509",
          subject: { CN: "data-copies.dc1.corp.example", OU: "platform" },
          issuer: { CN: "dc1 issuing CA" },
          helper: { image: HELPER_IMAGE },
        },
        entra: { certificates: [COPIES_CERTIFICATE] },
      }),
      "staging",
    );
  }, 240_000);

  const ofType = (type: string) => plan.resources.filter((r) => r.type === type);

  it("gives each copy dc1 runs against Azure an Entra application, and no federated credential trusts dc1", () => {
    const apps = ofType("hybrid-ai-infra:index:AzureDataCopyApplication").map((r) => r.name);
    // clinical-notes: its backup to dc1 and the staging to dc1 read Azure; the drill runs on dc1 against dc1's store.
    expect(apps.sort()).toEqual(["backup-clinical-notes-to-dc1-azure", "stage-clinical-notes-to-dc1-azure"]);
    const federated = ofType("azure-native:managedidentity:FederatedIdentityCredential");
    expect(federated.filter((c) => String(c.plainInputs.issuer).includes("dc1"))).toEqual([]);
    for (const credential of ofType("azuread:index/applicationCertificate:ApplicationCertificate"))
      expect(credential.plainInputs).toMatchObject({
        type: "AsymmetricX509Cert",
        value: COPIES_CERTIFICATE.trim(),
      });
    // The stack's own check of every copy identity's grants, applications included.
    expect(checkCopyAzureIdentities(plan)).toBeGreaterThanOrEqual(2);
    checkCopiesRendered(plan);
  });

  it("renders dc1's Azure copies with the certificate, in memory, and no secret in their config", () => {
    const configs = ofType("kubernetes:core/v1:ConfigMap").filter((c) =>
      String(c.name).includes("clinical-notes-to-dc1"),
    );
    expect(configs.length).toBeGreaterThanOrEqual(2);
    for (const c of configs) {
      const data = (c.plainInputs.data ?? {}) as Record<string, string>;
      const conf = data["rclone.conf"] ?? "";
      expect(conf).toMatch(
        /\[source\]\ntype = azureblob\ntenant = [0-9a-f-]{36}\nclient_id = [0-9a-f-]{36}\nclient_certificate_path = \/var\/run\/secrets\/hybrid-ai-infra\/entra\/client\.pem\naccount = /,
      );
      expect(JSON.stringify(data)).not.toMatch(/BEGIN|PRIVATE KEY|client_secret/);
    }
    const crons = ofType("kubernetes:batch/v1:CronJob").filter((c) =>
      String(c.name).includes("clinical-notes-to-dc1"),
    );
    expect(crons.length).toBeGreaterThanOrEqual(1);
    for (const cron of crons) {
      const text = JSON.stringify(cron.plainInputs);
      expect(text).toContain('"name":"entra-certificate"');
      expect(text).toContain('"secretName":"data-copies-x509"');
      expect(text).not.toContain("AZURE_FEDERATED_TOKEN_FILE");
    }
  });

  it("lets those copies reach Entra ID for the token and nothing else public", () => {
    const egress = ofType("kubernetes:networking.k8s.io/v1:NetworkPolicy").find(
      (p) =>
        p.name === "data-copies/egress-backup-clinical-notes-to-dc1" ||
        String(p.name).endsWith("egress-backup-clinical-notes-to-dc1"),
    );
    expect(egress, "egress policy of backup-clinical-notes-to-dc1").toBeDefined();
    const text = JSON.stringify(egress?.plainInputs);
    for (const cidr of ["20.190.128.0/18", "40.126.0.0/18"]) expect(text).toContain(cidr);
  });
});
