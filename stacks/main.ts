import { isAbsolute } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadCatalog, loadLock } from "./catalog";
import { loadPlatformConfig } from "./load";
import { type PlatformOutputs, platform } from "./program";

/**
 * The project root: the one the Pulumi CLI reports, else the working directory (the CLI and the
 * plan both run the program from the project directory; under mocks the root is a placeholder).
 */
export function projectRoot(): string {
  const reported = pulumi.runtime.getRootDirectory();
  return isAbsolute(reported) ? reported : process.cwd();
}

/** Reads and validates the stack's config and catalog, then declares the platform; returns the stack outputs. */
export async function main(): Promise<PlatformOutputs> {
  const { config, secrets } = loadPlatformConfig();
  const root = projectRoot();
  const catalog = loadCatalog(root, config.environment);
  const lock = loadLock(root, config.environment);
  return platform(config, secrets, { ...(catalog ? { catalog } : {}), ...(lock ? { lock } : {}) });
}
