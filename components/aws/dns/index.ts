// The VPC's side of hybrid DNS: Route 53 Resolver endpoints and the rules that forward other sites' zones.
export {
  AWS_HYBRID_DNS_LIMITS,
  type AwsForwardZone,
  type AwsHybridDnsArgs,
} from "./args";
export { AwsHybridDns } from "./hybrid-dns";
export { AwsServiceZone, type AwsServiceZoneArgs } from "./service-zone";
