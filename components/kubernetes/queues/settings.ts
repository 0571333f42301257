import { z } from "zod";
import { KUEUE_PREEMPTION, KUEUE_PRIORITY_RANGE, KUEUE_QUEUEING_STRATEGIES } from "../../facts";
import { dnsLabelSchema, type IssueSink } from "../../validation";

// How a catalog's queues behave (its top-level `queues:` section): the named priorities teams
// submit with, and Kueue's preemption and queueing policy for every ClusterQueue. Only what Kueue
// enforces is offered: priorities order admission and preemption; shortest-job-first is not
// something Kueue can express (see docs/queues.md).

/** A WorkloadPriorityClass: a name Jobs carry and the value Kueue orders and preempts by. */
export interface PriorityClass {
  /** The class name (a DNS label): `priority: <name>` in the catalog, `kueue.x-k8s.io/priority-class` on Jobs. */
  name: string;
  /** Higher is admitted first and may preempt lower (an int32); also the workload's placement priority. */
  value: number;
  /** What the class is for, shown by `kubectl get workloadpriorityclass`. */
  description?: string;
}

/** Kueue's preemption policy for every ClusterQueue (ClusterQueue `spec.preemption`). */
export interface PreemptionPolicy {
  /** Whether a pending Job may evict admitted ones of its own team's queue: default `LowerPriority`. */
  withinClusterQueue?: (typeof KUEUE_PREEMPTION.withinClusterQueue)[number];
  /** Whether a team may take back quota it lent to the cohort: default `Any` (whatever borrowed it is evicted). */
  reclaimWithinCohort?: (typeof KUEUE_PREEMPTION.reclaimWithinCohort)[number];
  /** Whether a Job that borrows may evict other teams' lower-priority Jobs: default `Never`. */
  borrowWithinCohort?: {
    /** `Never` or `LowerPriority`. */
    policy: (typeof KUEUE_PREEMPTION.borrowWithinCohort)[number];
    /** Only Jobs at or below this priority may be evicted so another can borrow. */
    maxPriorityThreshold?: number;
  };
}

/** The catalog's `queues:` section. */
export interface QueueSettings {
  /** Named priorities; a workload's `priority` may name one. */
  priorityClasses?: PriorityClass[];
  /** Preemption in every ClusterQueue. */
  preemption?: PreemptionPolicy;
  /** `BestEffortFIFO` (default: a younger Job that fits goes ahead of an older one that does not) or `StrictFIFO`. */
  queueingStrategy?: (typeof KUEUE_QUEUEING_STRATEGIES)[number];
}

/** The defaults every ClusterQueue gets. */
export const QUEUE_DEFAULTS = {
  preemption: {
    withinClusterQueue: "LowerPriority",
    reclaimWithinCohort: "Any",
    borrowWithinCohort: { policy: "Never" },
  },
  queueingStrategy: "BestEffortFIFO",
} as const satisfies Required<Pick<QueueSettings, "preemption" | "queueingStrategy">>;

const int32 = z
  .number()
  .int("is not a whole number; Kueue priorities are int32 values")
  .min(KUEUE_PRIORITY_RANGE.min)
  .max(KUEUE_PRIORITY_RANGE.max);

/** The zod schema of `QueueSettings`. */
export const queueSettingsSchema = z
  .strictObject({
    priorityClasses: z
      .array(
        z.strictObject({
          name: dnsLabelSchema,
          value: int32,
          description: z.string().max(2048).optional(),
        }),
      )
      .optional(),
    preemption: z
      .strictObject({
        withinClusterQueue: z.enum(KUEUE_PREEMPTION.withinClusterQueue).optional(),
        reclaimWithinCohort: z.enum(KUEUE_PREEMPTION.reclaimWithinCohort).optional(),
        borrowWithinCohort: z
          .strictObject({
            policy: z.enum(KUEUE_PREEMPTION.borrowWithinCohort),
            maxPriorityThreshold: int32.optional(),
          })
          .optional(),
      })
      .optional(),
    queueingStrategy: z.enum(KUEUE_QUEUEING_STRATEGIES).optional(),
  })
  .superRefine(checkSettings);

function checkSettings(settings: QueueSettings, ctx: IssueSink): void {
  const seen = new Map<string, number>();
  (settings.priorityClasses ?? []).forEach((c, i) => {
    const first = seen.get(c.name);
    if (first !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["priorityClasses", i, "name"],
        message: `"${c.name}" is also priorityClasses[${first}]; name each priority once`,
      });
    else seen.set(c.name, i);
  });
  const p = settings.preemption;
  // Kueue's own rule (ClusterQueue CEL): borrowing may not preempt where reclaiming may not.
  if (p?.reclaimWithinCohort === "Never" && p.borrowWithinCohort && p.borrowWithinCohort.policy !== "Never")
    ctx.addIssue({
      code: "custom",
      path: ["preemption", "borrowWithinCohort", "policy"],
      message: `is "${p.borrowWithinCohort.policy}" while reclaimWithinCohort is "Never"; Kueue allows preemption while borrowing only where reclaiming may preempt`,
    });
}

/** The preemption policy a ClusterQueue gets: the catalog's, field by field over the defaults. */
export function preemptionOf(settings: QueueSettings | undefined): Required<
  Omit<PreemptionPolicy, "borrowWithinCohort">
> & {
  borrowWithinCohort: NonNullable<PreemptionPolicy["borrowWithinCohort"]>;
} {
  const p = settings?.preemption ?? {};
  return {
    withinClusterQueue: p.withinClusterQueue ?? QUEUE_DEFAULTS.preemption.withinClusterQueue,
    reclaimWithinCohort: p.reclaimWithinCohort ?? QUEUE_DEFAULTS.preemption.reclaimWithinCohort,
    borrowWithinCohort: p.borrowWithinCohort ?? { ...QUEUE_DEFAULTS.preemption.borrowWithinCohort },
  };
}

/**
 * The name of the WorkloadPriorityClass for a placement priority: the catalog's class of that value
 * (the first, if several share it), else `priority-<value>` (`priority-minus-<n>` below zero).
 */
export function priorityClassName(value: number, settings: QueueSettings | undefined): string {
  const named = (settings?.priorityClasses ?? []).find((c) => c.value === value);
  if (named) return named.name;
  return value < 0 ? `priority-minus-${-value}` : `priority-${value}`;
}
