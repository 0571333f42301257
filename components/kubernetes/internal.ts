// The Kubernetes folder's second door (never published): the add-ons' renderers, object names and
// the catalog's placement fields, for the library's other folders and the reference stacks.
export {
  type AddonObject,
  EFA_DEVICE_PLUGIN_VERSION,
  renderClusterAutoscaler,
  renderEfaDevicePlugin,
  renderNvidiaDevicePlugin,
} from "./addons";
export { objectName } from "./render";
export { placementWorkload } from "./spec";
