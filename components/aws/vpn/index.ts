// The AWS end of VPN links: the site's gateway, and the connections each link adds to it.
export {
  type AwsVpnGatewayArgs,
  type AwsVpnNetwork,
  isAmazonSideAsn,
  tunnelLogGroupName,
  VPN_GATEWAY_DEFAULTS,
} from "./args";
export {
  type AwsLinkEnd,
  type AwsVpnPeer,
  createAwsVpnConnections,
  customerGatewayDeviceName,
} from "./connections";
export { AwsVpnGateway } from "./vpn-gateway";
