// The on-premises cluster: an existing cluster described by config.
export {
  OnPremCluster,
  type OnPremClusterArgs,
  type OnPremPool,
  onPremClusterTarget,
} from "./onprem-cluster";
