import * as pulumi from "@pulumi/pulumi";
import { clusterFactsIssues, decidePlacement, type WorkloadSpec } from "../components/kubernetes";
import type { PlacementResult } from "../components/placement";
import { ConfigError, type ConfigIssue } from "../components/validation";
import { catalogPath, loadCatalog, loadLock } from "./catalog";
import {
  catalogPlaceholderIssues,
  loadPlatformConfig,
  placeholderIssues,
  projectRoot,
  type Sites,
  sitesOf,
  stackPlaceholders,
  unstatedVersionNotice,
} from "./config";
import { awsIdentityNameIssues, readerClassificationIssues, unhostedDatasetIssues } from "./joins";
import { clusterFactsOf, type PlatformOutputs, platform } from "./program";
import { platformTargets } from "./sites";
import { planStackTraffic } from "./traffic";
import type { PlatformSecrets, PlatformWorkloads } from "./types";

export { projectRoot };

/** Everything the program decides before it declares a resource. */
export interface Prepared {
  /** The validated configuration, read into sites. */
  sites: Sites;
  secrets: PlatformSecrets;
  workloads: PlatformWorkloads;
  /** What an offline plan reports instead of refusing (placeholders) or leaves unsaid (no catalog). */
  notices: string[];
}

/** How the program is run. */
export interface PrepareOptions {
  /**
   * The offline plan (no cloud, the reference stacks as they are): example values are listed as
   * notices instead of refused, and the on-premises kubeconfig, which it cannot decrypt, is not read.
   */
  offline?: boolean;
}

/**
 * Reads and validates the config, the workload catalog and the lock, and places the catalog on
 * the targets the config describes. Any problem is one ConfigError, raised before any resource
 * exists, as `pulumi up` needs.
 */
export async function prepare(options: PrepareOptions = {}): Promise<Prepared> {
  const { config, secrets } = loadPlatformConfig();
  const sites = sitesOf(config);
  const root = projectRoot();
  const catalogFile = catalogPath(config.environment);
  const loaded = loadCatalog(root, config.environment);
  const catalog = loaded?.workloads;
  const lock = loadLock(root, config.environment);
  const notices = placeholders(config.environment, options, [
    ...(options.offline ? placeholderIssues(config) : stackPlaceholders(config)),
    ...(catalog
      ? catalogPlaceholderIssues(catalog).map((i) => ({ ...i, path: `${catalogFile} ${i.path}` }))
      : []),
  ]);
  const version = unstatedVersionNotice(sites);
  if (version && options.offline) notices.push(version);
  else if (version) void pulumi.log.warn(version);
  if (!catalog) {
    notices.push(
      `no workload catalog: ${catalogFile} does not exist, so this stack places and runs no workloads; add one (stacks/workloads.dev.yaml shows the fields)`,
    );
    return { sites, secrets, workloads: lock ? { lock } : {}, notices };
  }
  const unhosted = [
    ...unhostedDatasetIssues(sites, catalog),
    ...readerClassificationIssues(sites, catalog),
    ...awsIdentityNameIssues(sites, catalog),
  ];
  if (unhosted.length > 0) throw new ConfigError(`workload catalog ${catalogFile}`, unhosted);
  const decision = await decidePlacement(`workload catalog ${catalogPath(config.environment)}`, {
    workloads: catalog,
    targets: platformTargets(sites),
    ...(lock ? { previous: lock } : {}),
    ...(config.placement?.moveCost === undefined ? {} : { moveCost: config.placement.moveCost }),
    ...(config.placement?.timeLimitMs === undefined ? {} : { timeLimitMs: config.placement.timeLimitMs }),
    ...(config.placement?.allowPartial === undefined ? {} : { allowPartial: config.placement.allowPartial }),
  });
  // What the clusters state about themselves, against what the decision puts there.
  const onpremIssues = clusterFactIssues(sites, catalog, decision, catalogFile);
  if (onpremIssues.length > 0) throw new ConfigError(`stack config "${config.environment}"`, onpremIssues);
  // Traffic settings name sites, which only the decision knows: checked now, before anything exists.
  const traffic = planStackTraffic(sites, platformTargets(sites), catalog, decision);
  if (traffic.configIssues.length > 0)
    throw new ConfigError(`stack config "${config.environment}"`, traffic.configIssues);
  if (traffic.catalogIssues.length > 0)
    throw new ConfigError(`workload catalog ${catalogFile}`, traffic.catalogIssues);
  return {
    sites,
    secrets,
    workloads: {
      catalog,
      ...(loaded?.queues ? { queues: loaded.queues } : {}),
      ...(lock ? { lock } : {}),
      decision,
      traffic: traffic.plan,
    },
    notices,
  };
}

/**
 * The clusters' stated facts (onprem.cluster, a cloud cluster's workloadSecrets) against the
 * decision: a CNI that ignores NetworkPolicy under restricted data, secrets a cluster's driver
 * cannot deliver; and restricted data on the on-premises cluster while its CNI is not stated at all
 * (the one promise the plan cannot see). The cloud clusters' CNIs are the library's own.
 */
function clusterFactIssues(
  sites: Sites,
  catalog: WorkloadSpec[],
  decision: PlacementResult,
  catalogFile: string,
): ConfigIssue[] {
  const index = new Map(catalog.map((w, i) => [w.name, i]));
  const issues: ConfigIssue[] = [];
  const site = sites.onprem;
  if (site && !site.config.cluster?.cni) {
    const restricted = [
      ...new Set(
        decision.assignments
          .filter((a) => a.target === site.name)
          .flatMap((a) => {
            const w = catalog[index.get(a.workload) ?? -1];
            return w?.classification === "restricted" ? [w.name] : [];
          }),
      ),
    ];
    if (restricted.length > 0)
      issues.push({
        path: "onprem.cluster.cni",
        message: `is unset, and restricted workload${restricted.length > 1 ? "s" : ""} ${restricted.join(", ")} ${restricted.length > 1 ? "are" : "is"} placed on ${site.name}: their isolation is NetworkPolicy, which only some CNI plugins enforce; state the cluster's CNI (calico, cilium, ...)`,
      });
  }
  const stated = clusterFactsOf(sites);
  // A workload reading datasets on AKS gets its own Azure identity, whose client ID its
  // ServiceAccount carries (known once the identity exists; the cluster phase checks the value).
  const annotations = Object.fromEntries(
    catalog
      .filter((w) => (w.datasets ?? []).length > 0)
      .map((w) => [w.name, { "azure.workload.identity/client-id": "(its identity)" }]),
  );
  issues.push(
    ...clusterFactsIssues(
      decision,
      catalog,
      Object.fromEntries(Object.entries(stated).map(([k, v]) => [k, v.facts])),
      {
        workload: (name) => `${catalogFile} workloads[${index.get(name)}]`,
        facts: (target) => stated[target]?.path ?? target,
      },
      annotations,
    ).map((i) =>
      // A cloud cluster states its driver as workloadSecrets.
      i.path.startsWith("onprem.")
        ? i
        : {
            path: i.path.replace(/\.cluster\.secrets/, ".cluster.workloadSecrets"),
            message: i.message.replace(/\.cluster\.secrets/, ".cluster.workloadSecrets"),
          },
    ),
  );
  return issues;
}

/**
 * Example values: `pulumi up` and preview refuse them, one error listing each by path; the offline
 * plan lists them as notices, since the reference stacks ship with them.
 */
function placeholders(stack: string, options: PrepareOptions, issues: ConfigIssue[]): string[] {
  if (issues.length === 0) return [];
  if (!options.offline)
    throw new ConfigError(`stack "${stack}": example values to replace before a real update`, issues);
  return issues.map((i) => `example value to replace before pulumi up: ${i.path}: ${i.message}`);
}

/** Declares the platform from what `prepare` decided; returns the stack outputs. */
export function build(prepared: Prepared): PlatformOutputs {
  return platform(prepared.sites, prepared.secrets, prepared.workloads);
}

/** The program: prepare, then build. */
export async function main(): Promise<PlatformOutputs> {
  return build(await prepare());
}
