import { z } from "zod";
import type { Trust } from "../placement";

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

const TARGET_NAME = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (at most 40)",
  );

/** The zod shape of `ClusterPlacementArgs`, shared with the other clusters. */
export const clusterPlacementShape = {
  targetName: TARGET_NAME.optional(),
  region: z.string().min(1),
  jurisdiction: z.string().regex(/^[A-Z]{2,8}$/, "is not a jurisdiction code such as EU, US or DE"),
  trust: z.enum(["private", "public"]).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  datasets: z.array(z.string().min(1)).optional(),
};
