// The on-premises folder's second door, for the reference stacks and the library's other folders
// (never published): the pools' schema the stack config shares, and the router's renderers.
export { gpuPoolsNeedPlugin, onPremGpuSchema, onPremPoolsSchema } from "./onprem-cluster";
export {
  REKEY_MARGIN_SECONDS,
  ROUTER_VERSIONS,
  renderBgpdConf,
  renderCharonConf,
  renderInterfacesScript,
  renderSwanctlConf,
} from "./vpn";
