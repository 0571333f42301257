import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import type { AwsTunnelCrypto, TunnelInside } from "../../facts";
import { childName } from "../../kit";

/** One peer device the AWS gateway builds two tunnels to. */
export interface AwsVpnPeer {
  /** The device's public address (a customer gateway each). */
  outsideIp: pulumi.Input<string>;
  /** Inside /30s of the connection's two tunnels. */
  insides: [TunnelInside, TunnelInside];
  /** Pre-shared keys of the two tunnels (secret). */
  presharedKeys: [pulumi.Input<string>, pulumi.Input<string>];
}

/** The AWS end of one link: the gateway, the peer's ASN, its devices, the suite's tunnel options and where tunnels log. */
export interface AwsLinkEnd {
  vpnGatewayId: pulumi.Input<string>;
  peerAsn: number;
  peers: AwsVpnPeer[];
  crypto: AwsTunnelCrypto;
  logGroupArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The `tunnelN*` inputs of one tunnel, with its crypto pinned and its logs on. */
function tunnelInputs(
  n: 1 | 2,
  crypto: AwsTunnelCrypto,
  inside: TunnelInside,
  key: pulumi.Input<string>,
  logGroupArn: pulumi.Input<string>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    InsideCidr: inside.cidr,
    PresharedKey: key,
    ...Object.fromEntries(
      Object.entries(crypto).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]),
    ),
    // AWS brings the tunnel up itself, so BGP comes back without waiting for the peer.
    StartupAction: "start",
    LogOptions: { cloudwatchLogOptions: { logEnabled: true, logGroupArn, logOutputFormat: "json" } },
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`tunnel${n}${k}`, v]));
}

/**
 * Customer gateways and VPN connections to every device of a peer: BGP routing, both tunnels of
 * each connection pinned to the suite (IKEv2 only, one algorithm per phase) with their inside
 * addresses and keys, logging to the gateway's log group. A new inside address or customer gateway
 * replaces the connection, and with it the tunnels' outside addresses.
 */
export function createAwsVpnConnections(
  name: string,
  parent: pulumi.Resource,
  end: AwsLinkEnd,
): ec2.VpnConnection[] {
  const crypto = end.crypto;
  return end.peers.map((peer, i) => {
    const peerName = childName(name, String(i + 1));
    const gateway = new ec2.CustomerGateway(
      peerName,
      {
        type: "ipsec.1",
        bgpAsn: String(end.peerAsn),
        ipAddress: peer.outsideIp,
        // EC2 returns the existing gateway for an identical request; a device name tells them apart.
        deviceName: peerName,
        tags: { ...end.tags, Name: peerName },
      },
      // A replacement with the same address would otherwise get the old gateway back and delete it.
      { parent, deleteBeforeReplace: true },
    );
    return new ec2.VpnConnection(
      peerName,
      {
        type: "ipsec.1",
        customerGatewayId: gateway.id,
        vpnGatewayId: end.vpnGatewayId,
        staticRoutesOnly: false,
        ...tunnelInputs(1, crypto, peer.insides[0], peer.presharedKeys[0], end.logGroupArn),
        ...tunnelInputs(2, crypto, peer.insides[1], peer.presharedKeys[1], end.logGroupArn),
        tags: { ...end.tags, Name: peerName },
      } as ec2.VpnConnectionArgs,
      {
        parent,
        additionalSecretOutputs: [
          "tunnel1PresharedKey",
          "tunnel2PresharedKey",
          "customerGatewayConfiguration",
        ],
      },
    );
  });
}
