// Machinery every component uses: common args, tags, child names, protection, kubeconfigs and how
// placement sees a cluster.
// The classifications are placement's (its schema defines them); re-exported for component args.
export { CLASSIFICATIONS } from "../placement";
export type {
  AddonNetworkPolicy,
  AddonPolicyPeer,
  AddonPolicyPort,
  AddonTaint,
  AwsLoadBalancerControllerAddon,
  ClusterAddonsArgs,
  KueueAddon,
} from "./cluster-addons";
export {
  type Common,
  type CommonArgs,
  childName,
  commonArgsOf,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "./common";
export { type ExecKubeconfig, renderKubeconfig } from "./kubeconfig";
export {
  type ClusterPlacementArgs,
  clusterPlacementShape,
  placementTargetOf,
  trustOf,
} from "./placement-args";
