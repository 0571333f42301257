// The VNet's side of hybrid DNS: an Azure DNS Private Resolver and the ruleset that forwards other sites' zones.
export { AZURE_HYBRID_DNS_DEFAULTS, type AzureForwardZone, type AzureHybridDnsArgs } from "./args";
export { AzureHybridDns } from "./hybrid-dns";
export { AzureServiceZone, type AzureServiceZoneArgs } from "./service-zone";
