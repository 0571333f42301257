// The Kueue add-on against the release it pins: the CRDs it ships are the vendored ones, and every
// object it keeps from the install manifest is the release's, changed only where the add-on says.
import { resolve } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KUEUE_IMAGE, KUEUE_NAMES } from "../../components/facts";
import { KUEUE_CRDS_BROTLI_BASE64 } from "../../components/kubernetes/addons/kueue-crds.generated";
import {
  KUEUE_DROPPED_API_GROUPS,
  KUEUE_MANAGER_RULES,
  kueueCrds,
  renderKueue,
} from "../../components/kubernetes/internal";
import { shippedCrds, vendoredCrdDir, vendoredInstallObjects } from "../helpers/kueue-vendor";

const root = resolve(__dirname, "../..");
type Json = Record<string, any>;
const upstream = vendoredInstallObjects(root) as Json[];
const find = (objects: Json[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as Json;
const rendered = renderKueue({ image: KUEUE_IMAGE, clusterName: "dc1", systemPool: true }) as Json[];

describe("the Kueue add-on", () => {
  it("ships the vendored release's CRDs (regenerate with scripts/kueue/vendor-crds.ts when this fails)", () => {
    const shipped = JSON.parse(
      brotliDecompressSync(Buffer.from(KUEUE_CRDS_BROTLI_BASE64, "base64")).toString(),
    );
    expect(shipped).toEqual(shippedCrds(vendoredCrdDir(root)));
    expect(shipped).toHaveLength(11);
  });

  it("declares each CRD with the release's schemas, and the release's conversion webhook where it has one", () => {
    const vendored = new Map(shippedCrds(vendoredCrdDir(root)).map((c: Json) => [c.metadata.name, c]));
    for (const crd of kueueCrds() as Json[]) {
      const original = vendored.get(crd.metadata.name) as Json;
      expect(crd.spec.versions).toEqual(original.spec.versions);
      expect(crd.spec.names).toEqual(original.spec.names);
      // The install manifest adds the conversion stanza (kustomize's webhook patches) to exactly these.
      expect(crd.spec.conversion, crd.metadata.name).toEqual(upstreamCrdConversion(crd.metadata.name));
    }
  });

  it("never declares a caBundle or the certificate Secret's data: Kueue's rotator owns both", () => {
    expect(JSON.stringify(rendered)).not.toContain("caBundle");
    const secret = find(rendered, "Secret", KUEUE_NAMES.webhookSecret);
    expect(secret).toBeDefined();
    expect(Object.keys(secret).sort()).toEqual(["apiVersion", "kind", "metadata"]);
  });

  it("grants the release's manager role less only the rules of the frameworks it leaves off", () => {
    const role = find(upstream, "ClusterRole", "kueue-manager-role");
    const kept = role.rules.filter(
      (r: Json) =>
        !r.apiGroups.some((g: string) => (KUEUE_DROPPED_API_GROUPS as readonly string[]).includes(g)),
    );
    expect(KUEUE_MANAGER_RULES).toEqual(kept);
    expect(role.rules.length - kept.length).toBeGreaterThan(10);
    expect(find(rendered, "ClusterRole", "kueue-manager-role").rules).toEqual(kept);
  });

  it("keeps exactly the release's Job and Kueue-object webhooks, failing closed, and none for pods or services", () => {
    for (const kind of ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]) {
      const ours = rendered.find((o) => o.kind === kind) as Json;
      const theirs = upstream.find((o) => o.kind === kind) as Json;
      expect(ours.metadata.name).toBe(theirs.metadata.name);
      for (const hook of ours.webhooks) {
        expect(hook, hook.name).toEqual(theirs.webhooks.find((w: Json) => w.name === hook.name));
        expect(hook.failurePolicy).toBe("Fail");
      }
      expect(ours.webhooks.map((w: Json) => w.name).join(",")).not.toMatch(/pod|deployment|statefulset/);
    }
  });

  it("runs the release's controller, twice, on the system pool at system priority, with the release's probes and security context", () => {
    const ours = find(rendered, "Deployment", KUEUE_NAMES.deployment).spec.template.spec;
    const theirs = find(upstream, "Deployment", KUEUE_NAMES.deployment).spec.template.spec;
    const [mine, release] = [ours.containers[0], theirs.containers[0]];
    for (const field of ["command", "args", "livenessProbe", "readinessProbe", "resources"])
      expect(mine[field], field).toEqual(release[field]);
    expect(mine.securityContext).toMatchObject(release.securityContext);
    expect(release.image).toBe(KUEUE_IMAGE);
    expect(mine.image).toBe(KUEUE_IMAGE);
    expect(find(rendered, "Deployment", KUEUE_NAMES.deployment).spec.replicas).toBe(2);
    expect(ours.priorityClassName).toBe("system-cluster-critical");
    expect(ours.nodeSelector["hybrid-ai-infra.io/pool"]).toBe("system");
    expect(ours.tolerations).toEqual([
      { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" },
    ]);
    // The visibility server is off: no port, no volume, no APIService.
    expect(JSON.stringify(ours)).not.toContain("visibility");
    expect(rendered.some((o) => o.kind === "APIService")).toBe(false);
  });

  it("configures batch Jobs only, the certificate names the objects keep, and keys the v1beta2 Configuration knows", () => {
    const config = parse(
      find(rendered, "ConfigMap", KUEUE_NAMES.configMap).data[KUEUE_NAMES.configKey],
    ) as Json;
    expect(config.integrations).toEqual({ frameworks: ["batch/job"] });
    expect(config.internalCertManagement).toEqual({
      enable: true,
      webhookServiceName: KUEUE_NAMES.webhookService,
      webhookSecretName: KUEUE_NAMES.webhookSecret,
    });
    expect(config.multiKueue.origin).toBe("dc1");
    // apis/config/v1beta2/configuration_types.go at v0.19.2: decoded strictly, an unknown key stops Kueue.
    const known = [
      "apiVersion",
      "kind",
      "namespace",
      "manageJobsWithoutQueueName",
      "managedJobsNamespaceSelector",
      "internalCertManagement",
      "waitForPodsReady",
      "clientConnection",
      "integrations",
      "multiKueue",
      "fairSharing",
      "admissionFairSharing",
      "resources",
      "featureGates",
      "objectRetentionPolicies",
      "visibilityServer",
      "webhook",
      "leaderElection",
      "metrics",
      "health",
      "pprofBindAddress",
      "controller",
      "tls",
    ];
    expect(Object.keys(config).filter((k) => !known.includes(k))).toEqual([]);
  });

  it("denies all traffic in its namespace but the webhook port and the controller's API calls", () => {
    const policies = rendered.filter((o) => o.kind === "NetworkPolicy");
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      "allow-controller",
      "allow-webhook",
      "default-deny",
    ]);
    const webhook = policies.find((p) => p.metadata.name === "allow-webhook") as Json;
    expect(webhook.spec.ingress).toEqual([{ ports: [{ protocol: "TCP", port: 9443 }] }]);
  });
});

/** The install manifest's conversion stanza of one CRD (kustomize's patches), or undefined. */
function upstreamCrdConversion(name: string): unknown {
  const converted = [
    "clusterqueues.kueue.x-k8s.io",
    "cohorts.kueue.x-k8s.io",
    "localqueues.kueue.x-k8s.io",
    "multikueueclusters.kueue.x-k8s.io",
    "workloads.kueue.x-k8s.io",
  ];
  return converted.includes(name)
    ? {
        strategy: "Webhook",
        webhook: {
          clientConfig: {
            service: { name: "kueue-webhook-service", namespace: "kueue-system", path: "/convert" },
          },
          conversionReviewVersions: ["v1"],
        },
      }
    : undefined;
}
