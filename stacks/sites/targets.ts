import { awsClusterTarget } from "../../components/aws";
import { azureClusterTarget } from "../../components/azure";
import type { ClusterPlacementArgs } from "../../components/kit";
import { onPremClusterTarget } from "../../components/onprem";
import type { Target } from "../../components/placement";
import { datasetsOf, type Site, type Sites, stagedDatasets } from "../config";

/**
 * How placement sees a site's cluster: the site's facts, the datasets its storage hosts, and the
 * datasets of other sites it can read (so a workload never lands where its data is out of reach):
 * on-premises datasets over a VPN link, and the datasets that may be staged to the site (their
 * classification allows it, and a copy can run), which a staging Job copies there once a reader
 * is placed on it.
 */
export function placementOf(site: Site, sites: Sites): ClusterPlacementArgs {
  return {
    region: site.region,
    jurisdiction: site.jurisdiction,
    trust: site.trust,
    egressPricePerGiB: site.egressPricePerGiB,
    datasets: datasetsOf(site),
    remoteDatasets: [
      ...new Set([...sites.remoteDatasets(site.kind), ...stagedDatasets(sites)[site.kind]]),
    ].sort(),
  };
}

/** A site's placement target, computed from config alone (the function its cluster component uses). */
export function targetOf(site: Site, sites: Sites): Target {
  const placement = placementOf(site, sites);
  if (site.kind === "aws")
    return awsClusterTarget(site.name, { nodeGroups: site.config.cluster.nodeGroups, placement });
  if (site.kind === "azure")
    return azureClusterTarget(site.name, { nodePools: site.config.cluster.nodePools, placement });
  return onPremClusterTarget(site.name, {
    pools: site.config.pools,
    placement,
    ...(site.config.cluster?.gpu ? { gpu: site.config.cluster.gpu } : {}),
  });
}

/** The placement targets the sites' clusters will provide, so the stack can place its catalog before declaring. */
export function platformTargets(sites: Sites): Target[] {
  return sites.all.map((s) => targetOf(s, sites));
}
