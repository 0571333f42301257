import { ConfigError, describeIssues } from "../validation";
import { crossCheck } from "./cross-checks";
import { type ParsedPlacementInput, placementInputSchema } from "./schema";
import type { PlacementInput } from "./types";

/** The subject every placement ConfigError names. */
export const PLACEMENT_SUBJECT = "placement input";

/**
 * Checks a placement input and returns it parsed, or throws one ConfigError listing every problem
 * (schema and cross-references together) with its path, the value and what would be valid.
 */
export function validatePlacementInput(input: unknown): PlacementInput {
  return parsePlacementInput(input);
}

/** As validatePlacementInput, typed as the schema's output (defaults filled in) for the engine. */
export function parsePlacementInput(input: unknown): ParsedPlacementInput {
  const parsed = placementInputSchema.safeParse(input, { reportInput: true });
  const issues = [...(parsed.success ? [] : describeIssues(parsed.error.issues)), ...crossCheck(input)];
  if (issues.length > 0 || !parsed.success) {
    throw new ConfigError(PLACEMENT_SUBJECT, issues);
  }
  return parsed.data;
}
