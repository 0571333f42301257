import type { SiteMetrics } from "./model";
import { RECORD_PREFIX } from "./names";
import type { RecordingRule } from "./rule-types";

// Placed capacity, from the placement decision: constant series the site's ruler records every
// interval, so the dashboard and the alerts read the decision beside what runs. They change exactly
// when an update changes the decision.

const GiB = 1024 ** 3;

/** One constant series: `vector(value)` with the site's and the given labels. */
export function fact(
  site: string,
  name: string,
  value: number,
  labels: Record<string, string>,
): RecordingRule {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} ${JSON.stringify(labels)}: ${value} is not a number`);
  return { record: `${RECORD_PREFIX}${name}`, expr: `vector(${value})`, labels: { site, ...labels } };
}

/** Per pool: nodes (floor, ceiling, placed) and one node's capacity; per workload part: what placement budgeted. */
export function placementFacts(m: SiteMetrics): RecordingRule[] {
  const out: RecordingRule[] = [];
  for (const pool of m.pools) {
    const p = { pool: pool.name };
    out.push(fact(m.site, "pool_nodes_max", pool.maxNodes, p));
    out.push(fact(m.site, "pool_nodes_min", pool.minNodes, p));
    out.push(fact(m.site, "pool_nodes_placed", pool.placedNodes, p));
    out.push(fact(m.site, "pool_node_capacity", pool.node.cpu, { ...p, resource: "cpu" }));
    out.push(fact(m.site, "pool_node_capacity", pool.node.memoryGiB * GiB, { ...p, resource: "memory" }));
    if (pool.node.gpus)
      out.push(fact(m.site, "pool_node_capacity", pool.node.gpus, { ...p, resource: "nvidia_com_gpu" }));
  }
  for (const w of m.workloads) {
    const l = { namespace: w.namespace, workload: w.name, pool: w.pool };
    out.push(fact(m.site, "workload_placed", w.replicas * w.cpu, { ...l, resource: "cpu" }));
    out.push(fact(m.site, "workload_placed", w.replicas * w.memoryGiB * GiB, { ...l, resource: "memory" }));
    if (w.gpus)
      out.push(fact(m.site, "workload_placed", w.replicas * w.gpus, { ...l, resource: "nvidia_com_gpu" }));
  }
  return out;
}
