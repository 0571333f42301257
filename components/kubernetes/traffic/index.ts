// Cross-site traffic in the cluster phase: each site's gateway and service entries.
export {
  GATEWAY_APP,
  GATEWAY_IMAGE,
  GATEWAY_NAMESPACE,
  renderSiteTraffic,
  type SiteTrafficInput,
  TRAFFIC_ANNOTATIONS,
  type TrafficObject,
} from "./render";
export { SiteGateway, type SiteGatewayArgs, type SiteGatewayOptions } from "./site-gateway";
