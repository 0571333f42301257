// The AWS end of VPN links: the site's gateway, and the connections each link adds to it.
export { type AwsVpnGatewayArgs, type AwsVpnNetwork, isAmazonSideAsn, VPN_GATEWAY_DEFAULTS } from "./args";
export { type AwsLinkEnd, type AwsVpnPeer, createAwsVpnConnections } from "./connections";
export { AwsVpnGateway } from "./vpn-gateway";
