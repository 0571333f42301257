import { z } from "zod";
import { TRUSTS, type Trust } from "../placement";
import { jurisdictionSchema, nameSchema } from "../pulumi-free";

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
}

/** The zod shape of `ClusterPlacementArgs`, shared with the other clusters. */
export const clusterPlacementShape = {
  targetName: nameSchema.optional(),
  region: z.string().min(1),
  jurisdiction: jurisdictionSchema,
  trust: z.enum(TRUSTS).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  datasets: z.array(z.string().min(1)).optional(),
};
