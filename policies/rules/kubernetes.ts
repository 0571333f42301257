// Pods as the security model wants them: placed where their data may go, never privileged or in
// the host's namespaces, and bounded (requests and limits, which the namespace quota counts).
import { get, list, type Props, type Report, resourceRule, strings } from "./kit";

/** Kinds that carry a pod template, and where in their inputs the pod spec and its metadata sit. */
const POD_SPEC_PATHS: Record<string, { spec: string; metadata: string }> = {
  "kubernetes:core/v1:Pod": { spec: "spec", metadata: "metadata" },
  "kubernetes:apps/v1:Deployment": { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  "kubernetes:apps/v1:StatefulSet": { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  "kubernetes:apps/v1:DaemonSet": { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  "kubernetes:apps/v1:ReplicaSet": { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  "kubernetes:batch/v1:Job": { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  "kubernetes:batch/v1:CronJob": {
    spec: "spec.jobTemplate.spec.template.spec",
    metadata: "spec.jobTemplate.spec.template.metadata",
  },
};
const POD_KINDS = Object.keys(POD_SPEC_PATHS);

/** The label and annotations the renderer writes (DESIGN.md section 5). */
export const CLASSIFICATION_LABEL = "hybrid-ai-infra.io/data-classification";
export const TRUST_ANNOTATION = "placement.hybrid-ai-infra.io/trust";
export const TARGET_ANNOTATION = "placement.hybrid-ai-infra.io/target";

const EXEMPT_SCHEMA = {
  properties: {
    exemptNamespaces: {
      type: "array",
      items: { type: "string" },
      default: ["kube-system"],
      description: "Namespaces whose pods this rule leaves alone (cluster add-ons run there).",
    },
  },
} as const;

function podOf(type: string, props: Props): { spec: Props; metadata: Props } {
  const paths = POD_SPEC_PATHS[type];
  return {
    spec: (paths ? (get(props, paths.spec) as Props | undefined) : undefined) ?? {},
    metadata: (paths ? (get(props, paths.metadata) as Props | undefined) : undefined) ?? {},
  };
}

function containersOf(spec: Props): Props[] {
  return [
    ...list(spec.initContainers),
    ...list(spec.containers),
    ...list(spec.ephemeralContainers),
  ] as Props[];
}

function exempt(props: Props, config: Record<string, unknown>): boolean {
  const namespace = String(get(props, "metadata.namespace") ?? "default");
  return strings(config.exemptNamespaces).includes(namespace);
}

export const k8sPlacementAllowed = resourceRule({
  name: "k8s-placement-allowed",
  description:
    "A pod template labelled restricted or confidential runs only where the placement engine put it: restricted data only on a private target, confidential only with a recorded placement.",
  remediation:
    "Deploy the workload through the catalog (PlacedWorkloads), which places it by its classification and records placement.hybrid-ai-infra.io/target and /trust on its pods.",
  benchmarks: ["hybrid-ai-infra:placement"],
  enforcementLevel: "mandatory",
  types: POD_KINDS,
  check: ({ type, props }, report) => {
    const { metadata } = podOf(type, props);
    const labels = {
      ...((get(props, "metadata.labels") as Props | undefined) ?? {}),
      ...((get(metadata, "labels") as Props | undefined) ?? {}),
    };
    const level = String(labels[CLASSIFICATION_LABEL] ?? "");
    if (level !== "restricted" && level !== "confidential") return;
    const annotations = (get(metadata, "annotations") as Props | undefined) ?? {};
    const trust = annotations[TRUST_ANNOTATION];
    if (trust === undefined || annotations[TARGET_ANNOTATION] === undefined) {
      report(
        `is labelled ${CLASSIFICATION_LABEL}=${level} but its pods carry no placement (${TARGET_ANNOTATION}, ${TRUST_ANNOTATION}); ${level} data runs only where the placement engine put it`,
      );
      return;
    }
    if (level === "restricted" && trust !== "private")
      report(
        `holds restricted data on target ${String(annotations[TARGET_ANNOTATION])}, whose trust is ${String(trust)}; restricted data runs only on private targets`,
      );
  },
});

// Pod spec fields that hand a pod the host: its network, processes, IPC.
const HOST_NAMESPACES = ["hostNetwork", "hostPID", "hostIPC"] as const;

export const k8sNoPrivileged = resourceRule({
  name: "k8s-no-privileged",
  description:
    "No privileged container, no privilege escalation, and no pod in the host's network, PID or IPC namespace.",
  remediation:
    "Remove securityContext.privileged and hostNetwork/hostPID/hostIPC; set allowPrivilegeEscalation: false (Pod Security 'restricted' requires all of this).",
  benchmarks: [
    "cis-k8s:5.2.2",
    "cis-k8s:5.2.3",
    "cis-k8s:5.2.4",
    "cis-k8s:5.2.5",
    "cis-k8s:5.2.6",
    "checkov:CKV_K8S_16",
    "checkov:CKV_K8S_17",
    "checkov:CKV_K8S_18",
    "checkov:CKV_K8S_19",
    "checkov:CKV_K8S_20",
  ],
  enforcementLevel: "mandatory",
  configSchema: EXEMPT_SCHEMA,
  types: POD_KINDS,
  check: ({ type, props, config }, report) => {
    if (exempt(props, config)) return;
    const { spec } = podOf(type, props);
    for (const field of HOST_NAMESPACES)
      if (spec[field] === true) report(`sets ${field}: true; pods stay out of the host's namespaces`);
    for (const c of containersOf(spec)) {
      const name = String(c.name ?? "?");
      if (get(c, "securityContext.privileged") === true) report(`container ${name} is privileged`);
      if (get(c, "securityContext.allowPrivilegeEscalation") !== false)
        report(`container ${name} does not set securityContext.allowPrivilegeEscalation: false`);
    }
  },
});

function checkResources(c: Props, report: Report): void {
  const name = String(c.name ?? "?");
  const requests = (get(c, "resources.requests") as Props | undefined) ?? {};
  const limits = (get(c, "resources.limits") as Props | undefined) ?? {};
  const missing = [
    ...["cpu", "memory"].filter((r) => requests[r] === undefined).map((r) => `requests.${r}`),
    ...["cpu", "memory"].filter((r) => limits[r] === undefined).map((r) => `limits.${r}`),
  ];
  if (missing.length > 0) report(`container ${name} sets no ${missing.join(", ")}`);
  const gpu = "nvidia.com/gpu";
  if (requests[gpu] !== undefined && String(limits[gpu]) !== String(requests[gpu]))
    report(
      `container ${name} requests ${String(requests[gpu])} ${gpu} but limits ${String(limits[gpu] ?? "none")}; GPUs need equal requests and limits`,
    );
}

export const k8sRequestsLimits = resourceRule({
  name: "k8s-requests-limits",
  description:
    "Every container sets cpu and memory requests and limits (and equal GPU requests and limits), so quotas and scheduling hold.",
  remediation: "Set resources.requests and resources.limits for cpu and memory on every container.",
  benchmarks: ["checkov:CKV_K8S_10", "checkov:CKV_K8S_11", "checkov:CKV_K8S_12", "checkov:CKV_K8S_13"],
  enforcementLevel: "mandatory",
  configSchema: EXEMPT_SCHEMA,
  types: POD_KINDS,
  check: ({ type, props, config }, report) => {
    if (exempt(props, config)) return;
    for (const c of containersOf(podOf(type, props).spec)) checkResources(c, report);
  },
});

export const KUBERNETES_RULES = [k8sPlacementAllowed, k8sNoPrivileged, k8sRequestsLimits];
