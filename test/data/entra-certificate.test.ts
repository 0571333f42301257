// The on-premises cluster's copies into and out of Azure without an issuer: an Entra application
// whose certificate credential is the site's copy certificate. The config chooses it beside Roles
// Anywhere and refuses what cannot work; the application accepts only that certificate, for its
// validity, and its service principal holds exactly the federated identity's grants; the rendered
// Job gives rclone the tenant, client id and a certificate file joined in memory from a Secret,
// and nothing rendered holds a secret.
import { X509Certificate } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { AzureDataCopyApplication, AzureDataCopyIdentity } from "../../components/azure";
import { entraCertificateFacts } from "../../components/azure/internal";
import { renderDataCopies, renderRcloneConfig, secretKeysIn } from "../../components/kubernetes/data";
import type { Recorder } from "../../scripts/plan";
import { parsePlatformConfig } from "../../stacks/config";
import { configErrorOf } from "../helpers/components";
import { descendants, ofType, one, resolved, startMocks } from "../helpers/mocks";
import { configProblems, referenceStackConfig } from "../helpers/stack-config";
import { CA_CERTIFICATE, COPIES_CERTIFICATE, EC_CERTIFICATE, NEXT_CERTIFICATE } from "./entra-certificates";
import { ENTRA_CLIENT as CLIENT, entraCopy, HELPER_IMAGE, ENTRA_TENANT as TENANT } from "./fixtures";

const ACCOUNT =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/mlstore";
const IMAGE = `registry.internal.example.com/rclone/rclone:1.75.2@sha256:${"a".repeat(64)}`;

function stagingConfig(): Record<string, unknown> {
  return referenceStackConfig("staging");
}

const problems = (raw: Record<string, unknown>) => configProblems("staging", raw);

const rolesAnywhere = {
  caBundle: CA_CERTIFICATE,
  certificateSecret: "data-copies-x509",
  subject: { CN: "data-copies.dc1.corp.example", OU: "platform" },
  issuer: { CN: "dc1 issuing CA" },
  helper: { image: HELPER_IMAGE },
};

/** Staging with dc1's identity replaced: it backs imaging-archive up to AWS and clinical-notes up from Azure. */
function withIdentity(identity: unknown): Record<string, unknown> {
  const raw = stagingConfig() as { onprem: Record<string, unknown> };
  raw.onprem.identity = identity;
  return raw;
}

describe("the on-premises site's Entra certificate in config", () => {
  it("accepts Roles Anywhere for AWS and an Entra certificate for Azure, one Secret for both", () => {
    const config = parsePlatformConfig(
      "staging",
      withIdentity({ rolesAnywhere, entra: { certificates: [COPIES_CERTIFICATE] } }),
    );
    expect(config.onprem?.identity).toMatchObject({
      rolesAnywhere: { certificateSecret: "data-copies-x509" },
      entra: { certificates: [COPIES_CERTIFICATE] },
    });
  });

  it("refuses Roles Anywhere alone where dc1 copies to or from Azure, at onprem.identity.entra", () => {
    expect(problems(withIdentity({ rolesAnywhere }))).toMatch(
      /onprem\.identity\.entra: is not set, and clinical-notes is copied between dc1 and Azure/,
    );
  });

  it("refuses an Entra certificate alone where dc1 copies to or from AWS, at onprem.identity.rolesAnywhere", () => {
    const message = problems(
      withIdentity({ entra: { certificates: [COPIES_CERTIFICATE], certificateSecret: "data-copies-x509" } }),
    );
    expect(message).toMatch(
      /onprem\.identity\.rolesAnywhere: is not set, and imaging-archive is copied between dc1 and AWS/,
    );
    expect(message).not.toMatch(/onprem\.identity\.entra/);
  });

  it("asks for the Secret when there is no Roles Anywhere Secret to share", () => {
    expect(problems(withIdentity({ entra: { certificates: [COPIES_CERTIFICATE] } }))).toMatch(
      /onprem\.identity\.entra\.certificateSecret: is not set, and there is no rolesAnywhere\.certificateSecret/,
    );
  });

  it("refuses an EC key, a CA certificate, a chain, a private key and a repeated certificate, by path", () => {
    const refused = (certificates: string[]) =>
      problems(withIdentity({ rolesAnywhere, entra: { certificates } }));
    expect(refused([EC_CERTIFICATE])).toMatch(/onprem\.identity\.entra\.certificates\[0\]: has a ec key/);
    expect(refused([CA_CERTIFICATE])).toMatch(
      /onprem\.identity\.entra\.certificates\[0\]: is a CA certificate/,
    );
    expect(refused([`${COPIES_CERTIFICATE}${CA_CERTIFICATE}`])).toMatch(
      /onprem\.identity\.entra\.certificates\[0\]: is not one PEM certificate/,
    );
    expect(
      refused([`${COPIES_CERTIFICATE}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`]),
    ).toMatch(/certificates\[0\]: is not one PEM certificate .*never a key/);
    expect(refused([COPIES_CERTIFICATE, COPIES_CERTIFICATE])).toMatch(
      /onprem\.identity\.entra\.certificates: .*names one certificate twice/,
    );
    expect(refused([])).toMatch(/onprem\.identity\.entra\.certificates: .*names no certificate/);
  });
});

describe("entraCertificateFacts", () => {
  it("gives the certificate's validity as whole-second RFC 3339 and an id from its fingerprint", () => {
    const facts = entraCertificateFacts(COPIES_CERTIFICATE);
    if (typeof facts === "string") throw new Error(facts);
    const cert = new X509Certificate(COPIES_CERTIFICATE);
    expect(facts.notBefore).toBe(new Date(cert.validFrom).toISOString().replace(".000Z", "Z"));
    expect(facts.notAfter).toBe(new Date(cert.validTo).toISOString().replace(".000Z", "Z"));
    expect(facts.notAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(facts.id).toBe(cert.fingerprint256.replaceAll(":", "").slice(0, 8).toLowerCase());
  });
});

describe("AzureDataCopyApplication", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  const grants = {
    reads: [
      {
        storageAccountId: ACCOUNT,
        container: "datasets",
        prefixes: ["clinical-notes"],
      },
    ],
    writes: [
      {
        storageAccountId: ACCOUNT,
        container: "backups",
        prefixes: ["clinical-notes"],
        blobs: ["_manifests/clinical-notes.md5"],
      },
    ],
  };

  it("accepts the site's certificates alone, for their validity, and grants its principal what the federated identity gets", async () => {
    const app = new AzureDataCopyApplication("backup-notes-to-dc1-azure", {
      certificates: [COPIES_CERTIFICATE, NEXT_CERTIFICATE],
      namespace: "data-copies",
      serviceAccount: "backup-notes-to-dc1",
      ...grants,
    });
    // The same grants to a federated identity, for comparison.
    new AzureDataCopyIdentity("backup-notes-to-aks-azure", {
      resourceGroupName: "rg-data",
      location: "westeurope",
      oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      namespace: "data-copies",
      serviceAccount: "backup-notes-to-aks",
      ...grants,
    });
    await recorder.settle();
    const rs = recorder.resources;
    const registration = one(
      rs,
      "azuread:index/applicationRegistration:ApplicationRegistration",
      "backup-notes-to-dc1-azure",
    );
    expect(registration.inputs).toMatchObject({
      displayName: "backup-notes-to-dc1-azure",
      signInAudience: "AzureADMyOrg",
    });
    // No secret and no federated credential: the certificates are its only credentials.
    const mine = descendants(
      rs,
      "urn:pulumi:dev::hybrid-ai-infra::hybrid-ai-infra:index:AzureDataCopyApplication::backup-notes-to-dc1-azure",
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.filter((r) => /password|Secret|FederatedIdentityCredential/i.test(r.type))).toEqual([]);
    const certificates = ofType(rs, "azuread:index/applicationCertificate:ApplicationCertificate");
    expect(certificates).toHaveLength(2);
    for (const pem of [COPIES_CERTIFICATE, NEXT_CERTIFICATE]) {
      const facts = entraCertificateFacts(pem);
      if (typeof facts === "string") throw new Error(facts);
      const credential = one(
        rs,
        "azuread:index/applicationCertificate:ApplicationCertificate",
        `backup-notes-to-dc1-azure-cert-${facts.id}`,
      );
      expect(credential.plainInputs).toEqual({
        applicationId: expect.stringMatching(/^\/applications\/[0-9a-f-]{36}$/),
        type: "AsymmetricX509Cert",
        encoding: "pem",
        value: pem.trim(),
        startDate: facts.notBefore,
        endDate: facts.notAfter,
      });
    }
    const principal = one(rs, "azuread:index/servicePrincipal:ServicePrincipal", "backup-notes-to-dc1-azure");
    const clientId = await resolved(app.clientId);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(principal.inputs.clientId).toBe(clientId);
    expect(await resolved(app.tenantId)).toMatch(/^[0-9a-f-]{36}$/);
    const principalId = await resolved(app.principalId);
    expect(principalId).toMatch(/^[0-9a-f-]{36}$/);
    expect(principalId).not.toBe(clientId);

    for (const kind of ["read-0", "write-0"]) {
      const mine = one(rs, "azure-native:authorization:RoleAssignment", `backup-notes-to-dc1-azure-${kind}`);
      const federated = one(
        rs,
        "azure-native:authorization:RoleAssignment",
        `backup-notes-to-aks-azure-${kind}`,
      );
      expect(mine.inputs).toMatchObject({
        principalId,
        principalType: "ServicePrincipal",
        scope: federated.inputs.scope,
        condition: federated.inputs.condition,
        conditionVersion: "2.0",
        roleDefinitionId: federated.inputs.roleDefinitionId,
      });
    }
    const write = one(rs, "azure-native:authorization:RoleAssignment", "backup-notes-to-dc1-azure-write-0");
    expect(write.inputs.scope).toBe(`${ACCOUNT}/blobServices/default/containers/backups`);
    expect(String(write.inputs.condition)).toContain("StringStartsWith 'clinical-notes/'");
    expect(String(write.inputs.condition)).toContain(
      "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'}))",
    );
  });

  it("refuses an EC certificate, a CA and an application that grants nothing, before registering anything", () => {
    const base = { namespace: "data-copies", serviceAccount: "backup-notes-to-dc1", ...grants };
    const ec = configErrorOf(
      () => new AzureDataCopyApplication("ec", { ...base, certificates: [EC_CERTIFICATE] }),
    );
    expect(ec.issues).toEqual([expect.objectContaining({ path: "certificates[0]" })]);
    expect(ec.message).toMatch(/RSA/);
    const ca = configErrorOf(
      () => new AzureDataCopyApplication("ca", { ...base, certificates: [CA_CERTIFICATE] }),
    );
    expect(ca.message).toMatch(/CA certificate/);
    const nothing = configErrorOf(
      () =>
        new AzureDataCopyApplication("nothing", {
          namespace: "data-copies",
          serviceAccount: "x",
          certificates: [COPIES_CERTIFICATE],
        }),
    );
    expect(nothing.message).toMatch(/grants nothing/);
  });
});

describe("a copy that authenticates to Azure with an Entra certificate", () => {
  const objects = renderDataCopies({
    cluster: "dc1",
    image: IMAGE,
    pool: { name: "cpu" },
    trust: "private",
    copies: [entraCopy],
  });
  const configMap = objects.find((o) => o.kind === "ConfigMap");
  const cron = objects.find((o) => o.kind === "CronJob");
  if (configMap?.kind !== "ConfigMap" || cron?.kind !== "CronJob") throw new Error("nothing rendered");
  const pod = cron.spec.jobTemplate.spec.template.spec;

  it("gives Azure's remote the tenant, the client id and the joined certificate file, no env_auth, no secret", () => {
    const conf = configMap.data["rclone.conf"] ?? "";
    const source = conf.slice(0, conf.indexOf("[destination]"));
    expect(source).toBe(
      [
        "[source]",
        "type = azureblob",
        `tenant = ${TENANT}`,
        `client_id = ${CLIENT}`,
        "client_certificate_path = /var/run/secrets/hybrid-ai-infra/entra/client.pem",
        "account = mlstore",
        "",
        "",
      ].join("\n"),
    );
    expect(conf.slice(conf.indexOf("[destination]"))).not.toMatch(/client_|tenant/);
    for (const text of Object.values(configMap.data)) expect(secretKeysIn(text)).toEqual([]);
    expect(JSON.stringify(objects)).not.toMatch(/BEGIN|PRIVATE KEY|client_secret/);
  });

  it("joins tls.crt and tls.key in memory with the rclone image's shell, and mounts only the joined file's directory in rclone", () => {
    expect(pod.volumes).toContainEqual({
      name: "entra-x509",
      secret: {
        secretName: "data-copies-x509",
        defaultMode: 0o440,
        items: [
          { key: "tls.crt", path: "tls.crt" },
          { key: "tls.key", path: "tls.key" },
        ],
      },
    });
    expect(pod.volumes).toContainEqual({ name: "entra", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } });
    expect(pod.initContainers).toHaveLength(1);
    expect(pod.initContainers?.[0]).toMatchObject({
      name: "entra-certificate",
      image: IMAGE,
      command: [
        "/bin/sh",
        "-c",
        "umask 077 && cat /var/run/secrets/hybrid-ai-infra/entra-x509/tls.crt /var/run/secrets/hybrid-ai-infra/entra-x509/tls.key > /var/run/secrets/hybrid-ai-infra/entra/client.pem",
      ],
      securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
      volumeMounts: [
        { name: "entra-x509", mountPath: "/var/run/secrets/hybrid-ai-infra/entra-x509", readOnly: true },
        { name: "entra", mountPath: "/var/run/secrets/hybrid-ai-infra/entra" },
      ],
    });
    const mounts = pod.containers[0]?.volumeMounts ?? [];
    expect(mounts).toContainEqual({
      name: "entra",
      mountPath: "/var/run/secrets/hybrid-ai-infra/entra",
      readOnly: true,
    });
    expect(mounts.map((m) => m.name)).not.toContain("entra-x509");
    // No workload identity: no token, no federated token file.
    const env = pod.containers[0]?.env.map((e) => e.name) ?? [];
    expect(env).not.toContain("AZURE_FEDERATED_TOKEN_FILE");
  });

  it("renders none of it for a copy without the certificate", () => {
    const { entra: _, ...identity } = entraCopy.identity;
    const plain = renderDataCopies({
      cluster: "dc1",
      image: IMAGE,
      pool: { name: "cpu" },
      trust: "private",
      copies: [{ ...entraCopy, identity }],
    });
    expect(JSON.stringify(plain)).not.toMatch(/initContainers|entra|client_certificate_path/);
    const cm = plain.find((o) => o.kind === "ConfigMap");
    expect(cm?.kind === "ConfigMap" ? cm.data["rclone.conf"] : "").toContain(
      "env_auth = true\naccount = mlstore",
    );
  });

  it("refuses a certificate file outside a mounted Secret's directory, and ids that are not GUIDs", () => {
    const store = (certificate: { tenant: string; clientId: string; file: string }) => ({
      source: { kind: "azure-blob" as const, account: "mlstore", certificate },
    });
    expect(() =>
      renderRcloneConfig(store({ tenant: TENANT, clientId: CLIENT, file: "/config/rclone/client.pem" })),
    ).toThrow(/not under \/var\/run\/secrets\//);
    expect(() =>
      renderRcloneConfig(
        store({ tenant: "contoso.onmicrosoft.com", clientId: CLIENT, file: "/var/run/secrets/x.pem" }),
      ),
    ).toThrow(/GUIDs/);
  });
});
