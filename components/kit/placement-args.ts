import { z } from "zod";
import { type Pool, type Target, TRUSTS, type Trust } from "../placement";
import { jurisdictionSchema, nameSchema } from "../validation";

/** How placement sees a cluster (any cloud). */
export interface ClusterPlacementArgs {
  /** Target name in placement decisions, pins and annotations; default the component name. */
  targetName?: string;
  /** Region label, e.g. eu-west-1. */
  region: string;
  /** Legal jurisdiction the data stays in, e.g. EU, US, DE; residency rules match it. */
  jurisdiction: string;
  /** "public" (default for a public cloud) or "private" (dedicated, trusted as on-premises). */
  trust?: Trust;
  /** USD per GiB for data leaving this target (a dataset hosted here read elsewhere). Default 0.09. */
  egressPricePerGiB?: number;
  /** Datasets hosted next to this cluster (in its region's buckets). */
  datasets?: string[];
  /**
   * Datasets hosted elsewhere that workloads here can read (a network path and an identity exist).
   * Given, placement keeps a workload off this cluster when it reads a dataset that is neither
   * hosted here nor listed; absent, every dataset counts as reachable.
   */
  remoteDatasets?: string[];
}

/** The zod shape of `ClusterPlacementArgs`, shared with the other clusters. */
export const clusterPlacementShape = {
  targetName: nameSchema.optional(),
  region: z.string().min(1),
  jurisdiction: jurisdictionSchema,
  trust: z.enum(TRUSTS).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  datasets: z.array(z.string().min(1)).optional(),
  remoteDatasets: z.array(z.string().min(1)).optional(),
};

/** Each site's defaults where `ClusterPlacementArgs` leaves a field out. */
const SITE_DEFAULTS: Record<Target["cloud"], { trust: Trust; egressPricePerGiB: number }> = {
  // Public clouds bill data leaving a region at list price; owned networks do not.
  aws: { trust: "public", egressPricePerGiB: 0.09 },
  azure: { trust: "public", egressPricePerGiB: 0.09 },
  onprem: { trust: "private", egressPricePerGiB: 0 },
};

/** The trust zone a cluster of this site has when its args leave it out. */
export function trustOf(cloud: Target["cloud"], placement: Pick<ClusterPlacementArgs, "trust">): Trust {
  return placement.trust ?? SITE_DEFAULTS[cloud].trust;
}

/** The placement target of a cluster on `cloud` named `name`, with its pools already derived. */
export function placementTargetOf(
  cloud: Target["cloud"],
  name: string,
  placement: ClusterPlacementArgs,
  pools: Pool[],
): Target {
  return {
    name: placement.targetName ?? name,
    cloud,
    region: placement.region,
    jurisdiction: placement.jurisdiction,
    trust: trustOf(cloud, placement),
    egressPricePerGiB: placement.egressPricePerGiB ?? SITE_DEFAULTS[cloud].egressPricePerGiB,
    datasets: placement.datasets ?? [],
    ...(placement.remoteDatasets ? { remoteDatasets: placement.remoteDatasets } : {}),
    pools,
  };
}
