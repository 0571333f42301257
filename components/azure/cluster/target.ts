import { placementTargetOf, trustOf } from "../../kit";
import type { Pool, Target } from "../../placement";
import { agentPoolPlacement, agentPoolPlanFor, poolKindOf } from "../node-pool";
import type { AzurePrivateClusterArgs } from "./args";

/**
 * The placement target a cluster with these args provides, derived from its pools' config alone:
 * a stack can place workloads with it before it declares any resource. The cluster's own
 * `placementTarget` is this value.
 */
export function azureClusterTarget(
  name: string,
  args: Pick<AzurePrivateClusterArgs, "nodePools" | "placement">,
): Target {
  const trust = trustOf("azure", args.placement);
  const pools: Pool[] = (args.nodePools ?? []).map((spec) => {
    const { name: pool, gpuDriver: _driver, migProfile, ...settings } = spec;
    return agentPoolPlacement(
      agentPoolPlanFor(pool, settings, trust, poolKindOf(spec.vmSize), migProfile ? { migProfile } : {}),
    );
  });
  return placementTargetOf("azure", name, args.placement, pools);
}
