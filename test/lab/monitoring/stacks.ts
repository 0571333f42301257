// Each reference stack's rule files, as the platform phase generates them, without running the
// plan: the stack file's config, its catalog and lock, placement, then the generator.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { decidePlacement } from "../../../components/kubernetes";
import { type SiteMetrics, siteRules } from "../../../components/monitoring";
import { loadCatalog, loadLock } from "../../../stacks/catalog";
import { parsePlatformConfig, sitesOf } from "../../../stacks/config";
import { clusterQueues, siteMetricsOf } from "../../../stacks/monitoring";
import { platformTargets } from "../../../stacks/sites";

const root = resolve(__dirname, "../../..");

/** The sites' rule inputs of one reference stack. */
export async function stackMetrics(stack: string): Promise<SiteMetrics[]> {
  const file = parse(readFileSync(resolve(root, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const raw = Object.fromEntries(
    Object.entries(file.config)
      .map(([k, v]) => [k.replace(/^hybrid-ai-infra:/, ""), v] as const)
      .filter(([k]) => !["onpremKubeconfig", "onpremMetricsToken"].includes(k)),
  );
  const sites = sitesOf(parsePlatformConfig(stack, raw));
  const targets = platformTargets(sites);
  const loaded = loadCatalog(root, stack);
  const catalog = loaded?.workloads;
  const lock = loadLock(root, stack);
  const decision = catalog
    ? await decidePlacement(stack, {
        workloads: catalog,
        targets,
        ...(lock ? { previous: lock } : {}),
        ...(sites.config.placement?.moveCost === undefined
          ? {}
          : { moveCost: sites.config.placement.moveCost }),
      })
    : undefined;
  const multiKueue =
    sites.onprem && sites.peersOf("onprem").length > 0
      ? {
          manager: sites.onprem.name,
          workers: sites
            .peersOf("onprem")
            .map((s) => s.name)
            .sort(),
        }
      : undefined;
  const workloads = { catalog, decision, queues: loaded?.queues };
  return siteMetricsOf(sites, targets, workloads, clusterQueues(targets, workloads, multiKueue));
}

export { siteRules };
