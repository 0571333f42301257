import * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import { type AwsTunnelOptions, customerGatewayAsn, type TunnelInside } from "../../facts";
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

/** The AWS end of one link: the gateway, the peer's ASN, its devices, the tunnel options and where tunnels log. */
export interface AwsLinkEnd {
  vpnGatewayId: pulumi.Input<string>;
  peerAsn: number;
  peers: AwsVpnPeer[];
  options: AwsTunnelOptions;
  logGroupArn: pulumi.Input<string>;
  tags: Record<string, string>;
}

/** The `tunnelN*` inputs of one tunnel, with its options pinned and its IKE and BGP logs on. */
function tunnelInputs(
  n: 1 | 2,
  options: AwsTunnelOptions,
  inside: TunnelInside,
  key: pulumi.Input<string>,
  logGroupArn: pulumi.Input<string>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    InsideCidr: inside.cidr,
    PresharedKey: key,
    ...Object.fromEntries(
      Object.entries(options).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), v]),
    ),
    LogOptions: {
      cloudwatchLogOptions: {
        logEnabled: true,
        logGroupArn,
        logOutputFormat: "json",
        // BGP session and route logs (AWS's BGP logging for Site-to-Site VPN), beside the IKE logs.
        bgpLogEnabled: true,
        bgpLogGroupArn: logGroupArn,
        bgpLogOutputFormat: "json",
      },
    },
  };
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [`tunnel${n}${k}`, v]));
}

/** A customer gateway's device name, unique per environment: `<environment>-<link>-<n>`. */
export function customerGatewayDeviceName(tags: Record<string, string>, peerName: string): string {
  const environment = tags.environment;
  if (!environment) throw new Error(`customer gateway ${peerName}: the link's tags carry no environment`);
  return childName(environment, peerName);
}

/**
 * Customer gateways and VPN connections to every device of a peer: BGP routing, both tunnels of
 * each connection pinned to the suite (IKEv2 only, one algorithm per phase) with their inside
 * addresses and keys, logging to the gateway's log group.
 *
 * Replacements are ordered so AWS accepts them. A customer gateway in use cannot be deleted, and
 * the provider would move the connection to a new one in place only after trying to delete the
 * old ("IncorrectState: The customer gateway is in use"); a gateway is deleted before its
 * replacement exists (EC2 hands back the existing gateway for an identical request), so its
 * connection goes first: the connection is replaced with its customer gateway or its virtual
 * private gateway, deleted before it is recreated (inside CIDRs are unique per gateway). The
 * engine orders dependents of a delete-before-replace by `replaceOnChanges` from Pulumi 3.163 and
 * honours `replaceWith` from 3.207; with an older CLI the program stops with Pulumi's own error
 * ("does not support the ReplaceWith option") instead of failing half way through an update.
 */
export function createAwsVpnConnections(
  name: string,
  parent: pulumi.Resource,
  end: AwsLinkEnd,
): ec2.VpnConnection[] {
  return end.peers.map((peer, i) => {
    const peerName = childName(name, String(i + 1));
    const gateway = new ec2.CustomerGateway(
      peerName,
      {
        type: "ipsec.1",
        // bgpAsn ends at 2147483647; a larger (4-byte private) ASN goes in bgpAsnExtended.
        ...customerGatewayAsn(end.peerAsn),
        ipAddress: peer.outsideIp,
        // EC2 returns the existing gateway for an identical request (same address, ASN and device
        // name): the environment in the name keeps environments that share a router apart.
        deviceName: customerGatewayDeviceName(end.tags, peerName),
        tags: { ...end.tags, Name: peerName },
      },
      { parent, deleteBeforeReplace: true },
    );
    return new ec2.VpnConnection(
      peerName,
      {
        type: "ipsec.1",
        customerGatewayId: gateway.id,
        vpnGatewayId: end.vpnGatewayId,
        staticRoutesOnly: false,
        ...tunnelInputs(1, end.options, peer.insides[0], peer.presharedKeys[0], end.logGroupArn),
        ...tunnelInputs(2, end.options, peer.insides[1], peer.presharedKeys[1], end.logGroupArn),
        tags: { ...end.tags, Name: peerName },
      } as ec2.VpnConnectionArgs,
      {
        parent,
        deleteBeforeReplace: true,
        replaceOnChanges: ["customerGatewayId", "vpnGatewayId"],
        replaceWith: [gateway],
        additionalSecretOutputs: [
          "tunnel1PresharedKey",
          "tunnel2PresharedKey",
          "customerGatewayConfiguration",
        ],
      },
    );
  });
}
