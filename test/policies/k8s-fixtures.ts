// Kubernetes inputs as the library renders them (copied from the prod plan: a PlacedWorkloads
// Deployment, the NVIDIA device plugin, a namespace with its policies), and helpers that change
// one thing about them.

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const DAEMON_SET = "kubernetes:apps/v1:DaemonSet";
export const POD = "kubernetes:core/v1:Pod";
export const JOB = "kubernetes:batch/v1:Job";
export const CRON_JOB = "kubernetes:batch/v1:CronJob";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
export const SERVICE = "kubernetes:core/v1:Service";

type Props = Record<string, unknown>;

/** A container as PlacedWorkloads renders it. */
export const container = (over: Props = {}): Props => ({
  name: "notes-summariser",
  image: "registry.internal.example.com/clinical-ai/summariser:0.7.3",
  env: [
    { name: "HOME", value: "/home/workload" },
    { name: "XDG_CACHE_HOME", value: "/home/workload/.cache" },
  ],
  ports: [{ containerPort: 8000, name: "http", protocol: "TCP" }],
  resources: {
    limits: { cpu: "8000m", memory: "65536Mi", "nvidia.com/gpu": "1" },
    requests: { cpu: "8000m", memory: "65536Mi", "nvidia.com/gpu": "1" },
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  },
  volumeMounts: [
    { mountPath: "/tmp", name: "tmp" },
    { mountPath: "/home/workload", name: "home" },
  ],
  ...over,
});

/** A container with `securityContext` fields changed (undefined removes one). */
export const withContext = (over: Props): Props => {
  const base = container();
  const context = { ...(base.securityContext as Props), ...over };
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete context[k];
  return { ...base, securityContext: context };
};

/** A pod spec as PlacedWorkloads renders it. */
export const podSpec = (over: Props = {}): Props => ({
  automountServiceAccountToken: false,
  containers: [container()],
  nodeSelector: { "hybrid-ai-infra.io/pool": "a100", "hybrid-ai-infra.io/trust": "private" },
  securityContext: {
    fsGroup: 65532,
    runAsGroup: 65532,
    runAsNonRoot: true,
    runAsUser: 65532,
    seccompProfile: { type: "RuntimeDefault" },
  },
  serviceAccountName: "notes-summariser",
  terminationGracePeriodSeconds: 30,
  tolerations: [{ effect: "NoSchedule", key: "nvidia.com/gpu", operator: "Equal", value: "true" }],
  volumes: [
    { emptyDir: {}, name: "tmp" },
    { emptyDir: {}, name: "home" },
  ],
  ...over,
});

/** Placement records for a private target. */
export const PRIVATE_PLACEMENT = {
  "placement.hybrid-ai-infra.io/classification": "restricted",
  "placement.hybrid-ai-infra.io/target": "dc1",
  "placement.hybrid-ai-infra.io/trust": "private",
};

/** A Deployment as PlacedWorkloads renders it (restricted data, placed on a private target). */
export const deployment = (spec: Props = {}, meta: Props = {}, template: Props = {}): Props => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "notes-summariser",
    namespace: "clinical-ai",
    labels: { "hybrid-ai-infra.io/data-classification": "restricted" },
    annotations: PRIVATE_PLACEMENT,
    ...meta,
  },
  spec: {
    replicas: 2,
    selector: { matchLabels: { "hybrid-ai-infra.io/workload": "notes-summariser" } },
    template: {
      metadata: {
        labels: {
          "hybrid-ai-infra.io/workload": "notes-summariser",
          "hybrid-ai-infra.io/data-classification": "restricted",
        },
        annotations: PRIVATE_PLACEMENT,
        ...template,
      },
      spec: podSpec(spec),
    },
  },
});

/** The same pod as a bare Pod. */
export const pod = (spec: Props = {}, meta: Props = {}): Props => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "notes-summariser",
    namespace: "clinical-ai",
    labels: { "hybrid-ai-infra.io/data-classification": "restricted" },
    annotations: PRIVATE_PLACEMENT,
    ...meta,
  },
  spec: podSpec(spec),
});

/** The same pod under a CronJob. */
export const cronJob = (spec: Props = {}): Props => ({
  metadata: { name: "nightly", namespace: "clinical-ai" },
  spec: {
    schedule: "0 2 * * *",
    jobTemplate: {
      spec: { template: { metadata: { annotations: PRIVATE_PLACEMENT }, spec: podSpec(spec) } },
    },
  },
});

/** The NVIDIA device plugin as the library renders it, and the URN it is declared under. */
export const NVIDIA_PLUGIN_URN =
  "urn:pulumi:prod::hybrid-ai-infra-cluster::hybrid-ai-infra:index:ClusterAddons$hybrid-ai-infra:index:NvidiaDevicePlugin$kubernetes:apps/v1:DaemonSet::eks-addons-nvidia-device-plugin";
export const nvidiaPlugin = (over: Props = {}, namespace = "kube-system"): Props => ({
  apiVersion: "apps/v1",
  kind: "DaemonSet",
  metadata: {
    labels: {
      "app.kubernetes.io/managed-by": "hybrid-ai-infra",
      "app.kubernetes.io/name": "nvidia-device-plugin",
    },
    name: "eks-addons-nvidia-device-plugin",
    namespace,
  },
  spec: {
    selector: { matchLabels: { "app.kubernetes.io/name": "nvidia-device-plugin" } },
    template: {
      metadata: { labels: { "app.kubernetes.io/name": "nvidia-device-plugin" } },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          {
            image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0",
            name: "nvidia-device-plugin",
            resources: { requests: { cpu: "50m", memory: "64Mi" } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            volumeMounts: [{ mountPath: "/var/lib/kubelet/device-plugins", name: "device-plugin" }],
          },
        ],
        nodeSelector: { "kubernetes.io/os": "linux" },
        priorityClassName: "system-node-critical",
        tolerations: [{ effect: "NoSchedule", key: "nvidia.com/gpu", operator: "Exists" }],
        volumes: [{ hostPath: { path: "/var/lib/kubelet/device-plugins" }, name: "device-plugin" }],
        ...over,
      },
    },
  },
});

/** A Namespace as PlacedWorkloads declares it. */
export const namespace = (name: string, classification?: string): Props => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name,
    labels: {
      "app.kubernetes.io/managed-by": "hybrid-ai-infra",
      "pod-security.kubernetes.io/enforce": "restricted",
      ...(classification ? { "hybrid-ai-infra.io/data-classification": classification } : {}),
    },
  },
});

/** The default-deny PlacedWorkloads declares in each namespace. */
export const defaultDeny = (ns: string): Props => ({
  metadata: { name: "default-deny", namespace: ns },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
});

/** A policy letting `selector`'s pods out to `to` (peers). */
export const egressPolicy = (ns: string, name: string, to: unknown[], extra: Props = {}): Props => ({
  metadata: { name, namespace: ns },
  spec: {
    podSelector: { matchLabels: { "hybrid-ai-infra.io/workload": "patient-finetune" } },
    policyTypes: ["Egress"],
    egress: [{ ports: [{ port: 443, protocol: "TCP" }], to }],
    ...extra,
  },
});
