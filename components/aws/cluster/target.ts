import { placementTargetOf, trustOf } from "../../kit";
import type { Pool, Target } from "../../placement";
import {
  GPU_TAINTS,
  instanceShapeOf,
  isGpuGroup,
  nodeGroupPool,
  resolveNodeGroupSettings,
} from "../node-group";
import type { AwsPrivateClusterArgs } from "./args";

/**
 * The placement target a cluster with these args provides, derived from its node groups' config
 * alone: a stack can place workloads with it before it declares any resource. The cluster's own
 * `placementTarget` is this value.
 */
export function awsClusterTarget(
  name: string,
  args: Pick<AwsPrivateClusterArgs, "nodeGroups" | "placement">,
): Target {
  const trust = trustOf("aws", args.placement);
  const pools: Pool[] = (args.nodeGroups ?? []).map((group) => {
    const { name: pool, efa: _efa, efaZone: _zone, efaSubnetId: _subnet, ...settings } = group;
    const gpu = isGpuGroup(settings.instanceTypes);
    const resolved = resolveNodeGroupSettings(settings, gpu);
    return nodeGroupPool({
      pool,
      settings: resolved,
      shape: instanceShapeOf(resolved.instanceTypes, gpu),
      trust,
      builtInTaints: gpu ? GPU_TAINTS : [],
    });
  });
  return placementTargetOf("aws", name, args.placement, pools);
}
