// The on-premises end of VPN links: the router's strongSwan and FRR configuration.
export { renderBgpdConf } from "./frr";
export type { OnPremRouter, RouterTunnel } from "./router";
export { OnPremVpnRouter, type OnPremVpnRouterArgs } from "./router-component";
export {
  REKEY_MARGIN_SECONDS,
  ROUTER_VERSIONS,
  renderCharonConf,
  renderInterfacesScript,
  renderSwanctlConf,
} from "./strongswan";
