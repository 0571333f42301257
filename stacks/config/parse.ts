import { ConfigError, type ConfigIssue, parseOrThrow } from "../../components/validation";
import { type PlatformConfig, platformConfigFields } from "./fields";
import { platformConfigSchema } from "./schema";
import { type SiblingEnvironment, sharedRouterIssues, sharedRouterSlotIssues } from "./siblings";
import { sitesOf } from "./sites";

/** What only the other environments show: networks and inside addresses shared on one router. */
function acrossEnvironments(config: PlatformConfig, siblings: readonly SiblingEnvironment[]) {
  const sites = sitesOf(config);
  return [...sharedRouterIssues(sites, siblings), ...sharedRouterSlotIssues(sites, siblings)];
}

/**
 * Validates an environment's configuration (the project's config keys without the namespace) and
 * throws one ConfigError naming the stack and every problem's path: each field and the checks across
 * fields and sites (which run the components' own rules on the config, ./checks), so the program
 * never stops at the first one it declares. The checks against the project's other environments
 * (`siblings`, read from their stack files) run whenever every field is valid, even when a check
 * across sites failed, so every kind of problem is reported together.
 */
export function parsePlatformConfig(
  stack: string,
  raw: Record<string, unknown>,
  siblings: readonly SiblingEnvironment[] = [],
): PlatformConfig {
  const subject = `stack config "${stack}"`;
  const value = { environment: stack, ...raw };
  let config: PlatformConfig | undefined;
  let fieldIssues: readonly ConfigIssue[] = [];
  try {
    config = parseOrThrow(subject, platformConfigSchema, value);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    fieldIssues = e.issues;
  }
  // Every field valid but a check across sites failed: the rest can still run on the fields.
  const fields = config ?? platformConfigFields.safeParse(value).data;
  const issues = [...fieldIssues, ...(fields ? acrossEnvironments(fields, siblings) : [])];
  if (issues.length > 0) throw new ConfigError(subject, issues);
  if (!config) throw new Error(`${subject}: refused without a reason`);
  return config;
}
