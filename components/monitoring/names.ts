import { LABEL_BACKUP, LABEL_POOL, LABEL_WORKLOAD } from "../facts";

// The names the collectors and the rules agree on. kube-state-metrics turns an allowed label key
// into `label_` + its snake case with every other character an underscore
// (internal/store/utils.go), so `hybrid-ai-infra.io/pool` is `label_hybrid_ai_infra_io_pool`.

/** kube-state-metrics' label name for an allowed Kubernetes label key. */
export function ksmLabel(key: string): string {
  const snake = key
    .replace(/[^a-zA-Z0-9_]/g, "_")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
  return `label_${snake}`;
}

/** The labels kube-state-metrics must let through, by resource, in its flag's syntax. */
export const KSM_LABELS_ALLOWLIST: Record<string, string[]> = {
  nodes: [LABEL_POOL],
  pods: [LABEL_WORKLOAD, LABEL_POOL],
  cronjobs: [LABEL_BACKUP],
};

/** `--metric-labels-allowlist` as kube-state-metrics (and AKS's metrics profile) take it. */
export function ksmLabelsAllowlist(): string {
  return Object.entries(KSM_LABELS_ALLOWLIST)
    .map(([resource, keys]) => `${resource}=[${keys.join(",")}]`)
    .join(",");
}

/** Scrape job names: the rules read `up{job=...}` of these. */
export const JOBS = {
  kubeStateMetrics: "kube-state-metrics",
  dcgmExporter: "dcgm-exporter",
  cadvisor: "cadvisor",
  kueue: "kueue",
  cloudwatchExporter: "cloudwatch-exporter",
  azureMetricsExporter: "azure-metrics-exporter",
} as const;

/** The prefix of every recorded series. */
export const RECORD_PREFIX = "hybrid_ai_infra:";

/** Rule group names, in the order they depend on each other. */
export const GROUPS = {
  placement: "hybrid-ai-infra.placement",
  capacity: "hybrid-ai-infra.capacity",
  alerts: "hybrid-ai-infra.alerts",
  queues: "hybrid-ai-infra.queues",
  vpn: "hybrid-ai-infra.vpn",
  backups: "hybrid-ai-infra.backups",
} as const;

/** Escapes a name for a PromQL regex matcher (Kubernetes names may hold dots). */
export function regexEscape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
