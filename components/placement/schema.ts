import { z } from "zod";
import { showValue } from "../validation";

// The zod shape of PlacementInput (DESIGN.md section 6). Unknown fields are stripped rather than
// refused, so a workload catalog may carry its own fields (images, ports) beside the placement ones.
// Rules that relate one field to another (unique names, pins, minNodes <= maxNodes) live in
// cross-checks.ts, which runs even when this schema finds problems, so one error lists everything.

const positive = z.number().positive().finite();
const nonNegative = z.number().nonnegative().finite();
const count = z.number().int().positive();

/**
 * The most replicas one workload may ask for. Beyond it a count is a typo of a few zeros more
 * often than a fleet, and the solvers' work grows with replicas; split a larger fleet into
 * workloads.
 */
export const MAX_REPLICAS = 10_000;
const name = z.string().min(1).max(253);
const slashFreeName = name.regex(
  /^[^/]+$/,
  "must not contain '/' (pins and candidates use it as a separator)",
);

export const WORKLOAD_KINDS = ["service", "inference", "training", "batch"] as const;
export const CLASSIFICATIONS = ["public", "internal", "confidential", "restricted"] as const;
export const CLOUDS = ["onprem", "aws", "azure"] as const;
export const TRUSTS = ["private", "public"] as const;
export const SOLVERS = ["auto", "heuristic", "exact"] as const;

/** @internal The workload fields as zod parses them; the kubernetes folder extends them with its own. Not part of the public API. */
export const workloadSchema = z.object({
  name,
  kind: z.enum(WORKLOAD_KINDS),
  replicas: count.max(
    MAX_REPLICAS,
    `the most one workload may ask for is ${MAX_REPLICAS} replicas; split a larger fleet into several workloads`,
  ),
  cpu: positive,
  memoryGiB: positive,
  gpu: z.object({ count, models: z.array(z.string().min(1)).min(1).optional() }).optional(),
  classification: z.enum(CLASSIFICATIONS),
  residency: z.array(z.string().min(1)).min(1).optional(),
  priority: z.number().finite().optional(),
  spotOk: z.boolean().optional(),
  datasets: z.array(z.object({ name: z.string().min(1), readGiBPerHour: nonNegative })).optional(),
  spread: z.object({ minTargets: count }).optional(),
  pin: z
    .string()
    .regex(/^[^/]+(\/[^/]+)?$/, 'use "target" or "target/pool"')
    .optional(),
  tolerations: z
    .array(z.object({ key: z.string().min(1), value: z.string().optional(), effect: z.string().optional() }))
    .optional(),
});

export const poolSchema = z
  .object({
    name: slashFreeName,
    node: z.object({
      cpu: positive,
      memoryGiB: positive,
      gpu: z.object({ count, model: z.string().min(1) }).optional(),
    }),
    minNodes: z.number().int().nonnegative().optional(),
    maxNodes: z.number().int(),
    pricePerNodeHour: nonNegative,
    spot: z.boolean().optional(),
    headroom: z.number().min(0).lt(1).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    taints: z
      .array(z.object({ key: z.string().min(1), value: z.string().optional(), effect: z.string().min(1) }))
      .optional(),
  })
  // On the pool rather than the field, so the message can name the pool; `when` keeps it running
  // while other fields of the same pool are wrong, so one error still lists every problem.
  .refine((pool) => pool.maxNodes >= 1, {
    path: ["maxNodes"],
    when: (payload) => {
      const value = payload.value as { maxNodes?: unknown } | null;
      return typeof value === "object" && value !== null && Number.isInteger(value.maxNodes);
    },
    error: (issue) => {
      const pool = issue.input as { name?: unknown; maxNodes?: unknown };
      return `${showValue(pool.maxNodes)} leaves pool ${showValue(pool.name)} no capacity; maxNodes must be at least 1 (leave out a pool that should get no work)`;
    },
  });

export const targetSchema = z.object({
  name: slashFreeName,
  cloud: z.enum(CLOUDS),
  region: z.string().min(1),
  jurisdiction: z.string().min(1),
  trust: z.enum(TRUSTS),
  egressPricePerGiB: nonNegative.optional(),
  datasets: z.array(z.string().min(1)).optional(),
  remoteDatasets: z.array(z.string().min(1)).optional(),
  pools: z.array(poolSchema),
});

export const lockSchema = z.object({
  version: z.literal(1),
  assignments: z.array(z.object({ workload: name, target: name, pool: name, replicas: count })),
});

export const placementInputSchema = z.object({
  workloads: z.array(workloadSchema),
  targets: z.array(targetSchema),
  previous: lockSchema.optional(),
  options: z
    .object({
      moveCost: nonNegative.optional(),
      timeLimitMs: positive.optional(),
      solver: z.enum(SOLVERS).optional(),
    })
    .optional(),
});

export type ParsedPlacementInput = z.output<typeof placementInputSchema>;
