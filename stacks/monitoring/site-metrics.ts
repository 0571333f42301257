import type { QueueSettings, WorkloadSpec } from "../../components/kubernetes";
import { renderQueues } from "../../components/kubernetes/internal";
import {
  type MetricsCloud,
  type MonitoredPool,
  type MonitoredWorkload,
  resolveThresholds,
  type SiteMetrics,
} from "../../components/monitoring";
import type { PlacementResult, Target } from "../../components/placement";
import type { Sites } from "../config";
import { tunnelsBySite } from "./tunnels";

/** Where alerts' runbook links point unless config says otherwise. */
export const DEFAULT_RUNBOOK =
  "https://github.com/hybrid-ai-infra/hybrid-ai-infra/blob/main/docs/monitoring.md";

/** The pools of a target as placement sized them: floor, ceiling, and the nodes the decision pays for. */
function poolsOf(target: Target, decision: PlacementResult | undefined): MonitoredPool[] {
  return target.pools.map((pool) => {
    const packed =
      decision?.packing.find((p) => p.target === target.name && p.pool === pool.name)?.nodes.length ?? 0;
    const minNodes = pool.minNodes ?? 0;
    return {
      name: pool.name,
      minNodes,
      maxNodes: pool.maxNodes,
      // Placement pays for max(minNodes, nodes used) (DESIGN.md section 6): that is what it placed.
      placedNodes: Math.max(minNodes, packed),
      node: { cpu: pool.node.cpu, memoryGiB: pool.node.memoryGiB, gpus: pool.node.gpu?.count },
    };
  });
}

/** The workload parts the decision put on a target, with what each replica requests. */
function workloadsOf(
  target: Target,
  catalog: WorkloadSpec[],
  decision: PlacementResult | undefined,
): MonitoredWorkload[] {
  const specs = new Map(catalog.map((w) => [w.name, w]));
  return (decision?.assignments ?? [])
    .filter((a) => a.target === target.name)
    .flatMap((a) => {
      const w = specs.get(a.workload);
      if (!w) return [];
      return [
        {
          name: w.name,
          namespace: w.namespace ?? w.owner,
          pool: a.pool,
          replicas: a.replicas,
          cpu: w.cpu,
          memoryGiB: w.memoryGiB,
          gpus: w.gpu?.count,
        },
      ];
    });
}

/**
 * The Kueue ClusterQueues each cluster gets for the decision (components/kubernetes/queues, the
 * cluster phase's own rendering), by cluster; none without a catalog.
 */
export function clusterQueues(
  targets: Target[],
  workloads: {
    catalog?: WorkloadSpec[] | undefined;
    decision?: PlacementResult | undefined;
    queues?: QueueSettings | undefined;
  },
  multiKueue: { manager: string; workers: string[] } | undefined,
): Record<string, string[]> {
  if (!workloads.catalog || !workloads.decision) return {};
  const plan = renderQueues({
    result: workloads.decision,
    workloads: workloads.catalog,
    targets,
    settings: workloads.queues,
    multiKueue,
  });
  return Object.fromEntries(
    Object.entries(plan.objects).map(([cluster, objects]) => [
      cluster,
      objects
        .filter((o) => o.kind === "ClusterQueue")
        .map((o) => o.metadata.name)
        .sort(),
    ]),
  );
}

/**
 * What each site's rules are generated from: its pools and placed workloads (from the decision),
 * its Kueue ClusterQueues, the tunnels its cloud reports on, and the thresholds config sets.
 * Backups: none yet (the backup capability will name its CronJobs; the group is left out until then).
 */
export function siteMetricsOf(
  sites: Sites,
  targets: Target[],
  workloads: { catalog?: WorkloadSpec[] | undefined; decision?: PlacementResult | undefined },
  queues: Record<string, string[]> = {},
): SiteMetrics[] {
  const monitoring = sites.config.monitoring;
  const thresholds = resolveThresholds(monitoring?.thresholds);
  const tunnels = tunnelsBySite(sites);
  return sites.all.flatMap((site) => {
    const target = targets.find((t) => t.name === site.name);
    if (!target) return [];
    return [
      {
        site: site.name,
        cloud: site.kind as MetricsCloud,
        pools: poolsOf(target, workloads.decision),
        workloads: workloadsOf(target, workloads.catalog ?? [], workloads.decision),
        queues: (queues[site.name] ?? []).map((clusterQueue) => ({ clusterQueue })),
        backups: [],
        tunnels: tunnels[site.kind] ?? [],
        thresholds,
        runbookUrl: monitoring?.runbookUrl ?? DEFAULT_RUNBOOK,
      },
    ];
  });
}
