// The stack's traffic plan: the site model and the placement decision read into the library's
// `planTraffic`, with every problem by path (catalog entries by `workloads[i]`, config by its keys).
import { pinnedRange, planAwsSubnets } from "../../components/aws/internal";
import { planAzureSubnets } from "../../components/azure/internal";
import type { WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult, Target } from "../../components/placement";
import { type EntryRange, planTraffic, type TrafficPlan, type TrafficSite } from "../../components/traffic";
import { type ConfigIssue, formatPath, lastBlock } from "../../components/validation";
import { routedNetworks, type Site, type Sites, trafficDomain } from "../config";

/** The entry range of a site, if it has one (an existing VPC has no pinned range). */
export function entryRangeOf(site: Site, sites: Sites): EntryRange | undefined {
  if (site.kind === "aws") {
    const given = sites.config.traffic?.aws?.entryRanges;
    if (given) return { kind: "aws", blocks: [...given] };
    if (!site.zones) return undefined;
    return {
      kind: "aws",
      blocks: planAwsSubnets(site.cidr, site.zones.length).privateSubnets.map((s) => pinnedRange(s).cidr),
    };
  }
  if (site.kind === "azure")
    // The system subnet (named "system" by AzureVnet): AKS's control plane may join it already.
    return {
      kind: "azure",
      block: lastBlock(planAzureSubnets(site.addressSpace).system, 27),
      subnetName: "system",
    };
  const pool = sites.config.traffic?.onprem;
  return pool ? { kind: "onprem", block: pool.cidr, addressPool: pool.addressPool } : undefined;
}

/** The sites as the traffic plan sees them. */
export function trafficSitesOf(sites: Sites, targets: Target[]): TrafficSite[] {
  return sites.all.map((site) => {
    const range = entryRangeOf(site, sites);
    return {
      name: site.name,
      kind: site.kind,
      trust: targets.find((t) => t.name === site.name)?.trust ?? "private",
      networks: routedNetworks(site),
      peers: sites.peersOf(site.kind).map((p) => p.name),
      ...(range ? { entryRange: range } : {}),
    };
  });
}

/** The plan, and its problems: the catalog's (by `workloads[i]`) and the config's. */
export interface StackTraffic {
  plan: TrafficPlan;
  catalogIssues: ConfigIssue[];
  configIssues: ConfigIssue[];
}

/** Plans the stack's cross-site traffic from its sites, catalog and placement decision. */
export function planStackTraffic(
  sites: Sites,
  targets: Target[],
  catalog: WorkloadSpec[],
  decision: Pick<PlacementResult, "assignments">,
): StackTraffic {
  const trafficSites = trafficSitesOf(sites, targets);
  const { plan, issues } = planTraffic({
    domain: trafficDomain(sites.config),
    sites: trafficSites,
    workloads: catalog.map((w) => ({
      name: w.name,
      kind: w.kind,
      classification: w.classification,
      namespace: w.namespace ?? w.owner,
      ...(w.ports ? { ports: w.ports } : {}),
      ...(w.traffic ? { traffic: w.traffic } : {}),
    })),
    assignments: decision.assignments,
  });
  const configIssues: ConfigIssue[] = [];
  // A copy on a site without an entry range cannot be reached from the others: say what to set.
  for (const service of plan.services) {
    for (const p of service.placed) {
      const site = sites.all.find((s) => s.name === p.site);
      if (!site || trafficSites.find((t) => t.name === p.site)?.entryRange) continue;
      configIssues.push(
        site.kind === "onprem"
          ? {
              path: "traffic.onprem",
              message: `is not set, and ${service.workload} runs on ${site.name} and on other sites: name the MetalLB address pool for internal load balancers and the block it serves, e.g. { addressPool: hybrid-entries, cidr: 10.10.60.0/26 }`,
            }
          : {
              path: "traffic.aws.entryRanges",
              message: `is not set, and ${service.workload} runs on ${site.name} (an existing VPC, whose ranges the stack does not know) and on other sites: reserve a /28 in each private subnet (an explicit subnet CIDR reservation) and list them, or pin the service to one site`,
            },
      );
    }
  }
  return {
    plan,
    catalogIssues: issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    configIssues: [...new Map(configIssues.map((i) => [`${i.path}:${i.message}`, i])).values()],
  };
}
