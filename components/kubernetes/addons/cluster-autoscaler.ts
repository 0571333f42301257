import { CLUSTER_AUTOSCALER_SERVICE_ACCOUNT, LABEL_POOL, SYSTEM_TAINT } from "../../facts";

// Cluster Autoscaler on EKS managed node groups (the AWS cloud provider with ASG auto-discovery):
// EKS tags every managed group's Auto Scaling group for discovery, and from CA 1.24 an empty group
// is sized from `eks:DescribeNodegroup` (its labels, taints and instance type, GPUs included), so
// GPU pools scale from zero. Objects as kubernetes/autoscaler's example manifest and chart render
// them for that release, with the RBAC its chart grants on AWS.

/** Where the autoscaler serves metrics and its health check. */
const PORT = 8085;

/** What the autoscaler needs to know about its cluster. */
export interface ClusterAutoscalerArgs {
  /** The EKS cluster name: auto-discovery matches the `k8s.io/cluster-autoscaler/<name>` ASG tag. */
  clusterName: string;
  /** The cluster's region, for the AWS SDK. */
  region: string;
  /** The image, pinned; normally `CLUSTER_AUTOSCALER_IMAGES[kubernetesVersion]`. */
  image: string;
}

/** A Kubernetes object as plain data. */
export interface AddonObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  [field: string]: unknown;
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames ? { resourceNames } : {}),
});

const READ = ["watch", "list", "get"];

/** What the autoscaler reads and writes cluster-wide (the chart's ClusterRole for AWS). */
const CLUSTER_RULES = [
  rule([""], ["events", "endpoints"], ["create", "patch"]),
  rule([""], ["pods/eviction"], ["create"]),
  rule([""], ["pods/status"], ["update"]),
  rule([""], ["endpoints"], ["get", "update"], ["cluster-autoscaler"]),
  rule([""], ["nodes"], ["watch", "list", "get", "update"]),
  rule(
    [""],
    [
      "namespaces",
      "pods",
      "services",
      "replicationcontrollers",
      "persistentvolumeclaims",
      "persistentvolumes",
    ],
    READ,
  ),
  rule([""], ["podtemplates"], READ),
  rule([""], ["configmaps"], READ),
  rule(["batch"], ["jobs", "cronjobs"], READ),
  rule(["apps"], ["daemonsets", "deployments", "replicasets", "statefulsets"], READ),
  rule(["policy"], ["poddisruptionbudgets"], ["watch", "list"]),
  rule(
    ["storage.k8s.io"],
    ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"],
    READ,
  ),
  rule(["resource.k8s.io"], ["resourceslices", "deviceclasses", "resourceclaims"], READ),
  rule(["coordination.k8s.io"], ["leases"], ["create"]),
  rule(["coordination.k8s.io"], ["leases"], ["get", "update"], ["cluster-autoscaler"]),
];

/** The status ConfigMap it keeps in its own namespace. */
const NAMESPACE_RULES = [
  rule([""], ["configmaps"], ["create"]),
  rule([""], ["configmaps"], ["delete", "get", "update"], ["cluster-autoscaler-status"]),
];

/** The command line: AWS auto-discovery of this cluster's groups, tuned for GPU pools. */
export function clusterAutoscalerCommand(args: ClusterAutoscalerArgs): string[] {
  return [
    "./cluster-autoscaler",
    "--v=2",
    "--cloud-provider=aws",
    `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${args.clusterName}`,
    // One group per zone for the same shape: keep them even, so zonal volumes find a node.
    "--balance-similar-node-groups",
    // Choose the group that wastes least cpu and memory: an expensive GPU node only for GPU work.
    "--expander=least-waste",
    // Add-ons run on the system group; without these a node running a DaemonSet pod or an
    // emptyDir never scales down, and idle GPU nodes are paid for.
    "--skip-nodes-with-system-pods=false",
    "--skip-nodes-with-local-storage=false",
    `--address=:${PORT}`,
  ];
}

/** The autoscaler's objects as plain data: ServiceAccount, RBAC and the Deployment. */
export function renderClusterAutoscaler(args: ClusterAutoscalerArgs): AddonObject[] {
  const { namespace, name } = CLUSTER_AUTOSCALER_SERVICE_ACCOUNT;
  const selector = { "app.kubernetes.io/name": "cluster-autoscaler" };
  const labels = { ...selector, "app.kubernetes.io/managed-by": "hybrid-ai-infra" };
  const meta = { name, labels };
  const subject = [{ kind: "ServiceAccount", name, namespace }];
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { ...meta, namespace } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: meta, rules: CLUSTER_RULES },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: meta,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: subject,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { ...meta, namespace },
      rules: NAMESPACE_RULES,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { ...meta, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: subject,
    },
    renderDeployment(args, { namespace, name, selector, labels }),
  ];
}

function renderDeployment(
  args: ClusterAutoscalerArgs,
  ids: { namespace: string; name: string; selector: Record<string, string>; labels: Record<string, string> },
): AddonObject {
  const resources = { cpu: "100m", memory: "600Mi" };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: ids.name, namespace: ids.namespace, labels: ids.labels },
    spec: {
      // One active instance holds the lease; a second would only wait.
      replicas: 1,
      selector: { matchLabels: ids.selector },
      template: {
        metadata: {
          labels: ids.labels,
          // It must never evict itself while draining the node it runs on.
          annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" },
        },
        spec: {
          serviceAccountName: ids.name,
          priorityClassName: "system-cluster-critical",
          // On the on-demand system group, never on a group it may scale down or lose to spot.
          nodeSelector: { "kubernetes.io/os": "linux", [LABEL_POOL]: "system" },
          tolerations: [{ key: SYSTEM_TAINT.key, operator: "Exists", effect: SYSTEM_TAINT.effect }],
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 65534,
            fsGroup: 65534,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "cluster-autoscaler",
              image: args.image,
              command: clusterAutoscalerCommand(args),
              env: [{ name: "AWS_REGION", value: args.region }],
              ports: [{ name: "metrics", containerPort: PORT, protocol: "TCP" }],
              livenessProbe: { httpGet: { path: "/health-check", port: PORT } },
              resources: { requests: resources, limits: resources },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
            },
          ],
        },
      },
    },
  };
}
