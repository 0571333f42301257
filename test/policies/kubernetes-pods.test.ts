// Pod Security over every pod-bearing kind: each rule on the library's own workloads, on every
// spelling of each mistake (kinds, API versions, lists, patches; containers, init containers and
// ephemeral containers; pod-level and container-level settings), and the add-on waivers, which
// only the library's own add-ons get, recognised by identity (declaring component, kind,
// namespace, image) and never by a namespace, label or name a workload gives itself.
import { describe, expect, it } from "vitest";
import { renderClusterMetrics } from "../../components/kubernetes/internal";
import {
  FAMILY,
  k8sAllowedRegistries,
  k8sCapabilities,
  k8sHighUid,
  k8sImageDigest,
  k8sImagePinned,
  k8sNoDashboardOrTiller,
  k8sNoDefaultNamespace,
  k8sNoGitSyncOverride,
  k8sNoHostNamespaces,
  k8sNoHostPath,
  k8sNoHostPorts,
  k8sNoPlaintextSecrets,
  k8sNoPrivileged,
  k8sNoPrivilegeEscalation,
  k8sNoUnsafeKernelSettings,
  k8sReadOnlyRootFilesystem,
  k8sRequestsLimits,
  k8sRunAsNonRoot,
  k8sSeccomp,
  k8sSecretsAsFiles,
  k8sServiceAccountToken,
} from "../../policies/rules/kubernetes-pods";
import { type Case, ruleCases } from "./cases";
import { judge, UNKNOWN_INPUT, violations } from "./evaluate";
import {
  CRON_JOB,
  container,
  cronJob,
  DAEMON_SET,
  DEPLOYMENT,
  deployment,
  JOB,
  NVIDIA_PLUGIN_URN,
  nvidiaPlugin,
  POD,
  pod,
  SERVICE,
  STATEFUL_SET,
  withContext,
} from "./k8s-fixtures";

/** The library's workloads in each pod-bearing shape: every rule passes them. */
const GOOD: Case[] = [
  { name: "the library's Deployment", type: DEPLOYMENT, props: deployment() },
  { name: "the same pod as a Pod", type: POD, props: pod() },
  { name: "the same pod under a CronJob", type: CRON_JOB, props: cronJob() },
  { name: "the same pod under a Job", type: JOB, props: { ...deployment(), kind: "Job" } },
  { name: "the same pod under a StatefulSet", type: STATEFUL_SET, props: deployment() },
];

describe("the library's own workloads", () => {
  // The library pins images by tag; k8s-image-digest is off in every stack's config.
  for (const rule of FAMILY.rules.filter((r) => r !== k8sImageDigest))
    it(`pass ${rule.name}`, async () => {
      for (const c of GOOD) expect(await violations(rule, c.type, c.props), c.name).toEqual([]);
      expect(await violations(rule, DAEMON_SET, nvidiaPlugin(), {}, NVIDIA_PLUGIN_URN)).toEqual([]);
    });
});

const ctx = (over: Record<string, unknown>) => deployment({ containers: [withContext(over)] });

ruleCases(k8sNoPrivileged, [
  ...GOOD,
  {
    name: "privileged: true",
    type: DEPLOYMENT,
    props: ctx({ privileged: true }),
    fails: ["containers[0] (notes-summariser) is privileged"],
    explicit: true,
  },
  {
    name: 'privileged: "true" in an init container',
    type: POD,
    props: pod({ initContainers: [withContext({ privileged: "true" })] }),
    fails: ["initContainers[0]"],
    explicit: true,
  },
  {
    name: "privileged in an ephemeral container",
    type: POD,
    props: pod({ ephemeralContainers: [withContext({ privileged: true })] }),
    fails: ["ephemeralContainers[0]"],
    explicit: true,
  },
  {
    name: "privileged under a CronJob",
    type: CRON_JOB,
    props: cronJob({ containers: [withContext({ privileged: true })] }),
    fails: ["is privileged"],
    explicit: true,
  },
]);

ruleCases(k8sNoHostNamespaces, [
  ...GOOD,
  {
    name: "hostNetwork",
    type: DEPLOYMENT,
    props: deployment({ hostNetwork: true }),
    fails: ["hostNetwork is true"],
    explicit: true,
  },
  {
    name: "hostPID and hostIPC",
    type: POD,
    props: pod({ hostPID: true, hostIPC: "true" }),
    fails: ["hostPID", "hostIPC"],
    explicit: true,
  },
  {
    name: "hostNetwork in a DaemonSet",
    type: DAEMON_SET,
    props: deployment({ hostNetwork: true }),
    fails: ["hostNetwork"],
    explicit: true,
  },
  { name: "hostNetwork: false", type: DEPLOYMENT, props: deployment({ hostNetwork: false }) },
]);

ruleCases(k8sNoPrivilegeEscalation, [
  ...GOOD,
  {
    name: "allowPrivilegeEscalation: true",
    type: DEPLOYMENT,
    props: ctx({ allowPrivilegeEscalation: true }),
    fails: ["allowPrivilegeEscalation true"],
    explicit: true,
  },
  {
    name: "allowPrivilegeEscalation unset (defaults to true)",
    type: DEPLOYMENT,
    props: ctx({ allowPrivilegeEscalation: undefined }),
    fails: ["default true"],
  },
  {
    name: "no securityContext at all",
    type: STATEFUL_SET,
    props: deployment({ containers: [container({ securityContext: undefined })] }),
    fails: ["default true"],
  },
]);

ruleCases(k8sNoHostPath, [
  ...GOOD,
  {
    name: "the runtime's socket",
    type: DEPLOYMENT,
    props: deployment({
      volumes: [{ name: "sock", hostPath: { path: "/var/run/containerd/containerd.sock" } }],
    }),
    fails: ["under /var/run"],
    explicit: true,
  },
  {
    name: "the node's root",
    type: POD,
    props: pod({ volumes: [{ name: "root", hostPath: { path: "/", type: "Directory" } }] }),
    fails: ["under /, which controls the node"],
    explicit: true,
  },
  {
    name: "any other host path",
    type: JOB,
    props: { ...deployment({ volumes: [{ name: "data", hostPath: { path: "/mnt/data" } }] }), kind: "Job" },
    fails: ['mounts host path "/mnt/data"'],
    explicit: true,
  },
  {
    name: "the device-plugin path outside the add-on",
    type: DAEMON_SET,
    props: nvidiaPlugin(),
    fails: ["/var/lib/kubelet/device-plugins"],
    explicit: true,
  },
]);

ruleCases(k8sCapabilities, [
  ...GOOD,
  {
    name: "NET_BIND_SERVICE added back",
    type: DEPLOYMENT,
    props: ctx({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }),
  },
  { name: "drop all in lower case", type: DEPLOYMENT, props: ctx({ capabilities: { drop: ["all"] } }) },
  {
    name: "SYS_ADMIN added",
    type: DEPLOYMENT,
    props: ctx({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }),
    fails: ["adds capabilities SYS_ADMIN"],
    explicit: true,
  },
  {
    name: "CAP_NET_RAW and sys_ptrace",
    type: POD,
    props: pod({
      containers: [withContext({ capabilities: { drop: ["ALL"], add: ["CAP_NET_RAW", "sys_ptrace"] } })],
    }),
    fails: ["NET_RAW, SYS_PTRACE"],
    explicit: true,
  },
  {
    name: "only NET_RAW dropped",
    type: DEPLOYMENT,
    props: ctx({ capabilities: { drop: ["NET_RAW"] } }),
    fails: ['drops ["NET_RAW"]'],
    explicit: true,
  },
  {
    name: "capabilities unset",
    type: DEPLOYMENT,
    props: ctx({ capabilities: undefined }),
    fails: ["drops unset (no capability)"],
  },
]);

ruleCases(k8sRunAsNonRoot, [
  ...GOOD,
  {
    name: "runAsNonRoot only on the pod",
    type: DEPLOYMENT,
    props: deployment({ containers: [withContext({ runAsNonRoot: undefined })] }),
  },
  {
    name: "runAsUser 0 on the container",
    type: DEPLOYMENT,
    props: ctx({ runAsUser: 0 }),
    fails: ["runAsUser 0"],
    explicit: true,
  },
  {
    name: 'runAsUser "0" on the pod',
    type: POD,
    props: pod({ securityContext: { runAsUser: "0", runAsNonRoot: true } }),
    fails: ["runAsUser 0"],
    explicit: true,
  },
  {
    name: "runAsNonRoot false on the container over a true pod",
    type: DEPLOYMENT,
    props: ctx({ runAsNonRoot: false }),
    fails: ["runAsNonRoot false"],
    explicit: true,
  },
  {
    name: "runAsNonRoot unset everywhere",
    type: DEPLOYMENT,
    props: deployment({ securityContext: {}, containers: [withContext({ runAsNonRoot: undefined })] }),
    fails: ["runAsNonRoot unset"],
  },
]);

ruleCases(k8sHighUid, [
  ...GOOD,
  {
    name: "UID 1000",
    type: DEPLOYMENT,
    props: ctx({ runAsUser: 1000 }),
    fails: ["runAsUser 1000"],
    explicit: true,
  },
  {
    name: "no UID (the image's user)",
    type: DEPLOYMENT,
    props: deployment({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    }),
    fails: ["the image's user"],
  },
]);

ruleCases(k8sSeccomp, [
  ...GOOD,
  {
    name: "Localhost on the container",
    type: DEPLOYMENT,
    props: ctx({ seccompProfile: { type: "Localhost", localhostProfile: "profiles/strict.json" } }),
  },
  {
    name: "the legacy annotation",
    type: POD,
    props: pod(
      {
        securityContext: { runAsNonRoot: true, runAsUser: 65532 },
        containers: [withContext({ seccompProfile: undefined })],
      },
      { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" } },
    ),
  },
  {
    name: "Unconfined on the container",
    type: DEPLOYMENT,
    props: ctx({ seccompProfile: { type: "Unconfined" } }),
    fails: ['seccomp "Unconfined"'],
    explicit: true,
  },
  {
    name: "unconfined in lower case",
    type: DEPLOYMENT,
    props: ctx({ seccompProfile: { type: "unconfined" } }),
    fails: ['seccomp "unconfined"'],
    explicit: true,
  },
  {
    name: "unset on both",
    type: DEPLOYMENT,
    props: deployment({
      securityContext: { runAsNonRoot: true, runAsUser: 65532 },
      containers: [withContext({ seccompProfile: undefined })],
    }),
    fails: ["unconfined"],
  },
]);

ruleCases(k8sReadOnlyRootFilesystem, [
  ...GOOD,
  {
    name: "readOnlyRootFilesystem false",
    type: DEPLOYMENT,
    props: ctx({ readOnlyRootFilesystem: false }),
    fails: ["readOnlyRootFilesystem false"],
    explicit: true,
  },
  {
    name: "readOnlyRootFilesystem unset",
    type: DEPLOYMENT,
    props: ctx({ readOnlyRootFilesystem: undefined }),
    fails: ["readOnlyRootFilesystem unset"],
  },
]);

const image = (img: string) => deployment({ containers: [container({ image: img })] });
ruleCases(k8sImagePinned, [
  ...GOOD,
  {
    name: "a registry with a port and a tag",
    type: DEPLOYMENT,
    props: image("registry.local:5000/team/app:1.2.3"),
  },
  {
    name: "a digest",
    type: DEPLOYMENT,
    props: image(
      "nvcr.io/nvidia/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
  },
  { name: "latest", type: DEPLOYMENT, props: image("nginx:latest"), fails: ["nginx:latest"], explicit: true },
  {
    name: "no tag",
    type: DEPLOYMENT,
    props: image("registry.local:5000/team/app"),
    fails: ["registry.local:5000/team/app"],
    explicit: true,
  },
  {
    name: "LATEST in capitals",
    type: POD,
    props: pod({ containers: [container({ image: "busybox:LATEST" })] }),
    fails: ["busybox:LATEST"],
    explicit: true,
  },
]);

ruleCases(k8sImageDigest, [
  {
    name: "a digest",
    type: DEPLOYMENT,
    props: image(
      "nvcr.io/nvidia/app:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    ),
  },
  {
    name: "a tag",
    type: DEPLOYMENT,
    props: image("nvcr.io/nvidia/app:1.0"),
    fails: ["by tag"],
    explicit: true,
  },
]);

ruleCases(k8sNoHostPorts, [
  ...GOOD,
  {
    name: "hostPort 0 (none)",
    type: DEPLOYMENT,
    props: deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 0 }] })] }),
  },
  {
    name: "hostPort 8080",
    type: DEPLOYMENT,
    props: deployment({ containers: [container({ ports: [{ containerPort: 80, hostPort: 8080 }] })] }),
    fails: ["hostPort 8080"],
    explicit: true,
  },
  {
    name: "hostPort in an init container",
    type: POD,
    props: pod({ initContainers: [container({ ports: [{ containerPort: 80, hostPort: 80 }] })] }),
    fails: ["initContainers[0]"],
    explicit: true,
  },
]);

ruleCases(k8sSecretsAsFiles, [
  ...GOOD,
  {
    name: "a ConfigMap in the environment",
    type: DEPLOYMENT,
    props: deployment({ containers: [container({ envFrom: [{ configMapRef: { name: "settings" } }] })] }),
  },
  {
    name: "secretKeyRef",
    type: DEPLOYMENT,
    props: deployment({
      containers: [
        container({ env: [{ name: "DB", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }),
      ],
    }),
    fails: ['reads Secret "db"'],
    explicit: true,
  },
  {
    name: "envFrom secretRef",
    type: CRON_JOB,
    props: cronJob({ containers: [container({ envFrom: [{ secretRef: { name: "api" } }] })] }),
    fails: ['loads Secret "api"'],
    explicit: true,
  },
]);

ruleCases(k8sNoPlaintextSecrets, [
  ...GOOD,
  {
    name: "a token read from a mounted file, a flag referring to a variable, a secret's name",
    type: DEPLOYMENT,
    props: deployment({
      containers: [
        container({
          args: [
            "--token-file=/var/run/secrets/token",
            "--password=$(DB_PASSWORD)",
            "--api-key",
            "$(API_KEY)",
          ],
          env: [{ name: "SECRET_NAME", valueFrom: { secretKeyRef: { name: "db", key: "name" } } }],
        }),
      ],
    }),
  },
  {
    name: "credentials by their shape under neutral names (an AWS key id, a private key, a GitHub token)",
    type: DEPLOYMENT,
    props: deployment({
      containers: [
        container({
          env: [
            { name: "AWS_ID", value: "AKIAIOSFODNN7EXAMPLE" },
            { name: "TLS", value: "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" },
            { name: "GH", value: `ghp_${"a".repeat(36)}` },
          ],
        }),
      ],
    }),
    fails: ["AWS_ID holds an AWS access key id", "TLS holds a private key", "GH holds a GitHub token"],
    explicit: true,
  },
  {
    name: "credentials on the command line: a flag with its value, a flag and the next word, a key in a shell line",
    type: POD,
    props: pod({
      containers: [
        container({
          command: ["sh", "-c", "AWS_SECRET=x aws s3 cp --access-key AKIAIOSFODNN7EXAMPLE s3://b ."],
          args: ["--db-password=hunter2", "--Token", "abc123"],
        }),
      ],
    }),
    fails: [
      "command[2] holds an AWS access key id",
      "args[0] passes --db-password a literal value",
      "args[1] passes --Token a literal value",
    ],
    explicit: true,
  },
  {
    name: "a password with an empty value",
    type: DEPLOYMENT,
    props: deployment({ containers: [container({ env: [{ name: "DB_PASSWORD", value: "" }] })] }),
  },
  {
    name: "a literal password",
    type: DEPLOYMENT,
    props: deployment({ containers: [container({ env: [{ name: "DB_PASSWORD", value: "hunter2" }] })] }),
    fails: ["DB_PASSWORD holds a literal value"],
    explicit: true,
  },
  {
    name: "an api key in lower case",
    type: POD,
    props: pod({ containers: [container({ env: [{ name: "openai_api_key", value: "sk-123" }] })] }),
    fails: ["openai_api_key"],
    explicit: true,
  },
]);

const resources = (r: unknown) => deployment({ containers: [container({ resources: r })] });
ruleCases(k8sRequestsLimits, [
  ...GOOD,
  {
    name: "no limits",
    type: DEPLOYMENT,
    props: resources({ requests: { cpu: "1", memory: "1Gi" } }),
    fails: ["sets no limits.cpu, limits.memory"],
    explicit: true,
  },
  {
    name: "no resources",
    type: DEPLOYMENT,
    props: resources(undefined),
    fails: ["requests.cpu, requests.memory, limits.cpu, limits.memory"],
  },
  {
    name: "GPU requested but not limited",
    type: DEPLOYMENT,
    props: resources({
      requests: { cpu: "1", memory: "1Gi", "nvidia.com/gpu": "1" },
      limits: { cpu: "1", memory: "1Gi" },
    }),
    fails: ["requests 1 nvidia.com/gpu but limits none"],
    explicit: true,
  },
  {
    name: "the device plugin's render outside the add-on",
    type: DAEMON_SET,
    props: nvidiaPlugin(),
    fails: ["limits.cpu"],
    explicit: true,
  },
]);

ruleCases(k8sServiceAccountToken, [
  ...GOOD,
  {
    name: "explicitly true with a dedicated account",
    type: DEPLOYMENT,
    props: deployment({ automountServiceAccountToken: true }),
  },
  {
    name: "unset (defaults to true)",
    type: DEPLOYMENT,
    props: deployment({ automountServiceAccountToken: undefined }),
    fails: ["default true"],
  },
  {
    name: "true under the default account",
    type: POD,
    props: pod({ automountServiceAccountToken: true, serviceAccountName: "default" }),
    fails: ['as the "default" account'],
    explicit: true,
  },
  {
    name: "true without an account",
    type: DEPLOYMENT,
    props: deployment({ automountServiceAccountToken: true, serviceAccountName: undefined }),
    fails: ["namespace's default account"],
    explicit: true,
  },
  {
    name: "true under the deprecated serviceAccount field set to default",
    type: DEPLOYMENT,
    props: deployment({
      automountServiceAccountToken: "true",
      serviceAccountName: undefined,
      serviceAccount: "default",
    }),
    fails: ['"default"'],
    explicit: true,
  },
]);

ruleCases(k8sNoUnsafeKernelSettings, [
  ...GOOD,
  {
    name: "a safe sysctl",
    type: DEPLOYMENT,
    props: deployment({
      securityContext: { runAsNonRoot: true, sysctls: [{ name: "net.ipv4.tcp_syncookies", value: "1" }] },
    }),
  },
  {
    name: "an unsafe sysctl",
    type: DEPLOYMENT,
    props: deployment({ securityContext: { sysctls: [{ name: "kernel.msgmax", value: "65536" }] } }),
    fails: ["kernel.msgmax"],
    explicit: true,
  },
  {
    name: "procMount Unmasked",
    type: POD,
    props: pod({ containers: [withContext({ procMount: "Unmasked" })] }),
    fails: ["Unmasked"],
    explicit: true,
  },
  {
    name: "AppArmor unconfined annotation",
    type: DEPLOYMENT,
    props: deployment(
      {},
      {},
      { annotations: { "container.apparmor.security.beta.kubernetes.io/notes-summariser": "Unconfined" } },
    ),
    fails: ["is unconfined"],
    explicit: true,
  },
  {
    name: "AppArmor Unconfined on the pod",
    type: DEPLOYMENT,
    props: deployment({ securityContext: { appArmorProfile: { type: "unconfined" } } }),
    fails: ["appArmorProfile.type is Unconfined"],
    explicit: true,
  },
  {
    name: "AppArmor Unconfined on a container",
    type: DEPLOYMENT,
    props: ctx({ appArmorProfile: { type: "Unconfined" } }),
    fails: ["runs AppArmor Unconfined"],
    explicit: true,
  },
  {
    name: "a custom SELinux type",
    type: DEPLOYMENT,
    props: ctx({ seLinuxOptions: { type: "spc_t" } }),
    fails: ["spc_t"],
    explicit: true,
  },
  {
    name: "a custom SELinux type on the pod",
    type: POD,
    props: pod({ securityContext: { seLinuxOptions: { type: "unconfined_t" } } }),
    fails: ["unconfined_t"],
    explicit: true,
  },
  {
    name: "a Windows HostProcess pod",
    type: DEPLOYMENT,
    props: deployment({ securityContext: { windowsOptions: { hostProcess: true } } }),
    fails: ["HostProcess"],
    explicit: true,
  },
]);

ruleCases(k8sNoDashboardOrTiller, [
  ...GOOD,
  {
    name: "a ClusterIP Service",
    type: SERVICE,
    props: { metadata: { name: "api", namespace: "web" }, spec: { type: "ClusterIP" } },
  },
  {
    name: "the dashboard",
    type: DEPLOYMENT,
    props: image("kubernetesui/dashboard:v2.7.0"),
    fails: ["the Kubernetes dashboard"],
    explicit: true,
  },
  {
    name: "the dashboard from a mirror",
    type: DEPLOYMENT,
    props: image("registry.local:5000/mirror/kubernetes-dashboard-amd64:v1.10.1"),
    fails: ["the Kubernetes dashboard"],
    explicit: true,
  },
  {
    name: "Tiller",
    type: DEPLOYMENT,
    props: image("gcr.io/kubernetes-helm/tiller:v2.16.12"),
    fails: ["Tiller"],
    explicit: true,
  },
  {
    name: "Tiller's Service",
    type: SERVICE,
    props: { metadata: { name: "tiller-deploy", namespace: "kube-system" }, spec: { type: "ClusterIP" } },
    fails: ["Tiller service"],
    explicit: true,
  },
]);

ruleCases(k8sNoDefaultNamespace, [
  ...GOOD,
  {
    name: "a Service in a team namespace",
    type: SERVICE,
    props: { metadata: { name: "api", namespace: "web" } },
  },
  {
    name: "namespace default",
    type: DEPLOYMENT,
    props: deployment({}, { namespace: "default" }),
    fails: ['metadata.namespace is "default"'],
    explicit: true,
  },
  {
    name: "no namespace",
    type: SERVICE,
    props: { metadata: { name: "api" } },
    fails: ["the provider's default"],
  },
  {
    name: "an empty namespace",
    type: "kubernetes:core/v1:ConfigMap",
    props: { metadata: { name: "settings", namespace: "" } },
    fails: ["metadata.namespace is"],
  },
]);

/** The DCGM exporter's DaemonSet exactly as ClusterMetrics renders it for a GPU pool. */
function dcgmDaemonSet() {
  const dcgm = renderClusterMetrics({
    site: "dc1",
    collection: "prometheus",
    dcgmExporter: { pools: ["a100"], taints: [] },
    apiServerCidrs: ["10.0.0.0/16"],
    dashboard: "{}",
    prometheus: { remoteWriteUrl: "https://metrics.example/api/v1/write", rules: "" },
  }).find((o) => o.kind === "DaemonSet" && o.metadata.name.includes("dcgm"));
  if (dcgm?.kind !== "DaemonSet") throw new Error("ClusterMetrics rendered no DCGM DaemonSet");
  return dcgm;
}

describe("the library's add-ons, recognised by identity", () => {
  const hostPath = (props: Record<string, unknown>, urn?: string) =>
    violations(k8sNoHostPath, DAEMON_SET, props, {}, urn);

  it("waive the device plugin's host path only where the library declared it", async () => {
    expect(await hostPath(nvidiaPlugin(), NVIDIA_PLUGIN_URN)).toEqual([]);
    // The same render declared by the program itself, in kube-system, with the library's labels.
    expect(await hostPath(nvidiaPlugin())).toHaveLength(1);
    expect(
      await hostPath(
        nvidiaPlugin(),
        "urn:pulumi:prod::p::my:index:NvidiaDevicePlugin$kubernetes:apps/v1:DaemonSet::impostor",
      ),
    ).toHaveLength(1);
  });

  it("waive nothing when the add-on runs another image or sits in another namespace", async () => {
    const other = nvidiaPlugin({
      containers: [{ ...container(), image: "docker.io/attacker/k8s-device-plugin:v0.20.0" }],
    });
    expect(await hostPath(other, NVIDIA_PLUGIN_URN)).toHaveLength(1);
    const sidecar = nvidiaPlugin({
      containers: [
        (nvidiaPlugin() as never as { spec: { template: { spec: { containers: unknown[] } } } }).spec.template
          .spec.containers[0],
        { ...container(), name: "sidecar", image: "busybox:1.36" },
      ],
    });
    expect(await hostPath(sidecar, NVIDIA_PLUGIN_URN)).toHaveLength(1);
    expect(await hostPath(nvidiaPlugin({}, "gpu-system"), NVIDIA_PLUGIN_URN)).toHaveLength(1);
  });

  it("waive only what the add-on needs", async () => {
    const more = nvidiaPlugin({
      volumes: [
        { hostPath: { path: "/var/lib/kubelet/device-plugins" }, name: "device-plugin" },
        { hostPath: { path: "/var/run/docker.sock" }, name: "docker" },
      ],
    });
    expect(await hostPath(more, NVIDIA_PLUGIN_URN)).toEqual([
      expect.stringContaining("/var/run/docker.sock"),
    ]);
    const privileged = nvidiaPlugin({
      containers: [
        {
          ...(
            nvidiaPlugin() as never as {
              spec: { template: { spec: { containers: Record<string, unknown>[] } } };
            }
          ).spec.template.spec.containers[0],
          securityContext: { privileged: true },
        },
      ],
    });
    expect(await violations(k8sNoPrivileged, DAEMON_SET, privileged, {}, NVIDIA_PLUGIN_URN)).toHaveLength(1);
    expect(
      await violations(
        k8sNoHostNamespaces,
        DAEMON_SET,
        nvidiaPlugin({ hostPID: true }),
        {},
        NVIDIA_PLUGIN_URN,
      ),
    ).toHaveLength(1);
  });

  it("waive the DCGM exporter's pod-resources socket, SYS_ADMIN and root only under ClusterMetrics", async () => {
    const dcgm = dcgmDaemonSet() as unknown as Record<string, unknown>;
    const library =
      "urn:pulumi:prod::p::hybrid-ai-infra:index:ClusterMetrics$kubernetes:apps/v1:DaemonSet::m";
    const own = "urn:pulumi:prod::p::kubernetes:apps/v1:DaemonSet::dcgm";
    for (const rule of [k8sNoHostPath, k8sCapabilities, k8sHighUid]) {
      expect(await violations(rule, DAEMON_SET, dcgm, {}, library), rule.name).toEqual([]);
      expect(await violations(rule, DAEMON_SET, dcgm, {}, own), rule.name).toHaveLength(1);
    }
  });

  it("waive nothing when the add-on's image runs a command of the program's own, under the add-on's component", async () => {
    const dcgm = dcgmDaemonSet();
    const library =
      "urn:pulumi:prod::p::hybrid-ai-infra:index:ClusterMetrics$kubernetes:apps/v1:DaemonSet::m";
    const running = (extra: Record<string, unknown>) => {
      const copy = structuredClone(dcgm) as unknown as {
        spec: { template: { spec: { containers: Record<string, unknown>[] } } };
      };
      copy.spec.template.spec.containers = copy.spec.template.spec.containers.map((c) => ({
        ...c,
        ...extra,
      }));
      return copy as unknown as Record<string, unknown>;
    };
    // A shell as the command, a shell handed to the image's entrypoint, a flag the add-on never
    // passes, a value standing alone: each is the program's own command, not the add-on.
    for (const extra of [
      { command: ["/bin/sh", "-c", "cat /etc/shadow"] },
      { args: ["sh", "-c", "cat /etc/shadow"] },
      { args: ["--collectors=/tmp/mine.csv"] },
      { command: ["/usr/bin/dcgm-exporter"] },
      { lifecycle: { postStart: { exec: { command: ["sh", "-c", "cat /etc/shadow"] } } } },
      { livenessProbe: { exec: { command: ["sh", "-c", "cat /etc/shadow"] } } },
    ])
      for (const rule of [k8sNoHostPath, k8sCapabilities, k8sHighUid])
        expect(
          await violations(rule, DAEMON_SET, running(extra), {}, library),
          `${rule.name} ${JSON.stringify(extra)}`,
        ).toHaveLength(1);
    // As rendered (no command, no args: the image's entrypoint), the waiver holds; and under
    // preview, arguments not known yet are judged at the update.
    expect(await violations(k8sNoHostPath, DAEMON_SET, running({}), {}, library)).toEqual([]);
    expect(
      await violations(k8sNoHostPath, DAEMON_SET, running({ args: UNKNOWN_INPUT }), {}, library),
    ).toEqual([]);
  });

  it("exempt a workload the operator names exactly, and nothing else", async () => {
    const bad = deployment({ hostNetwork: true });
    const exempt = {
      exemptWorkloads: [{ kind: "Deployment", namespace: "clinical-ai", name: "notes-summariser" }],
    };
    expect(await violations(k8sNoHostNamespaces, DEPLOYMENT, bad, exempt)).toEqual([]);
    expect(await violations(k8sNoHostNamespaces, "kubernetes:apps/v1beta2:Deployment", bad, exempt)).toEqual(
      [],
    );
    for (const near of [
      { kind: "DaemonSet", namespace: "clinical-ai", name: "notes-summariser" },
      { kind: "Deployment", namespace: "kube-system", name: "notes-summariser" },
      { kind: "Deployment", namespace: "clinical-ai", name: "notes" },
    ])
      expect(
        await violations(k8sNoHostNamespaces, DEPLOYMENT, bad, { exemptWorkloads: [near] }),
      ).toHaveLength(1);
  });

  it("do not follow kube-system, a system label or a system name", async () => {
    const impostor = deployment(
      { hostNetwork: true },
      {
        name: "coredns",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-dns", "app.kubernetes.io/managed-by": "hybrid-ai-infra" },
      },
    );
    expect(await violations(k8sNoHostNamespaces, DEPLOYMENT, impostor)).toHaveLength(1);
  });
});

describe("Pod Security under preview unknowns", () => {
  it("reports the known mistake and leaves the unknown container to the update", async () => {
    const props = deployment({ containers: [withContext({ privileged: true }), UNKNOWN_INPUT] });
    const verdict = await judge(k8sNoPrivileged, DEPLOYMENT, props);
    expect(verdict.violations).toHaveLength(1);
    expect(verdict.undecided).toBeDefined();
  });

  it("leaves an unknown pod spec to the update without reporting", async () => {
    const props = { metadata: { name: "x", namespace: "y" }, spec: { template: UNKNOWN_INPUT } };
    for (const rule of FAMILY.rules) {
      const verdict = await judge(rule, DEPLOYMENT, props);
      expect(verdict.violations, rule.name).toEqual([]);
    }
  });

  it("leaves an unknown namespace to the update", async () => {
    const verdict = await judge(
      k8sNoDefaultNamespace,
      DEPLOYMENT,
      deployment({}, { namespace: UNKNOWN_INPUT }),
    );
    expect(verdict).toEqual({ violations: [], undecided: expect.any(String) });
  });
});

describe("a patch judges only what it sets", () => {
  it("passes a patch that changes replicas only", async () => {
    const patch = { metadata: { name: "notes-summariser", namespace: "clinical-ai" }, spec: { replicas: 3 } };
    for (const rule of FAMILY.rules)
      expect(await violations(rule, "kubernetes:apps/v1:DeploymentPatch", patch), rule.name).toEqual([]);
  });
  it("passes a patch that sets an image and leaves the security context alone", async () => {
    const patch = {
      metadata: { name: "notes-summariser", namespace: "clinical-ai" },
      spec: {
        template: { spec: { containers: [{ name: "notes-summariser", image: "registry.local/app:1.2" }] } },
      },
    };
    for (const rule of FAMILY.rules.filter((r) => r.name !== "k8s-image-digest"))
      expect(await violations(rule, "kubernetes:apps/v1:DeploymentPatch", patch), rule.name).toEqual([]);
  });
});

ruleCases(k8sNoGitSyncOverride, [
  ...GOOD,
  {
    name: "git-sync with its usual settings",
    type: DEPLOYMENT,
    props: deployment({
      initContainers: [container({ env: [{ name: "GITSYNC_REPO", value: "https://git.example.com/a" }] })],
    }),
  },
  {
    name: "GITSYNC_GIT",
    type: DEPLOYMENT,
    props: deployment({ initContainers: [container({ env: [{ name: "GITSYNC_GIT", value: "/tmp/x" }] })] }),
    fails: ["initContainers[0] (notes-summariser).env[0] sets GITSYNC_GIT"],
    explicit: true,
  },
  {
    name: "the older GIT_SYNC_GIT",
    type: CRON_JOB,
    props: cronJob({ containers: [container({ env: [{ name: "GIT_SYNC_GIT", value: "/bin/sh" }] })] }),
    fails: ["GIT_SYNC_GIT"],
    explicit: true,
  },
]);

const registries = { allowedRegistries: ["registry.internal.example.com", "nvcr.io/nvidia"] };
ruleCases(k8sAllowedRegistries, [
  ...GOOD,
  { name: "any registry when none are listed", type: DEPLOYMENT, props: image("docker.io/attacker/app:1.0") },
  { name: "an approved host", type: DEPLOYMENT, props: deployment(), config: registries },
  {
    name: "an approved path prefix",
    type: DEPLOYMENT,
    props: image("nvcr.io/nvidia/k8s-device-plugin:v0.20.0"),
    config: registries,
  },
  {
    name: "a host in capitals",
    type: DEPLOYMENT,
    props: image("Registry.Internal.Example.com/team/app:1.0"),
    config: registries,
  },
  {
    name: "another host",
    type: DEPLOYMENT,
    props: image("docker.io/attacker/app:1.0"),
    config: registries,
    fails: ["docker.io/attacker/app:1.0"],
    explicit: true,
  },
  {
    name: "a Docker Hub short name",
    type: POD,
    props: pod({ containers: [container({ image: "busybox:1.36" })] }),
    config: registries,
    fails: ["busybox:1.36"],
    explicit: true,
  },
  {
    name: "a look-alike host",
    type: DEPLOYMENT,
    props: image("registry.internal.example.com.evil.io/app:1.0"),
    config: registries,
    fails: ["evil.io"],
    explicit: true,
  },
  {
    name: "outside the approved path",
    type: DEPLOYMENT,
    props: image("nvcr.io/nvidia-fake/app:1.0"),
    config: registries,
    fails: ["nvidia-fake"],
    explicit: true,
  },
  {
    name: "an init container from elsewhere",
    type: CRON_JOB,
    props: cronJob({ initContainers: [container({ image: "quay.io/x/y:1" })] }),
    config: registries,
    fails: ["initContainers[0]"],
    explicit: true,
  },
]);
