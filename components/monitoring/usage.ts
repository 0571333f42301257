import { z } from "zod";
import { ConfigError, type ConfigIssue, formatPath } from "../validation";
import { RECORD_PREFIX } from "./names";

// Observed use, fed back into the plan: a usage export is the unmodified JSON answer of a
// Prometheus-compatible query API (`GET <store>/api/v1/query?query=<usageQuery()>`) to the query
// below, run against each site's store. The plan reads one or more of them and shows, per
// workload, what it asked for, what it used, and what placement would do with right-sized requests.

/** How far back the export looks by default: a week covers weekday and weekend load. */
export const USAGE_WINDOW = "7d";

/** The query whose answer is a usage export, over `window`. */
export function usageQuery(window: string = USAGE_WINDOW): string {
  const r = (name: string) => `${RECORD_PREFIX}${name}`;
  return [
    `label_replace(quantile_over_time(0.95, ${r("workload_used_per_replica")}[${window}]), "stat", "p95_per_replica", "", "")`,
    `label_replace(max_over_time(${r("workload_used_per_replica")}[${window}]), "stat", "max_per_replica", "", "")`,
    `label_replace(label_replace(quantile_over_time(0.95, ${r("workload_gpu_utilisation:avg")}[${window}]), "stat", "p95", "", ""), "resource", "gpu_utilisation", "", "")`,
    `label_replace(label_replace(avg_over_time(${r("workload_replicas")}[${window}]), "stat", "avg", "", ""), "resource", "replicas", "", "")`,
  ].join("\nor\n");
}

/** Resources an export reports: cores, bytes, GPUs, GPU utilisation in percent, running replicas. */
export const USAGE_RESOURCES = ["cpu", "memory", "nvidia_com_gpu", "gpu_utilisation", "replicas"] as const;
export const USAGE_STATS = ["p95_per_replica", "max_per_replica", "p95", "avg"] as const;

/** The HTTP API writes sample values as strings; "NaN" and "+Inf" are refused (a query over no data). */
const FINITE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

const sampleSchema = z.object({
  metric: z.object({
    site: z.string().min(1),
    namespace: z.string().min(1),
    workload: z.string().min(1),
    pool: z.string().min(1),
    resource: z.enum(USAGE_RESOURCES),
    stat: z.enum(USAGE_STATS),
  }),
  value: z.tuple([z.number(), z.string().regex(FINITE, "is not a finite number")]),
});

const responseSchema = z.object({
  status: z.literal("success", { error: 'is not "success": the query failed; its error is in the file' }),
  data: z.object({
    resultType: z.literal("vector", {
      error: 'is not "vector": export an instant query (/api/v1/query), not a range query',
    }),
    result: z
      .array(sampleSchema)
      .min(1, "is empty: the query matched nothing (wrong store, or no hybrid_ai_infra:* records yet)"),
  }),
});

/** One sample of an export. */
export interface UsageSample {
  site: string;
  namespace: string;
  workload: string;
  pool: string;
  resource: (typeof USAGE_RESOURCES)[number];
  stat: (typeof USAGE_STATS)[number];
  value: number;
}

/** The stats every workload part must carry: without them there is nothing to right-size. */
const REQUIRED: [UsageSample["resource"], UsageSample["stat"]][] = [
  ["cpu", "p95_per_replica"],
  ["memory", "p95_per_replica"],
];

/**
 * The samples of a usage export, or one ConfigError naming the file and every problem: not JSON,
 * not the query's answer (with the JSON path of each bad field), empty, a sample given twice, or a
 * workload part missing the stats right-sizing needs.
 */
export function parseUsageExport(file: string, text: string): UsageSample[] {
  const subject = `usage export ${file}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(subject, [{ path: "", message: `is not JSON (${(e as Error).message})` }]);
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(
      subject,
      parsed.error.issues.map((i) => ({ path: formatPath(i.path) || "(the file)", message: i.message })),
    );
  const samples = parsed.data.data.result.map(
    (s): UsageSample => ({ ...s.metric, value: Number(s.value[1]) }),
  );
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, number>();
  samples.forEach((s, i) => {
    const key = `${s.site}/${s.namespace}/${s.workload}/${s.pool}/${s.resource}/${s.stat}`;
    const first = seen.get(key);
    if (first !== undefined)
      issues.push({
        path: `data.result[${i}]`,
        message: `repeats data.result[${first}] (${key}): merge exports of one store once`,
      });
    else seen.set(key, i);
  });
  const parts = new Set(samples.map((s) => `${s.site}/${s.namespace}/${s.workload}/${s.pool}`));
  for (const part of [...parts].sort()) {
    const [site, , workload, pool] = part.split("/");
    for (const [resource, stat] of REQUIRED)
      if (!seen.has(`${part}/${resource}/${stat}`))
        issues.push({
          path: "data.result",
          message: `is partial: ${workload} on ${site}/${pool} has no ${resource} ${stat} (export the whole query, over a window where the workload ran)`,
        });
  }
  if (issues.length > 0) throw new ConfigError(subject, issues);
  return samples;
}
