// The on-premises cluster: an existing cluster described by config.
export {
  OnPremCluster,
  type OnPremClusterArgs,
  type OnPremPool,
  onPremClusterTarget,
  onPremPoolsSchema,
} from "./onprem-cluster";
