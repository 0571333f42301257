import { createHash } from "node:crypto";
import { SYSTEM_TAINT } from "../../facts";
import { MANAGED_BY } from "../labels";

// The shared shape of the collectors' objects: plain data with the API's own field names, so the
// same values go to Pulumi's typed resources and to schema validation in tests.

/** A Kubernetes object as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** The labels of one collector's objects and pods. */
export function appLabels(app: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": app,
    "app.kubernetes.io/part-of": "hybrid-ai-infra-monitoring",
    ...MANAGED_BY,
  };
}

/** What the restricted Pod Security profile asks of every container. */
export const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** The same for the pod: nobody's user and group. */
export const RESTRICTED_POD = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  fsGroup: 65534,
  seccompProfile: { type: "RuntimeDefault" },
};

/** Collectors may run on the system pool beside the other add-ons. */
export const SYSTEM_TOLERATIONS = [
  { key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect },
];

/** A short digest of configuration text, as a pod annotation, so a change rolls the pods. */
export function configDigest(...texts: string[]): string {
  const hash = createHash("sha256");
  for (const t of texts) hash.update(t).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** A ServiceAccount, with annotations where a cloud identity binds to it. */
export function serviceAccount(
  name: string,
  namespace: string,
  app: string,
  annotations: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name,
      namespace,
      labels: appLabels(app),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    // Only kube-state-metrics and Prometheus talk to the API server; they mount the token per pod.
    automountServiceAccountToken: false,
  };
}

/** A one-replica Deployment of one container. */
export function deployment(args: {
  name: string;
  namespace: string;
  app: string;
  serviceAccount: string;
  automountToken: boolean;
  container: Record<string, unknown>;
  volumes?: Record<string, unknown>[];
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  podSecurity?: Record<string, unknown>;
}): KubeObject {
  const labels = appLabels(args.app);
  const selector = { "app.kubernetes.io/name": args.app };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: args.name, namespace: args.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      // One replica: replace it rather than run two that double every series.
      strategy: { type: "Recreate" },
      template: {
        metadata: {
          labels: { ...labels, ...(args.podLabels ?? {}) },
          ...(args.podAnnotations ? { annotations: args.podAnnotations } : {}),
        },
        spec: {
          serviceAccountName: args.serviceAccount,
          automountServiceAccountToken: args.automountToken,
          nodeSelector: { "kubernetes.io/os": "linux" },
          tolerations: SYSTEM_TOLERATIONS,
          securityContext: args.podSecurity ?? RESTRICTED_POD,
          containers: [args.container],
          ...(args.volumes ? { volumes: args.volumes } : {}),
        },
      },
    },
  };
}

/** A ConfigMap. */
export function configMap(
  name: string,
  namespace: string,
  app: string,
  data: Record<string, string>,
): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace, labels: appLabels(app) }, data };
}
