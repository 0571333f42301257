import { isAbsolute } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { decidePlacement } from "../components/kubernetes";
import { ConfigError } from "../components/validation";
import { catalogPath, loadCatalog, loadLock } from "./catalog";
import { loadPlatformConfig, type Sites, sitesOf } from "./config";
import { unhostedDatasetIssues, unhostedDatasets } from "./joins";
import { type PlatformOutputs, platform } from "./program";
import { platformTargets } from "./sites";
import type { PlatformSecrets, PlatformWorkloads } from "./types";

/**
 * The project root: the one the Pulumi CLI reports, else the working directory (the CLI and the
 * plan both run the program from the project directory; under mocks the root is a placeholder).
 */
export function projectRoot(): string {
  const reported = pulumi.runtime.getRootDirectory();
  return isAbsolute(reported) ? reported : process.cwd();
}

/** Everything the program decides before it declares a resource. */
export interface Prepared {
  /** The validated configuration, read into sites. */
  sites: Sites;
  secrets: PlatformSecrets;
  workloads: PlatformWorkloads;
}

/**
 * Reads and validates the config, the workload catalog and the lock, and places the catalog on
 * the targets the config describes. Any problem is one ConfigError, raised before any resource
 * exists, as `pulumi up` needs.
 */
export async function prepare(): Promise<Prepared> {
  const { config, secrets } = loadPlatformConfig();
  const sites = sitesOf(config);
  const root = projectRoot();
  const catalog = loadCatalog(root, config.environment);
  const lock = loadLock(root, config.environment);
  if (!catalog) return { sites, secrets, workloads: lock ? { lock } : {} };
  const unhosted = unhostedDatasetIssues(sites, catalog);
  if (unhosted.length > 0)
    throw new ConfigError(`workload catalog ${catalogPath(config.environment)}`, unhosted);
  // Not wrong, but placement can neither price nor protect a read from nowhere: say so.
  for (const { dataset, workloads } of unhostedDatasets(sites, catalog)) {
    pulumi.log.warn(
      `workload catalog ${catalogPath(config.environment)}: dataset "${dataset}" (read by ${workloads.join(", ")}) is hosted by no site, so placement prices no egress for it and keeps no workload away from it; add it to a site's datasets`,
    );
  }
  const decision = await decidePlacement(`workload catalog ${catalogPath(config.environment)}`, {
    workloads: catalog,
    targets: platformTargets(sites),
    ...(lock ? { previous: lock } : {}),
    ...(config.placement?.moveCost === undefined ? {} : { moveCost: config.placement.moveCost }),
    ...(config.placement?.timeLimitMs === undefined ? {} : { timeLimitMs: config.placement.timeLimitMs }),
    ...(config.placement?.allowPartial === undefined ? {} : { allowPartial: config.placement.allowPartial }),
  });
  return { sites, secrets, workloads: { catalog, ...(lock ? { lock } : {}), decision } };
}

/** Declares the platform from what `prepare` decided; returns the stack outputs. */
export function build(prepared: Prepared): PlatformOutputs {
  return platform(prepared.sites, prepared.secrets, prepared.workloads);
}

/** The program: prepare, then build. */
export async function main(): Promise<PlatformOutputs> {
  return build(await prepare());
}
