import { ConfigError, parseOrThrow } from "../../components/validation";
import type { PlatformConfig } from "./fields";
import { preflightIssues } from "./preflight";
import { platformConfigSchema } from "./schema";

/**
 * Validates an environment's configuration (the project's config keys without the namespace) and
 * throws one ConfigError naming the stack and every problem's path: each field and the checks across
 * fields and sites, then the components' own rules, so the program never stops at the first one it
 * declares.
 */
export function parsePlatformConfig(stack: string, raw: Record<string, unknown>): PlatformConfig {
  const subject = `stack config "${stack}"`;
  const config = parseOrThrow(subject, platformConfigSchema, { environment: stack, ...raw });
  const issues = preflightIssues(config);
  if (issues.length > 0) throw new ConfigError(subject, issues);
  return config;
}
