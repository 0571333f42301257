import type { SiteMetrics } from "./model";
import { JOBS, RECORD_PREFIX, regexEscape } from "./names";
import type { AlertingRule, Severity } from "./rule-types";

// The alerts every site has. Annotation templates see the expression's labels only, never the
// rule's own (`site`, `severity`): an alert over `absent()` has no labels at all. So the site is
// written into the text here, not templated.

const r = (name: string) => `${RECORD_PREFIX}${name}`;

/** The runbook section of each alert in docs/monitoring.md (GitHub's heading anchors). */
export const RUNBOOK_ANCHORS = {
  HybridPoolAtMaxNodesWithPendingPods: "pool-at-max-nodes-with-pending-pods",
  HybridGpuIdle: "gpus-idle",
  HybridKubeStateMetricsMissing: "kube-state-metrics-missing",
  HybridGpuMetricsMissing: "gpu-metrics-missing",
  HybridQueueWaitingPastTarget: "queue-waiting-past-its-target",
  HybridQueueAdmissionSlow: "queue-admission-slow",
  HybridKueueMetricsMissing: "kueue-metrics-missing",
  HybridVpnTunnelDown: "vpn-tunnel-down",
  HybridVpnLinkDown: "vpn-link-down",
  HybridBackupStale: "backup-older-than-its-schedule",
  HybridBackupMissing: "backup-missing",
} as const;

export type AlertName = keyof typeof RUNBOOK_ANCHORS;

/** One alert: its labels carry the site and severity, its annotations a summary, a description and the runbook. */
export function alert(
  m: SiteMetrics,
  name: AlertName,
  spec: {
    expr: string;
    for?: string;
    severity: Severity;
    labels?: Record<string, string>;
    summary: string;
    description: string;
  },
): AlertingRule {
  return {
    alert: name,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: { site: m.site, severity: spec.severity, ...(spec.labels ?? {}) },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${m.runbookUrl}#${RUNBOOK_ANCHORS[name]}`,
    },
  };
}

/** The GPU pools of a site, as a regex alternation. */
function gpuPoolRegex(m: SiteMetrics): string | undefined {
  const names = m.pools.filter((p) => (p.node.gpus ?? 0) > 0).map((p) => regexEscape(p.name));
  return names.length > 0 ? names.join("|") : undefined;
}

/** Pools, GPUs and the collectors the other rules read. */
export function coreAlerts(m: SiteMetrics): AlertingRule[] {
  const t = m.thresholds;
  const gpuPools = gpuPoolRegex(m);
  return [
    alert(m, "HybridPoolAtMaxNodesWithPendingPods", {
      expr: `(
  ${r("pool_nodes:count")}
    >= on (pool) group_left () max by (pool) (${r("pool_nodes_max")})
)
and on (pool)
(${r("pool_unschedulable_pods")} > 0)`,
      for: t.poolFullPendingFor,
      severity: "warning",
      summary: `Pool {{ $labels.pool }} on ${m.site} is at maxNodes with unschedulable pods`,
      description: `{{ $labels.pool }} has {{ $value }} nodes, its maxNodes, and placed pods have been unschedulable for ${t.poolFullPendingFor}. Raise the pool's maxNodes, or move work elsewhere through the catalog.`,
    }),
    alert(m, "HybridGpuIdle", {
      expr: `max by (namespace, workload, pool) (
  max_over_time(${r("gpu_utilisation:by_gpu")}[10m])
) < ${t.gpuIdleBelowPercent}`,
      for: t.gpuIdleFor,
      severity: "warning",
      summary: `GPUs of {{ $labels.workload }} on ${m.site} idle for ${t.gpuIdleFor}`,
      description: `Every GPU held by {{ $labels.namespace }}/{{ $labels.workload }} on pool {{ $labels.pool }} stayed below ${t.gpuIdleBelowPercent}% utilisation for ${t.gpuIdleFor}. Right-size its GPU request or its replicas in the catalog.`,
    }),
    alert(m, "HybridKubeStateMetricsMissing", {
      expr: `absent(up{job="${JOBS.kubeStateMetrics}"} == 1)`,
      for: t.metricsMissingFor,
      severity: "critical",
      summary: `kube-state-metrics is not scraped on ${m.site}`,
      description:
        "Every placement, pool and backup rule reads kube-state-metrics: none of them can fire without it.",
    }),
    ...(gpuPools
      ? [
          alert(m, "HybridGpuMetricsMissing", {
            expr: `${r("node_pool:info")}{pool=~"${gpuPools}"} unless on (node) (up{job="${JOBS.dcgmExporter}"} == 1)`,
            for: t.metricsMissingFor,
            severity: "warning",
            summary: `No DCGM metrics from GPU node {{ $labels.node }} on ${m.site}`,
            description:
              "The DCGM exporter on {{ $labels.node }} (pool {{ $labels.pool }}) is not scraped: its GPUs' use is invisible and the idle-GPU alert cannot fire for them.",
          }),
        ]
      : []),
  ];
}
