import { z } from "zod";
import { durationSchema } from "./durations";

/** When each alert fires. Every field has a default (`THRESHOLD_DEFAULTS`); config overrides them one by one. */
export interface Thresholds {
  /** How long a pool must sit at maxNodes with unschedulable placed pods before it alerts. */
  poolFullPendingFor: string;
  /** Utilisation (percent) under which a GPU counts as idle. */
  gpuIdleBelowPercent: number;
  /** How long every GPU of a workload must stay idle before it alerts. */
  gpuIdleFor: string;
  /** How long a Kueue ClusterQueue may hold pending work without admitting any, by default. */
  queueWaitTarget: string;
  /** The same per ClusterQueue, by name, where a queue's target differs from the default. */
  queueWaitTargets: Record<string, string>;
  /** How long a VPN tunnel may report down (or nothing) before it alerts; the clouds report every 5 minutes. */
  vpnDownFor: string;
  /** A backup is stale once its last success is older than this many of its schedule's longest gap. */
  backupGraceFactor: number;
  /** How long a collector (kube-state-metrics, a GPU node's exporter) may be missing before it alerts. */
  metricsMissingFor: string;
}

/** The defaults, chosen so a page means work is waiting or money is idle, not noise. */
export const THRESHOLD_DEFAULTS: Thresholds = {
  poolFullPendingFor: "15m",
  gpuIdleBelowPercent: 5,
  gpuIdleFor: "4h",
  queueWaitTarget: "1h",
  queueWaitTargets: {},
  vpnDownFor: "10m",
  backupGraceFactor: 1.5,
  metricsMissingFor: "10m",
};

const MINUTE = 60;
const DAY = 86_400;

/** Config's view of the thresholds: every field optional, each checked on its own. */
export const thresholdsSchema = z.strictObject({
  poolFullPendingFor: durationSchema(MINUTE, DAY).optional(),
  gpuIdleBelowPercent: z
    .number()
    .gt(0, "the idle threshold is a utilisation above 0%")
    .lt(100, "the idle threshold is a utilisation below 100%")
    .optional(),
  gpuIdleFor: durationSchema(10 * MINUTE, 7 * DAY).optional(),
  queueWaitTarget: durationSchema(MINUTE, 7 * DAY).optional(),
  queueWaitTargets: z
    .record(
      z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "is not a ClusterQueue name"),
      durationSchema(MINUTE, 7 * DAY),
    )
    .optional(),
  // The clouds' tunnel metrics have a 5-minute grain: anything shorter alerts on one late sample.
  vpnDownFor: durationSchema(5 * MINUTE, DAY).optional(),
  backupGraceFactor: z
    .number()
    .min(1, "a backup cannot be due before its schedule runs it; give 1 or more")
    .max(10)
    .optional(),
  metricsMissingFor: durationSchema(MINUTE, DAY).optional(),
});

export type ThresholdsConfig = z.output<typeof thresholdsSchema>;

/** The thresholds config sets, over the defaults. */
export function resolveThresholds(config: ThresholdsConfig | undefined): Thresholds {
  const given = Object.fromEntries(Object.entries(config ?? {}).filter(([, v]) => v !== undefined));
  return { ...THRESHOLD_DEFAULTS, ...given } as Thresholds;
}

/** A ClusterQueue's wait target: its own, else the default. */
export function queueWaitTarget(thresholds: Thresholds, clusterQueue: string): string {
  return thresholds.queueWaitTargets[clusterQueue] ?? thresholds.queueWaitTarget;
}
