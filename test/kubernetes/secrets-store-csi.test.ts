// Workload secrets through the Secrets Store CSI driver (issue 24, point 7's second store): chosen per
// cluster, a SecretProviderClass per secret, valid against the driver's CRD at v1.6.0 and holding
// exactly the parameters AWS's and Azure's providers read; the pod mounts it read-only.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv from "ajv";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  type ClusterFacts,
  clusterFactsIssues,
  type RenderedObject,
  renderPlacement,
  type WorkloadSpec,
} from "../../components/kubernetes";
import type { PlacementResult } from "../../components/placement";
import { targets } from "./fixtures";

// kubernetes-sigs/secrets-store-csi-driver v1.6.0 (4960f963), config/crd/bases.
const CRD = resolve(__dirname, "../crds/secrets-store-csi-driver/v1.6.0/secretproviderclasses.yaml");
// The object fields each provider unmarshals (aws provider/secret_descriptor.go SecretDescriptor at
// a74182c1; Azure pkg/provider/types/types.go KeyVaultObject at d5f7cf5b), and their parameters.
const AWS_OBJECT_FIELDS = [
  "objectName",
  "objectAlias",
  "objectVersion",
  "objectVersionLabel",
  "objectType",
  "filePermission",
  "jmesPath",
  "failoverObject",
];
const AWS_PARAMETERS = [
  "objects",
  "region",
  "failoverRegion",
  "pathTranslation",
  "usePodIdentity",
  "preferredAddressType",
];
const AZURE_OBJECT_FIELDS = [
  "objectName",
  "objectAlias",
  "objectVersion",
  "objectVersionHistory",
  "objectType",
  "objectFormat",
  "objectEncoding",
  "filePermission",
];
const AZURE_PARAMETERS = [
  "keyvaultName",
  "cloudName",
  "usePodIdentity",
  "useVMManagedIdentity",
  "userAssignedIdentityID",
  "tenantId",
  "cloudEnvFileName",
  "clientID",
  "useAzureTokenProxy",
  "objects",
];

/** The CRD's v1 schema, closed: an unknown field is an error here (the API server would prune it). */
function spcValidator() {
  const crd = parse(readFileSync(CRD, "utf8")) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
  };
  const v1 = crd.spec.versions.find((v) => v.name === "v1");
  if (!v1) throw new Error("no v1 in the vendored CRD");
  const close = (s: unknown): unknown => {
    if (Array.isArray(s)) return s.map(close);
    if (s === null || typeof s !== "object") return s;
    const o = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, close(v)])) as Record<string, unknown>;
    if (o.type === "object" && o.properties && o.additionalProperties === undefined)
      o.additionalProperties = false;
    return o;
  };
  return new Ajv({ strict: false, allErrors: true }).compile(
    close(v1.schema.openAPIV3Schema) as Record<string, unknown>,
  );
}
const validSpc = spcValidator();

const reader: WorkloadSpec = {
  name: "reader",
  kind: "service",
  replicas: 1,
  cpu: 1,
  memoryGiB: 1,
  classification: "internal",
  image: "registry.example.com/data/reader:1.0.0",
  owner: "data",
  serviceAccountName: "reader",
  secrets: [
    { name: "s3-credentials", store: "vault", remoteKey: "onprem-minio-reader", mountPath: "/etc/reader/s3" },
    { name: "tls", store: "vault", remoteKey: "reader-tls", mountPath: "/etc/reader/tls" },
  ],
};
const result: PlacementResult = {
  assignments: [{ workload: "reader", target: "dc1", pool: "cpu", replicas: 1 }],
  unplaced: [],
  packing: [],
  cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
  explanations: {},
  lock: { version: 1, assignments: [] },
  solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
};
const AWS: ClusterFacts = {
  secrets: { driver: "secrets-store-csi", provider: "aws", region: "eu-central-1" },
};
const AZURE: ClusterFacts = {
  secrets: {
    driver: "secrets-store-csi",
    provider: "azure",
    keyvaultName: "kv-dc1-secrets",
    tenantId: "8d1b1a8e-5c3f-4d59-9a0e-2f7c6b4e1a90",
    clientID: "2b6a1c0e-7f4d-4e3b-8a9c-1d2e3f4a5b6c",
  },
};
const render = (facts: ClusterFacts | undefined, workload: WorkloadSpec = reader): RenderedObject[] =>
  renderPlacement({
    result,
    workloads: [workload],
    targets,
    ...(facts ? { clusters: { dc1: facts } } : {}),
  })[0]?.objects ?? [];
const classes = (objects: RenderedObject[]) =>
  objects.flatMap((o) => (o.kind === "SecretProviderClass" ? [o] : []));
const paths = { workload: (n: string) => `workloads.${n}`, facts: (t: string) => `clusters.${t}` };

describe("secrets through the Secrets Store CSI driver", () => {
  it("renders AWS SecretProviderClasses the CRD and AWS's provider accept, and no ExternalSecret", () => {
    const objects = render(AWS);
    expect(objects.some((o) => o.kind === "ExternalSecret")).toBe(false);
    const spcs = classes(objects);
    expect(spcs.map((o) => o.metadata.name)).toEqual(["s3-credentials", "tls"]);
    for (const spc of spcs) {
      expect(validSpc(spc), JSON.stringify(validSpc.errors)).toBe(true);
      expect(spc.spec.provider).toBe("aws");
      for (const key of Object.keys(spc.spec.parameters)) expect(AWS_PARAMETERS).toContain(key);
      expect(spc.spec.parameters.usePodIdentity).toBe("true");
      expect(spc.spec.parameters.region).toBe("eu-central-1");
      const objectsParam = parse(spc.spec.parameters.objects ?? "") as Record<string, unknown>[];
      for (const o of objectsParam)
        for (const key of Object.keys(o)) expect(AWS_OBJECT_FIELDS).toContain(key);
      expect(objectsParam).toEqual([
        {
          objectName: spc.metadata.name === "tls" ? "reader-tls" : "onprem-minio-reader",
          objectType: "secretsmanager",
          objectAlias: spc.metadata.name,
        },
      ]);
    }
    // IRSA instead of Pod Identity.
    const irsa = classes(
      render({ secrets: { driver: "secrets-store-csi", provider: "aws", identity: "irsa" } }),
    );
    expect(irsa[0]?.spec.parameters.usePodIdentity).toBe("false");
  });

  it("renders Azure SecretProviderClasses with the vault, tenant and workload identity", () => {
    const spcs = classes(render(AZURE));
    expect(spcs).toHaveLength(2);
    for (const spc of spcs) {
      expect(validSpc(spc), JSON.stringify(validSpc.errors)).toBe(true);
      expect(spc.spec.provider).toBe("azure");
      for (const key of Object.keys(spc.spec.parameters)) expect(AZURE_PARAMETERS).toContain(key);
      expect(spc.spec.parameters).toMatchObject({
        usePodIdentity: "false",
        keyvaultName: "kv-dc1-secrets",
        tenantId: "8d1b1a8e-5c3f-4d59-9a0e-2f7c6b4e1a90",
        clientID: "2b6a1c0e-7f4d-4e3b-8a9c-1d2e3f4a5b6c",
      });
      // Azure's provider reads `objects` as {array: [one YAML document per object]}.
      const array = (parse(spc.spec.parameters.objects ?? "") as { array: string[] }).array;
      const parsed = array.map((doc) => parse(doc) as Record<string, unknown>);
      for (const o of parsed) for (const key of Object.keys(o)) expect(AZURE_OBJECT_FIELDS).toContain(key);
      expect(parsed).toEqual([
        {
          objectName: spc.metadata.name === "tls" ? "reader-tls" : "onprem-minio-reader",
          objectType: "secret",
          objectAlias: spc.metadata.name,
        },
      ]);
    }
    // The workload's own identity where the cluster names none.
    const { clientID: _c, ...noClient } = AZURE.secrets as Extract<
      ClusterFacts["secrets"],
      { provider: "azure" }
    >;
    const own = renderPlacement({
      result,
      workloads: [reader],
      targets,
      clusters: { dc1: { secrets: noClient } },
      serviceAccountAnnotations: {
        reader: { "azure.workload.identity/client-id": "0f0e0d0c-0b0a-4908-8706-050403020100" },
      },
    })[0]?.objects;
    expect(classes(own ?? [])[0]?.spec.parameters.clientID).toBe("0f0e0d0c-0b0a-4908-8706-050403020100");
  });

  it("mounts each secret as a read-only CSI volume naming its class", () => {
    const d = render(AWS).find((o) => o.kind === "Deployment");
    if (d?.kind !== "Deployment") throw new Error("no Deployment");
    new Deployment(d as never).validate();
    const pod = d.spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: "secret-tls",
      csi: {
        driver: "secrets-store.csi.k8s.io",
        readOnly: true,
        volumeAttributes: { secretProviderClass: "tls" },
      },
    });
    expect(pod.containers[0]?.volumeMounts).toContainEqual({
      name: "secret-tls",
      mountPath: "/etc/reader/tls",
      readOnly: true,
    });
    expect(pod.volumes.some((v) => "secret" in v)).toBe(false);
    // The default driver is unchanged: ExternalSecrets and Secret volumes.
    const eso = render(undefined);
    expect(classes(eso)).toEqual([]);
    expect(eso.filter((o) => o.kind === "ExternalSecret")).toHaveLength(2);
  });

  it("refuses what the driver cannot deliver, by path", () => {
    const loose: WorkloadSpec = {
      ...reader,
      serviceAccountName: undefined,
      secrets: [
        { name: "env", store: "vault", remoteKey: "a/b" },
        { name: "pull", store: "vault", remoteKey: "registry", type: "registry" },
      ],
      imagePullSecrets: ["pull"],
    };
    const { serviceAccountName: _sa, ...withoutAccount } = loose;
    const aws = clusterFactsIssues(result, [withoutAccount], { dc1: AWS }, paths).map((i) => i.path);
    expect(aws).toEqual([
      "workloads.reader.secrets[0].mountPath",
      "workloads.reader.secrets[1].type",
      "workloads.reader.serviceAccountName",
    ]);
    // Key Vault names take no slash; the Azure provider needs a client ID from somewhere.
    const { clientID: _c, ...noClient } = AZURE.secrets as Extract<
      ClusterFacts["secrets"],
      { provider: "azure" }
    >;
    const azure = clusterFactsIssues(
      result,
      [{ ...reader, secrets: [{ name: "s", store: "vault", remoteKey: "a/b", mountPath: "/etc/s" }] }],
      { dc1: { secrets: noClient } },
      paths,
    ).map((i) => i.path);
    expect(azure).toEqual(["workloads.reader.secrets[0].remoteKey", "clusters.dc1.secrets.clientID"]);
    expect(clusterFactsIssues(result, [reader], { dc1: AZURE }, paths)).toEqual([]);
  });

  it("the CRD check catches a misspelt field", () => {
    const spc = classes(render(AWS))[0];
    expect(validSpc({ ...spc, spec: { ...spc?.spec, providr: "aws" } })).toBe(false);
    expect(validSpc({ ...spc, spec: { ...spc?.spec, parameters: { region: 1 } } })).toBe(false);
  });
});
