import { parse, stringify } from "yaml";
import { KUEUE_NAMES, MULTIKUEUE_KUBECONFIG_KEY } from "../../facts";
import { MANAGED_BY } from "../labels";
import type { WorkerCredential } from "./render";

// A MultiKueue manager reaches each worker's API server (over the VPN links, at its private name)
// as a ServiceAccount of the worker's: Kueue refuses kubeconfigs with exec plugins (`aws eks
// get-token`, `kubelogin`), token files or CA files (multikueuecluster.go validateKubeconfig), so
// the kubeconfig holds the worker's server, its CA as data and the ServiceAccount's token, and
// lives only in a Secret in the manager's Kueue namespace.

/** What the ServiceAccount may do on the worker: create and follow the dispatched Jobs and their Workloads. */
export const MULTIKUEUE_WORKER_RULES = [
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete", "get", "list", "watch"] },
  { apiGroups: ["batch"], resources: ["jobs/status"], verbs: ["get"] },
  {
    apiGroups: ["kueue.x-k8s.io"],
    resources: ["workloads"],
    verbs: ["create", "delete", "get", "list", "watch", "update", "patch"],
  },
  { apiGroups: ["kueue.x-k8s.io"], resources: ["workloads/status"], verbs: ["get", "patch", "update"] },
  {
    apiGroups: ["kueue.x-k8s.io"],
    resources: ["clusterqueues", "localqueues"],
    verbs: ["get", "list", "watch"],
  },
];

/** The worker's side as plain objects: the ServiceAccount, its role, and a Secret Kubernetes fills with its token. */
export function workerIdentity(c: WorkerCredential, namespace: string = KUEUE_NAMES.namespace) {
  const labels = { ...MANAGED_BY };
  return {
    serviceAccount: {
      metadata: { name: c.serviceAccount, namespace, labels },
      automountServiceAccountToken: false,
    },
    clusterRole: { metadata: { name: c.serviceAccount, labels }, rules: MULTIKUEUE_WORKER_RULES },
    clusterRoleBinding: {
      metadata: { name: c.serviceAccount, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: c.serviceAccount },
      subjects: [{ kind: "ServiceAccount", name: c.serviceAccount, namespace }],
    },
    // A long-lived token for a client outside the cluster; rotate it by replacing this Secret (the
    // manager's copy follows in the same update and Kueue reconnects: it watches the Secret).
    tokenSecret: {
      metadata: {
        name: `${c.serviceAccount}-token`,
        namespace,
        labels,
        annotations: { "kubernetes.io/service-account.name": c.serviceAccount },
      },
      type: "kubernetes.io/service-account-token",
    },
  };
}

interface KubeconfigCluster {
  name?: string;
  cluster?: { server?: string; "certificate-authority-data"?: string; "certificate-authority"?: string };
}

/**
 * The kubeconfig the manager uses for `worker`: the server and CA data of the worker's own
 * kubeconfig (as the platform phase exports it), authenticated by the ServiceAccount's token. Throws
 * where Kueue would refuse it (no server, a CA file instead of data).
 */
export function multiKueueKubeconfig(worker: string, platformKubeconfig: string, token: string): string {
  const source = parse(platformKubeconfig) as { clusters?: KubeconfigCluster[]; "current-context"?: string };
  const cluster = source.clusters?.[0]?.cluster;
  if (!cluster?.server) throw new Error(`MultiKueue: the kubeconfig of ${worker} names no server`);
  const ca = cluster["certificate-authority-data"];
  if (!ca)
    throw new Error(
      `MultiKueue: the kubeconfig of ${worker} has no certificate-authority-data (Kueue refuses a CA file); export the CA as data`,
    );
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: worker, cluster: { server: cluster.server, "certificate-authority-data": ca } }],
    users: [{ name: "multikueue", user: { token } }],
    contexts: [{ name: worker, context: { cluster: worker, user: "multikueue" } }],
    "current-context": worker,
  });
}

/** The manager's Secret holding a worker's kubeconfig, where MultiKueue reads it. */
export function managerSecret(c: WorkerCredential, namespace: string = KUEUE_NAMES.namespace) {
  return {
    metadata: { name: c.secret, namespace, labels: { ...MANAGED_BY } },
    type: "Opaque",
    key: MULTIKUEUE_KUBECONFIG_KEY,
  };
}
