import { brotliDecompressSync } from "node:zlib";
import { stringify } from "yaml";
import { KUEUE_NAMES, LABEL_POOL, SYSTEM_TAINT } from "../../facts";
import { type ClusterDns, dnsEgressRule } from "../cluster-facts";
import type { AddonObject } from "./cluster-autoscaler";
import { KUEUE_CRDS_BROTLI_BASE64 } from "./kueue-crds.generated";

// Kueue as the release's install manifest declares it (config/default at the pinned tag), object by
// object, with what a private, shared GPU cluster needs changed: batch Jobs are the only framework
// (services stay outside queues, and without the pod, Deployment and StatefulSet webhooks a Kueue
// outage blocks no pod), the visibility API is off (its APIServices skip TLS verification), the
// controller runs twice on the system pool at system priority, the namespace denies all traffic
// but the API server's webhook calls, and RBAC drops the rules of the frameworks left off.
// test/kubernetes/kueue-install.test.ts compares every object with the vendored release.

const N = KUEUE_NAMES;
const LABELS = { "app.kubernetes.io/name": "kueue", "control-plane": "controller-manager" } as const;
const MANAGED = { ...LABELS, "app.kubernetes.io/managed-by": "hybrid-ai-infra" };
const SELECTOR = { "control-plane": "controller-manager" } as const;
const RBAC = "rbac.authorization.k8s.io/v1";

const PORTS = { webhook: 9443, metrics: 8443, health: 8081 } as const;

/** What differs from one cluster to the next. */
export interface KueueInstallArgs {
  /** The image, pinned (a mirror of `registry.k8s.io/kueue/kueue` where nodes reach no public registry). */
  image: string;
  /** This cluster's name: MultiKueue's origin label, unique per manager. */
  clusterName: string;
  /** Whether the cluster has the library's system pool (EKS, AKS); on-premises clusters do not. */
  systemPool: boolean;
  /** The DNS the cluster's pods query; default CoreDNS in kube-system. */
  dns?: ClusterDns | undefined;
}

/** CRDs whose stored objects Kueue converts between v1beta1 and v1beta2 through its webhook. */
const CONVERTED = new Set([
  "clusterqueues.kueue.x-k8s.io",
  "cohorts.kueue.x-k8s.io",
  "localqueues.kueue.x-k8s.io",
  "multikueueclusters.kueue.x-k8s.io",
  "workloads.kueue.x-k8s.io",
]);

let crds: AddonObject[] | undefined;

/**
 * The release's CRDs, with the install's labels and, on the five converted kinds, its conversion
 * webhook. `caBundle` is never declared: Kueue's rotator injects it, and a field Pulumi does not
 * declare is one its server-side apply leaves alone.
 */
export function kueueCrds(): AddonObject[] {
  crds ??= (
    JSON.parse(
      brotliDecompressSync(Buffer.from(KUEUE_CRDS_BROTLI_BASE64, "base64")).toString("utf8"),
    ) as AddonObject[]
  ).map((crd) => ({
    ...crd,
    metadata: { ...crd.metadata, labels: { ...MANAGED } },
    spec: {
      ...(crd.spec as Record<string, unknown>),
      ...(CONVERTED.has(crd.metadata.name)
        ? {
            conversion: {
              strategy: "Webhook",
              webhook: {
                clientConfig: {
                  service: { name: N.webhookService, namespace: N.namespace, path: "/convert" },
                },
                conversionReviewVersions: ["v1"],
              },
            },
          }
        : {}),
    },
  }));
  return crds;
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  ...(resourceNames ? { resourceNames } : {}),
  resources,
  verbs,
});
const READ = ["get", "list", "watch"];
const WRITE = ["delete", "get", "list", "patch", "update", "watch"];
const STATUS = ["get", "patch", "update"];

/**
 * `kueue-manager-role` of the release, less the rules for frameworks this install leaves off
 * (JobSet, Kubeflow, LeaderWorkerSet, Ray, Spark, Trainer, AppWrapper): no controller or webhook
 * for them runs. Every other rule is the release's, in its order.
 */
export const KUEUE_MANAGER_RULES = [
  rule([""], ["limitranges", "namespaces", "nodes"], READ),
  rule([""], ["pods"], WRITE),
  rule([""], ["pods/finalizers"], ["get", "update"]),
  rule([""], ["pods/status"], ["get", "patch"]),
  rule([""], ["podtemplates"], ["create", "delete", "get", "list", "update", "watch"]),
  rule(
    ["admissionregistration.k8s.io"],
    ["mutatingwebhookconfigurations"],
    ["get", "update"],
    [N.mutatingWebhook],
  ),
  rule(
    ["admissionregistration.k8s.io"],
    ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
    ["list", "watch"],
  ),
  rule(
    ["admissionregistration.k8s.io"],
    ["validatingwebhookconfigurations"],
    ["get", "update"],
    [N.validatingWebhook],
  ),
  rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["list", "watch"]),
  rule(
    ["apiextensions.k8s.io"],
    ["customresourcedefinitions"],
    ["get"],
    ["clusterprofiles.multicluster.x-k8s.io"],
  ),
  rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["get", "update"], [...CONVERTED].sort()),
  rule(["apps"], ["deployments", "replicasets", "statefulsets"], READ),
  rule(
    ["autoscaling.x-k8s.io"],
    ["provisioningrequests"],
    ["create", "delete", "get", "list", "patch", "update", "watch"],
  ),
  rule(["autoscaling.x-k8s.io"], ["provisioningrequests/status"], ["get"]),
  rule(["batch"], ["jobs"], WRITE),
  rule(["batch"], ["jobs/finalizers", "jobs/status"], STATUS),
  rule(["events.k8s.io"], ["events"], ["create", "patch", "update", "watch"]),
  rule(["flowcontrol.apiserver.k8s.io"], ["flowschemas", "prioritylevelconfigurations"], ["list", "watch"]),
  rule(["flowcontrol.apiserver.k8s.io"], ["flowschemas/status"], ["patch"]),
  rule(
    ["kueue.x-k8s.io"],
    ["admissionchecks", "clusterqueues", "resourceflavors", "topologies"],
    ["get", "list", "update", "watch"],
  ),
  rule(
    ["kueue.x-k8s.io"],
    [
      "admissionchecks/finalizers",
      "clusterqueues/finalizers",
      "resourceflavors/finalizers",
      "topologies/finalizers",
      "workloads/finalizers",
    ],
    ["update"],
  ),
  rule(
    ["kueue.x-k8s.io"],
    [
      "admissionchecks/status",
      "clusterqueues/status",
      "cohorts/status",
      "localqueues/status",
      "multikueueclusters/status",
      "workloads/status",
    ],
    STATUS,
  ),
  rule(
    ["kueue.x-k8s.io"],
    [
      "cohorts",
      "localqueues",
      "multikueueclusters",
      "multikueueconfigs",
      "provisioningrequestconfigs",
      "workloadpriorityclasses",
    ],
    READ,
  ),
  rule(["kueue.x-k8s.io"], ["workloads"], ["create", "delete", "get", "list", "patch", "update", "watch"]),
  rule(["node.k8s.io"], ["runtimeclasses"], READ),
  rule(
    ["resource.k8s.io"],
    ["deviceclasses", "resourceclaims", "resourceclaimtemplates", "resourceslices"],
    READ,
  ),
  rule(["scheduling.k8s.io"], ["priorityclasses"], READ),
];

/** The API groups of the frameworks this install leaves off, whose rules the role drops. */
export const KUEUE_DROPPED_API_GROUPS = [
  "jobset.x-k8s.io",
  "kubeflow.org",
  "leaderworkerset.x-k8s.io",
  "ray.io",
  "sparkoperator.k8s.io",
  "trainer.kubeflow.org",
  "workload.codeflare.dev",
] as const;

/** One admission webhook of the release: the entries the library keeps, as the release writes them. */
interface Hook {
  name: string;
  path: string;
  group: string;
  version: string;
  resources: string[];
  operations: string[];
  /** Framework webhooks skip Kubernetes' and Kueue's own namespaces. */
  framework?: boolean;
}

const V1BETA2 = { group: "kueue.x-k8s.io", version: "v1beta2" };
const kueueHook = (
  prefix: "mutate" | "validate",
  kind: string,
  operations: string[],
  extra: string[] = [],
) => ({
  name: `${prefix[0]}${kind}.kb.io`,
  path: `/${prefix}-kueue-x-k8s-io-v1beta2-${kind}`,
  ...V1BETA2,
  resources: [`${kind}s`, ...extra],
  operations,
});

/**
 * The webhooks kept: batch Jobs (suspend on create, the queue-name rules on update) and Kueue's own
 * objects. Dropped: every other framework's (pods, Deployments, StatefulSets and the rest), which
 * would otherwise stop every pod in every namespace whenever Kueue is down.
 */
export const KUEUE_MUTATING_HOOKS: Hook[] = [
  kueueHook("mutate", "clusterqueue", ["CREATE"]),
  {
    name: "mjob.kb.io",
    path: "/mutate-batch-v1-job",
    group: "batch",
    version: "v1",
    resources: ["jobs"],
    operations: ["CREATE"],
    framework: true,
  },
  kueueHook("mutate", "resourceflavor", ["CREATE"]),
  kueueHook("mutate", "workload", ["CREATE"]),
];

export const KUEUE_VALIDATING_HOOKS: Hook[] = [
  kueueHook("validate", "clusterqueue", ["CREATE", "UPDATE"]),
  kueueHook("validate", "cohort", ["CREATE", "UPDATE"]),
  {
    name: "vjob.kb.io",
    path: "/validate-batch-v1-job",
    group: "batch",
    version: "v1",
    resources: ["jobs"],
    operations: ["CREATE", "UPDATE"],
    framework: true,
  },
  kueueHook("validate", "resourceflavor", ["CREATE", "UPDATE"]),
  kueueHook("validate", "workload", ["CREATE", "UPDATE"], ["workloads/status"]),
];

/** A webhook entry as the API takes it; no `caBundle`, which Kueue's rotator writes. */
function webhook(h: Hook) {
  return {
    admissionReviewVersions: ["v1"],
    clientConfig: { service: { name: N.webhookService, namespace: N.namespace, path: h.path } },
    // Fail, as the release: with Ignore a Job created while Kueue is down would start unqueued.
    failurePolicy: "Fail",
    name: h.name,
    ...(h.framework
      ? {
          namespaceSelector: {
            matchExpressions: [
              { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system", N.namespace] },
            ],
          },
        }
      : {}),
    rules: [
      { apiGroups: [h.group], apiVersions: [h.version], operations: h.operations, resources: h.resources },
    ],
    sideEffects: "None",
  };
}

/**
 * The controller's configuration (config.kueue.x-k8s.io/v1beta2, decoded strictly: an unknown key
 * stops the controller). The release's, except as the file header says, and:
 * - waitForPodsReady explicit (Kueue turns it on from 0.19): 45 minutes, longer than a GPU pool's
 *   scale-up from zero, then the Job is requeued, five times at most;
 * - EFA devices are not queued resources: a Job asking for them would otherwise never be admitted;
 * - MultiKueue's origin is this cluster, so a worker serving several managers tells them apart.
 */
export function kueueConfiguration(args: Pick<KueueInstallArgs, "clusterName">): Record<string, unknown> {
  return {
    apiVersion: "config.kueue.x-k8s.io/v1beta2",
    kind: "Configuration",
    namespace: N.namespace,
    health: { healthProbeBindAddress: `:${PORTS.health}` },
    metrics: { bindAddress: `:${PORTS.metrics}` },
    webhook: { port: PORTS.webhook },
    leaderElection: { leaderElect: true, resourceName: N.leaderElectionId },
    controller: {
      groupKindConcurrency: {
        "Job.batch": 5,
        "Workload.kueue.x-k8s.io": 10,
        "LocalQueue.kueue.x-k8s.io": 5,
        "Cohort.kueue.x-k8s.io": 1,
        "ClusterQueue.kueue.x-k8s.io": 5,
        "ResourceFlavor.kueue.x-k8s.io": 1,
      },
    },
    clientConnection: { qps: 300, burst: 500 },
    internalCertManagement: {
      enable: true,
      webhookServiceName: N.webhookService,
      webhookSecretName: N.webhookSecret,
    },
    manageJobsWithoutQueueName: false,
    integrations: { frameworks: ["batch/job"] },
    waitForPodsReady: {
      timeout: "45m",
      blockAdmission: false,
      requeuingStrategy: {
        timestamp: "Eviction",
        backoffLimitCount: 5,
        backoffBaseSeconds: 60,
        backoffMaxSeconds: 3600,
      },
    },
    multiKueue: { gcInterval: "1m", origin: args.clusterName, workerLostTimeout: "15m" },
    resources: { excludeResourcePrefixes: ["vpc.amazonaws.com/"] },
    featureGates: { VisibilityOnDemand: false },
  };
}

/** The namespace's network policies: nothing in or out but the API server's calls and the controller's. */
function networkPolicies(dns: ClusterDns | undefined): AddonObject[] {
  const meta = (name: string) => ({ name, namespace: N.namespace, labels: { ...MANAGED } });
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta("default-deny"),
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      // The API server calls the admission and conversion webhooks. Its address cannot be selected
      // portably (EKS's control-plane ENIs, AKS's tunnel, on-premises control-plane nodes, which
      // Cilium does not match by ipBlock), so the port is the rule: it serves only TLS webhooks.
      metadata: meta("allow-webhook"),
      spec: {
        podSelector: { matchLabels: { ...SELECTOR } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ protocol: "TCP", port: PORTS.webhook }] }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      // The controller talks to its API server (443 on EKS and AKS, 6443 on kubeadm control planes,
      // as a policy sees it after the Service's translation) and, as a MultiKueue manager, to its
      // workers' API servers across the VPN (443), whose names it resolves.
      metadata: meta("allow-controller"),
      spec: {
        podSelector: { matchLabels: { ...SELECTOR } },
        policyTypes: ["Egress"],
        egress: [
          dnsEgressRule(dns),
          {
            ports: [
              { protocol: "TCP", port: 443 },
              { protocol: "TCP", port: 6443 },
            ],
          },
        ],
      },
    },
  ];
}

function rbac(): AddonObject[] {
  const ns = { namespace: N.namespace };
  const subjects = [{ kind: "ServiceAccount", name: N.serviceAccount, namespace: N.namespace }];
  const role = (name: string, rules: unknown[]): AddonObject => ({
    apiVersion: RBAC,
    kind: "Role",
    metadata: { name, ...ns, labels: { ...MANAGED } },
    rules,
  });
  const binding = (
    kind: "RoleBinding" | "ClusterRoleBinding",
    name: string,
    roleName: string,
  ): AddonObject => ({
    apiVersion: RBAC,
    kind,
    metadata: { name, ...(kind === "RoleBinding" ? ns : {}), labels: { ...MANAGED } },
    roleRef: {
      apiGroup: "rbac.authorization.k8s.io",
      kind: kind === "RoleBinding" ? "Role" : "ClusterRole",
      name: roleName,
    },
    subjects,
  });
  const viewer = (what: "localqueue" | "workload"): AddonObject => ({
    apiVersion: RBAC,
    kind: "ClusterRole",
    // Aggregated into admin, edit and view: a team that may see its namespace sees its queue and
    // why its Job waits.
    metadata: {
      name: `kueue-${what}-viewer-role`,
      labels: {
        ...MANAGED,
        "rbac.authorization.k8s.io/aggregate-to-admin": "true",
        "rbac.authorization.k8s.io/aggregate-to-edit": "true",
        "rbac.authorization.k8s.io/aggregate-to-view": "true",
        "rbac.kueue.x-k8s.io/batch-admin": "true",
        "rbac.kueue.x-k8s.io/batch-user": "true",
        "rbac.kueue.x-k8s.io/role": `${what}-viewer`,
      },
    },
    rules: [
      rule(["kueue.x-k8s.io"], [`${what}s`], READ),
      rule(["kueue.x-k8s.io"], [`${what}s/status`], ["get"]),
    ],
  });
  return [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: N.serviceAccount, ...ns, labels: { ...MANAGED } },
    },
    role("kueue-leader-election-role", [
      rule([""], ["configmaps"], ["get", "list", "watch", "create", "update", "patch", "delete"]),
      rule(
        ["coordination.k8s.io"],
        ["leases"],
        ["get", "list", "watch", "create", "update", "patch", "delete"],
      ),
      rule([""], ["events"], ["create", "patch"]),
    ]),
    binding("RoleBinding", "kueue-leader-election-rolebinding", "kueue-leader-election-role"),
    // Its certificate Secret and MultiKueue's worker kubeconfigs; never create: the Secret is ours.
    role("kueue-manager-secrets-role", [rule([""], ["secrets"], ["get", "list", "update", "watch"])]),
    binding("RoleBinding", "kueue-manager-secrets-rolebinding", "kueue-manager-secrets-role"),
    {
      apiVersion: RBAC,
      kind: "ClusterRole",
      metadata: { name: "kueue-manager-role", labels: { ...MANAGED } },
      rules: KUEUE_MANAGER_RULES,
    },
    binding("ClusterRoleBinding", "kueue-manager-rolebinding", "kueue-manager-role"),
    // The metrics endpoint authenticates and authorizes its scrapers.
    {
      apiVersion: RBAC,
      kind: "ClusterRole",
      metadata: { name: "kueue-metrics-auth-role", labels: { ...MANAGED } },
      rules: [
        rule(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
        rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"]),
      ],
    },
    binding("ClusterRoleBinding", "kueue-metrics-auth-rolebinding", "kueue-metrics-auth-role"),
    viewer("localqueue"),
    viewer("workload"),
  ];
}

function deployment(args: KueueInstallArgs): AddonObject {
  const podLabels = { ...LABELS };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: N.deployment, namespace: N.namespace, labels: { ...MANAGED } },
    spec: {
      // Two: the follower keeps serving webhooks (Kueue's role tracker), so losing a node does not
      // stop every Job creation while a replacement starts.
      replicas: 2,
      selector: { matchLabels: { ...SELECTOR } },
      template: {
        metadata: {
          labels: podLabels,
          annotations: { "kubectl.kubernetes.io/default-container": "manager" },
        },
        spec: {
          serviceAccountName: N.serviceAccount,
          // Its webhooks fail closed: while it is down no Job can be created.
          priorityClassName: "system-cluster-critical",
          ...(args.systemPool
            ? {
                nodeSelector: { "kubernetes.io/os": "linux", [LABEL_POOL]: "system" },
                tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect }],
              }
            : { nodeSelector: { "kubernetes.io/os": "linux" } }),
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: { ...SELECTOR } },
            },
          ],
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: "manager",
              image: args.image,
              // A pinned release: the node's copy is the one asked for.
              imagePullPolicy: "IfNotPresent",
              command: ["/manager"],
              args: [`--config=/${N.configKey}`, "--zap-log-level=2"],
              ports: [
                { containerPort: PORTS.metrics, name: "metrics", protocol: "TCP" },
                { containerPort: PORTS.webhook, name: "webhook-server", protocol: "TCP" },
              ],
              livenessProbe: {
                httpGet: { path: "/healthz", port: PORTS.health },
                initialDelaySeconds: 15,
                periodSeconds: 20,
              },
              // Ready once its certificates are in place and the webhooks listen.
              readinessProbe: {
                httpGet: { path: "/readyz", port: PORTS.health },
                initialDelaySeconds: 5,
                periodSeconds: 10,
              },
              resources: {
                limits: { cpu: "2", memory: "512Mi" },
                requests: { cpu: "500m", memory: "512Mi" },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [
                { mountPath: "/tmp/k8s-webhook-server/serving-certs", name: "cert", readOnly: true },
                { mountPath: `/${N.configKey}`, name: "manager-config", subPath: N.configKey },
              ],
            },
          ],
          volumes: [
            { name: "cert", secret: { defaultMode: 420, secretName: N.webhookSecret } },
            { name: "manager-config", configMap: { name: N.configMap } },
          ],
        },
      },
    },
  };
}

/**
 * Every object of the install, in the order they are applied: namespace, CRDs, identity and RBAC,
 * configuration and the (empty) certificate Secret, Services, webhook configurations (before the
 * controller, so its rotator finds them when it starts), network policies, then the controller
 * and its disruption budget.
 */
export function renderKueue(args: KueueInstallArgs): AddonObject[] {
  const ns = { namespace: N.namespace };
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: N.namespace,
        labels: {
          ...MANAGED,
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "latest",
        },
      },
    },
    ...kueueCrds(),
    ...rbac(),
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: N.configMap, ...ns, labels: { ...MANAGED } },
      data: { [N.configKey]: stringify(kueueConfiguration(args)) },
    },
    // Kueue's rotator fills it (it updates, never creates, this Secret); declaring no data keeps
    // Pulumi from fighting it.
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: N.webhookSecret, ...ns, labels: { ...MANAGED } },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: N.webhookService, ...ns, labels: { ...MANAGED } },
      spec: {
        ports: [{ port: 443, protocol: "TCP", targetPort: PORTS.webhook }],
        selector: { ...SELECTOR },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: N.metricsService, ...ns, labels: { ...MANAGED } },
      spec: {
        ports: [{ name: "https", port: PORTS.metrics, protocol: "TCP", targetPort: PORTS.metrics }],
        selector: { ...SELECTOR },
      },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "MutatingWebhookConfiguration",
      metadata: { name: N.mutatingWebhook, labels: { ...MANAGED } },
      webhooks: KUEUE_MUTATING_HOOKS.map(webhook),
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingWebhookConfiguration",
      metadata: { name: N.validatingWebhook, labels: { ...MANAGED } },
      webhooks: KUEUE_VALIDATING_HOOKS.map(webhook),
    },
    ...networkPolicies(args.dns),
    deployment(args),
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: N.deployment, ...ns, labels: { ...MANAGED } },
      spec: { minAvailable: 1, selector: { matchLabels: { ...SELECTOR } } },
    },
  ];
}
