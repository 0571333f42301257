// Secrets for workloads (issue 24, point 7): references to a store the External Secrets Operator
// reads, never values; pull secrets the same update creates.
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { describe, expect, it } from "vitest";
import { ConfigError, parseCatalog, renderPlacement, type WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult } from "../../components/placement";
import { targets } from "./fixtures";

const reader: WorkloadSpec = {
  name: "reader",
  kind: "service",
  replicas: 1,
  cpu: 1,
  memoryGiB: 1,
  classification: "internal",
  image: "registry.example.com/data/reader:1.0.0",
  owner: "data",
  secrets: [
    { name: "s3-credentials", store: "vault", remoteKey: "onprem/minio/reader" },
    { name: "tls", store: "vault", remoteKey: "onprem/reader/tls", mountPath: "/etc/reader/tls" },
    {
      name: "pull",
      store: "team-store",
      storeKind: "SecretStore",
      remoteKey: "registry/data",
      type: "registry",
    },
  ],
  imagePullSecrets: ["pull"],
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
const objects = renderPlacement({ result, workloads: [reader], targets })[0]?.objects ?? [];

describe("workload secrets", () => {
  it("renders an ExternalSecret per secret, valid against the operator's schema", () => {
    const externals = objects.filter((o) => o.kind === "ExternalSecret");
    expect(externals.map((o) => o.metadata.name)).toEqual(["s3-credentials", "tls", "pull"]);
    for (const o of externals) {
      if (o.kind !== "ExternalSecret") continue;
      // external-secrets.io/v1's ExternalSecretSpec has the same secretStoreRef, refreshInterval,
      // target and dataFrom as v1beta1, whose published schema this package carries.
      new ExternalSecret({ ...o, apiVersion: "external-secrets.io/v1beta1" } as never).validate();
    }
    const pull = externals.find((o) => o.metadata.name === "pull");
    expect(pull?.kind === "ExternalSecret" && pull.spec).toMatchObject({
      secretStoreRef: { name: "team-store", kind: "SecretStore" },
      target: { name: "pull", template: { type: "kubernetes.io/dockerconfigjson" } },
      dataFrom: [{ extract: { key: "registry/data" } }],
    });
  });

  it("gives the pod the secrets as environment, read-only files and pull secrets", () => {
    const d = objects.find((o) => o.kind === "Deployment");
    if (d?.kind !== "Deployment") throw new Error("no Deployment");
    new Deployment(d as never).validate();
    const pod = d.spec.template.spec;
    expect(pod.containers[0]?.envFrom).toEqual([{ secretRef: { name: "s3-credentials" } }]);
    expect(pod.volumes).toContainEqual({
      name: "secret-tls",
      secret: { secretName: "tls", defaultMode: 0o440 },
    });
    expect(pod.containers[0]?.volumeMounts).toContainEqual({
      name: "secret-tls",
      mountPath: "/etc/reader/tls",
      readOnly: true,
    });
    expect(pod.imagePullSecrets).toEqual([{ name: "pull" }]);
  });

  it("refuses a pull secret no one provides, by path", () => {
    let issues: readonly { path: string }[] = [];
    try {
      parseCatalog(`workloads:
  - name: web
    kind: service
    replicas: 1
    owner: web
    image: registry.example.com/web/app:1.0.0
    cpu: 1
    memoryGiB: 1
    classification: internal
    imagePullSecrets: [regcred]
`);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      issues = e.issues;
    }
    expect(issues.map((i) => i.path)).toEqual(["workloads[0].imagePullSecrets[0]"]);
  });
});
