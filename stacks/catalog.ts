import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { parseCatalog, type WorkloadCatalog } from "../components/kubernetes";
import type { PlacementLock } from "../components/placement";
import { parseJsonFile, parseOrThrow } from "../components/validation";

/** Where an environment's workload catalog and placement lock live, relative to the project. */
export function catalogPath(stack: string): string {
  return join("stacks", `workloads.${stack}.yaml`);
}
export function lockPath(stack: string): string {
  return join("stacks", `placement.${stack}.lock.json`);
}

/**
 * Reads the environment's workload catalog, if it has one, and checks every entry (both the
 * placement and the Kubernetes fields, and no unknown field) and its queue settings in one
 * ConfigError.
 */
export function loadCatalog(root: string, stack: string): WorkloadCatalog | undefined {
  const file = catalogPath(stack);
  const path = join(root, file);
  if (!existsSync(path)) return undefined;
  return parseCatalog(readFileSync(path, "utf8"), file);
}

const lockSchema = z.strictObject({
  version: z.literal(1),
  assignments: z.array(
    z.strictObject({
      workload: z.string().min(1),
      target: z.string().min(1),
      pool: z.string().min(1),
      replicas: z.number().int().min(1),
    }),
  ),
});

/** Reads the environment's placement lock (the last decision), if there is one. */
export function loadLock(root: string, stack: string): PlacementLock | undefined {
  const file = lockPath(stack);
  const path = join(root, file);
  if (!existsSync(path)) return undefined;
  const doc = parseJsonFile(file, readFileSync(path, "utf8"));
  return parseOrThrow(`placement lock ${file}`, lockSchema, doc);
}
