// Each site's declaration, from the site model (stacks/config): its network, cluster, pools,
// storage and VPN end, and the placement target its cluster provides.
export { declareAwsSite } from "./aws";
export { declareAzureSite } from "./azure";
export type {
  AzurePlace,
  DeclaredAwsSite,
  DeclaredAzureSite,
  DeclaredOnPremSite,
  DeclaredSite,
  SiteVpnEnd,
} from "./declared";
export { declareOnPremSite } from "./onprem";
export { placementOf, platformTargets, targetOf } from "./targets";
