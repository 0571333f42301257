// The Azure end of VPN links: the site's gateway, and the connections each link adds to it.
export { AZURE_VPN_DEFAULTS, AZURE_VPN_SKUS, type AzureVpnGatewayArgs } from "./args";
export { type AzureLinkEnd, type AzureRemoteTunnel, createAzureVpnConnections } from "./connections";
export { AzureVpnGateway } from "./vpn-gateway";
