// The data rules on the objects the copy renderer writes: a copy as rendered passes, and each one
// changed the way a bad config or a hand-written Job would be fails with the reason.
import { describe, expect, it } from "vitest";
import { type DataCopySpec, renderDataCopies } from "../../components/kubernetes";
import { backupProtected, dataCopyAllowed } from "../../policies/rules/data";
import { k8sNoPlaintextSecrets } from "../../policies/rules/kubernetes-pods";
import { TEST_IMAGE } from "../helpers/data-copy";
import { violations } from "./evaluate";

const CRONJOB = "kubernetes:batch/v1:CronJob";
const JOB = "kubernetes:batch/v1:Job";

const backup: DataCopySpec = {
  name: "backup-clinical-notes-to-dc1",
  kind: "backup",
  dataset: "clinical-notes",
  classification: "confidential",
  residency: ["EU"],
  source: {
    site: "aks",
    store: { kind: "azure-blob", account: "mlstore1" },
    path: "datasets/clinical-notes",
    url: "https://mlstore1.blob.core.windows.net/datasets/clinical-notes",
  },
  destination: {
    site: "dc1",
    store: {
      kind: "onprem-s3",
      endpoint: "https://s3.storage.corp.example",
      region: "us-east-1",
      provider: "Ceph",
      encryption: "sse-s3",
      credentialsFile: "/var/run/secrets/onprem-s3/credentials",
      profile: "onprem",
    },
    path: "backups/clinical-notes",
    url: "https://s3.storage.corp.example/backups/clinical-notes",
  },
  destinationFacts: {
    trust: "private",
    jurisdiction: "EU",
    encryption: "sse-s3",
    versioning: true,
    retentionDays: 35,
    versions: 7,
  },
  manifest: { store: "destination", path: "backups/_manifests/clinical-notes/manifest.md5" },
  schedule: "30 1 * * *",
  batch: "50G",
  transfers: 8,
  checkers: 16,
  identity: { serviceAccountAnnotations: {}, podLabels: {}, env: {}, tokens: [], secrets: [] },
  egress: [],
};

/** The copy's CronJob (and, for staging, its Job) as rendered. */
function rendered(copy: DataCopySpec, kind: "CronJob" | "Job" = "CronJob"): Record<string, unknown> {
  const objects = renderDataCopies({
    cluster: "dc1",
    image: TEST_IMAGE,
    pool: { name: "cpu" },
    trust: "private",
    copies: [copy],
  });
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return JSON.parse(JSON.stringify(found)) as Record<string, unknown>;
}

describe("data-copy-allowed", () => {
  it("passes a confidential backup to a private site, and to a public one inside its residency", async () => {
    expect(await violations(dataCopyAllowed, CRONJOB, rendered(backup))).toEqual([]);
    const toEks = {
      ...backup,
      destinationFacts: { ...backup.destinationFacts, trust: "public" as const, jurisdiction: "EU" },
    };
    expect(await violations(dataCopyAllowed, CRONJOB, rendered(toEks))).toEqual([]);
  });

  it("refuses a backup of restricted data to a public cloud, and confidential data outside its residency", async () => {
    const restricted = {
      ...backup,
      classification: "restricted" as const,
      destinationFacts: { ...backup.destinationFacts, trust: "public" as const },
    };
    expect(await violations(dataCopyAllowed, CRONJOB, rendered(restricted))).toEqual([
      "clinical-notes may not be backed up to dc1: restricted data runs only on private targets; dc1 is in a public cloud",
    ]);
    const abroad = {
      ...backup,
      destinationFacts: { ...backup.destinationFacts, trust: "public" as const, jurisdiction: "US" },
    };
    expect((await violations(dataCopyAllowed, CRONJOB, rendered(abroad)))[0]).toMatch(
      /^clinical-notes may not be backed up to dc1: .*EU/,
    );
  });

  it("refuses a staged copy (its first Job too) where the data may not go, in staging's words", async () => {
    const staging: DataCopySpec = {
      ...backup,
      name: "stage-clinical-notes-to-eks",
      kind: "staging",
      residency: undefined,
      manifest: undefined,
      destinationFacts: { trust: "public", jurisdiction: "EU", encryption: "aws:kms", versioning: true },
    };
    for (const kind of ["CronJob", "Job"] as const)
      expect(
        await violations(dataCopyAllowed, kind === "Job" ? JOB : CRONJOB, rendered(staging, kind)),
      ).toEqual([
        "clinical-notes may not be staged to dc1: confidential data runs on private targets, or in a public cloud inside its residency (none given); dc1 is in a public cloud",
      ]);
  });

  it("refuses a copy that does not say where it goes, and leaves other Jobs alone", async () => {
    const job = rendered(backup);
    const annotations = (job.metadata as { annotations: Record<string, string> }).annotations;
    delete annotations["data.hybrid-ai-infra.io/destination-trust"];
    expect(await violations(dataCopyAllowed, CRONJOB, job)).toHaveLength(1);
    expect(await violations(dataCopyAllowed, JOB, { metadata: { name: "train" }, spec: {} })).toEqual([]);
  });
});

describe("data-backup-protected", () => {
  it("passes a backup to an encrypted, versioned store", async () => {
    expect(await violations(backupProtected, CRONJOB, rendered(backup))).toEqual([]);
  });

  it("refuses a backup to a store without encryption or without versions", async () => {
    const plain = {
      ...backup,
      destinationFacts: { ...backup.destinationFacts, encryption: "none", versioning: false },
    };
    expect(await violations(backupProtected, CRONJOB, rendered(plain))).toEqual([
      "backs up clinical-notes to a store that does not encrypt at rest (data.hybrid-ai-infra.io/destination-encryption: none)",
      "backs up clinical-notes to a store that keeps no old versions (data.hybrid-ai-infra.io/destination-versioning: disabled); a backup must survive an overwrite at the source",
    ]);
  });

  it("leaves staging alone: a staged copy is derived data", async () => {
    const staging = {
      ...backup,
      name: "stage-clinical-notes-to-eks",
      kind: "staging" as const,
      manifest: undefined,
      destinationFacts: { ...backup.destinationFacts, versioning: false },
    };
    expect(await violations(backupProtected, CRONJOB, rendered(staging))).toEqual([]);
  });
});

describe("k8s-no-plaintext-secrets on a copy federated with another cloud", () => {
  it("accepts the token files' paths, and still refuses a literal token", async () => {
    const federated = {
      ...backup,
      identity: {
        ...backup.identity,
        tokens: [{ audience: "sts.amazonaws.com", path: "aws" }],
        env: { AWS_WEB_IDENTITY_TOKEN_FILE: "/var/run/secrets/hybrid-ai-infra/tokens/aws" },
      },
    };
    expect(await violations(k8sNoPlaintextSecrets, CRONJOB, rendered(federated))).toEqual([]);
    const literal = {
      ...federated,
      identity: { ...federated.identity, env: { AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2Vj" } },
    };
    expect(await violations(k8sNoPlaintextSecrets, CRONJOB, rendered(literal))).toHaveLength(1);
  });
});
