import { loadPlatformConfig } from "./load";
import { type PlatformOutputs, platform } from "./program";

/** Reads and validates the stack's config, then declares the platform; returns the stack outputs. */
export async function main(): Promise<PlatformOutputs> {
  const { config, secrets } = loadPlatformConfig();
  return platform(config, secrets);
}
