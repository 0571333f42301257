// Generic zod rules the Azure components need beyond components/core/validation.ts. They belong
// there; they live here until the core refactor lands, so nothing outside components/azure uses them.
import { z } from "zod";

const MISSING = Symbol("missing");

/**
 * `schema`, but a missing value gets `message` (why it is required) instead of zod's bare
 * "is required". The issue is raised at the field, so it is reported with every other problem.
 */
export function required<S extends z.ZodType>(schema: S, message: string) {
  return z.preprocess(
    (v) => (v === undefined ? MISSING : v),
    z.custom<unknown>((v) => v !== MISSING, { message }).pipe(schema),
  );
}
