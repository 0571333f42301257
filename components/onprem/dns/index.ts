// The on-premises resolver's side of hybrid DNS: which cloud zones to forward, and unbound's snippet.

export { renderUnboundForwarding, type UnboundForwardingArgs, type UnboundForwardZone } from "./unbound";
export {
  CLOUD_PRIVATE_ZONES,
  type CloudPrivateZones,
  type CloudPrivateZonesArgs,
  cloudPrivateZones,
} from "./zones";
