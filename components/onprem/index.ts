// hybrid-ai-infra/onprem: the on-premises site: an existing cluster described by config, its VPN
// router's configuration, and the forwarding its resolvers need. What the reference stacks and the
// other folders compose from is behind ./internal, which the package does not publish.

// The router names its proposals by this type; exported so a consumer's declarations can name it.
export type { StrongSwanProposals } from "../facts";
export { ConfigError, type ConfigIssue } from "../validation";
export {
  CLOUD_PRIVATE_ZONES,
  type CloudPrivateZones,
  type CloudPrivateZonesArgs,
  cloudPrivateZones,
  renderUnboundForwarding,
  type UnboundForwardingArgs,
  type UnboundForwardZone,
} from "./dns";
export {
  OnPremCluster,
  type OnPremClusterArgs,
  type OnPremGpu,
  type OnPremPool,
  onPremClusterTarget,
} from "./onprem-cluster";
export { type OnPremRouter, OnPremVpnRouter, type OnPremVpnRouterArgs, type RouterTunnel } from "./vpn";
