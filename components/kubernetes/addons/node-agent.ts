import { LABEL_POOL } from "../../facts";
import type { DaemonSetObject, Toleration } from "../objects";

// Device plugins are node agents: a DaemonSet on exactly the nodes of some pools, at node-critical
// priority, talking to the kubelet through host paths. Both plugins render through this one shape.

/** A host directory a node agent mounts at the same path. */
export interface HostPath {
  name: string;
  path: string;
  /** The kubelet's check before mounting; "DirectoryOrCreate" where the node may lack it. */
  type?: "Directory" | "DirectoryOrCreate";
}

/** What differs between node agents. */
export interface NodeAgent {
  /** The DaemonSet's name, a DNS label. */
  name: string;
  namespace: string;
  /** `app.kubernetes.io/name`, so every instance of one agent shares a label. */
  app: string;
  image: string;
  /**
   * Pools whose nodes run the agent (by `LABEL_POOL`). An agent with no pools selects nodes that
   * carry `fallbackLabel` instead.
   */
  pools?: string[];
  fallbackLabel: string;
  tolerations: Toleration[];
  env?: { name: string; value: string }[];
  requests: { cpu: string; memory: string };
  securityContext: DaemonSetObject["spec"]["template"]["spec"]["containers"][number]["securityContext"];
  hostNetwork?: boolean;
  hostPaths: HostPath[];
}

/** The node agent's DaemonSet as plain data (the API's own field names). */
export function renderNodeAgent(agent: NodeAgent): DaemonSetObject {
  const selector = { "app.kubernetes.io/name": agent.app, "app.kubernetes.io/instance": agent.name };
  const labels = { ...selector, "app.kubernetes.io/managed-by": "hybrid-ai-infra" };
  const match =
    agent.pools && agent.pools.length > 0
      ? { key: LABEL_POOL, operator: "In", values: [...agent.pools].sort() }
      : { key: agent.fallbackLabel, operator: "Exists" };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: agent.name, namespace: agent.namespace, labels },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { "kubernetes.io/os": "linux" },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [match] }],
              },
            },
          },
          tolerations: agent.tolerations,
          // Evicting it under node pressure would strand every pod that uses the node's devices.
          priorityClassName: "system-node-critical",
          // It talks to the kubelet through host paths, never to the API server.
          automountServiceAccountToken: false,
          ...(agent.hostNetwork ? { hostNetwork: true } : {}),
          containers: [
            {
              name: agent.app,
              image: agent.image,
              ...(agent.env && agent.env.length > 0 ? { env: agent.env } : {}),
              // Requests only: a memory limit could OOM-kill the agent, and with it every device on the node.
              resources: { requests: { cpu: agent.requests.cpu, memory: agent.requests.memory } },
              securityContext: agent.securityContext,
              volumeMounts: agent.hostPaths.map((h) => ({ name: h.name, mountPath: h.path })),
            },
          ],
          volumes: agent.hostPaths.map((h) => ({
            name: h.name,
            hostPath: { path: h.path, ...(h.type ? { type: h.type } : {}) },
          })),
        },
      },
    },
  };
}

/** Tolerations for `taints`, each matching any value, de-duplicated and in a stable order. */
export function tolerationsFor(taints: { key: string; value?: string; effect: string }[]): Toleration[] {
  const seen = new Map<string, Toleration>();
  for (const t of taints) {
    const exact = t.value !== undefined;
    const toleration: Toleration = exact
      ? { key: t.key, operator: "Equal", value: t.value, effect: t.effect }
      : { key: t.key, operator: "Exists", effect: t.effect };
    seen.set(`${t.key}|${t.value ?? "*"}|${t.effect}`, toleration);
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, t]) => t);
}
