// The on-premises site: an existing cluster described by config, and its VPN router's configuration.

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
  type OnPremPool,
  onPremClusterTarget,
} from "./onprem-cluster";
export {
  type OnPremRouter,
  OnPremVpnRouter,
  type OnPremVpnRouterArgs,
  REKEY_MARGIN_SECONDS,
  type RouterTunnel,
  renderBgpdConf,
  renderInterfacesScript,
  renderSwanctlConf,
} from "./vpn";
