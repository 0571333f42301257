// Cross-site traffic (DESIGN.md section 9): which services answer from several sites, each site's
// gateway (HAProxy) configuration weighted by placement, the per-site internal load balancers and
// the private names. Pure data and text: it imports nothing from Pulumi; the Kubernetes folder
// renders the objects, the cloud folders the DNS zones.
export { allocateEntries, type EntryRange, entrySlots, slotAddresses } from "./addresses";
export {
  AWS_NLB_CLASS,
  ENTRY_ANNOTATIONS,
  type EntryNeeds,
  type EntryServiceFields,
  entryServiceFields,
  renderUnboundServiceZone,
} from "./entries";
export {
  DEFAULT_TIMING,
  detectionWindowMs,
  GATEWAY_METRICS_PORT,
  type GatewayBackend,
  type GatewayConfig,
  type GatewayServer,
  type GatewayTiming,
  renderGatewayConfig,
} from "./haproxy";
export {
  clusterServiceName,
  type PlacedSite,
  planTraffic,
  type RoutedService,
  type ServiceEntry,
  type SiteGatewayPlan,
  serverWeights,
  type TrafficInput,
  type TrafficIssue,
  type TrafficPlan,
  type TrafficSite,
  type TrafficSiteKind,
  type TrafficWorkload,
} from "./plan";
export {
  ALGORITHMS,
  type Algorithm,
  ENTRY_SCHEMES,
  type EntryScheme,
  MAX_WEIGHT,
  TRAFFIC_DEFAULTS,
  type TrafficSettings,
  trafficSettingsSchema,
} from "./settings";
