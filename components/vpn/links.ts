import * as pulumi from "@pulumi/pulumi";
import { createAwsVpnConnections } from "../aws/internal";
import { createAzureVpnConnections } from "../azure/internal";
import {
  awsAzureApipa,
  awsTunnelOptions,
  azureIpsecPolicy,
  type CryptoSuite,
  IKE_INITIATOR,
  type TunnelInside,
  tunnelInsides,
  tunnelMtu,
} from "../facts";
import { childName } from "../kit";
import type { RouterTunnel } from "../onprem";
import { createPresharedKey } from "./preshared-key";
import type { AwsVpnEnd, AzureVpnEnd, OnPremVpnEnd } from "./vpn-link";

/** One tunnel of a link, as the plan's table of links shows it. */
export interface LinkTunnel {
  /** Tunnel name, `<link>-<n>`. */
  name: string;
  /** Sites of the two ends, in the link's order. */
  sites: [string, string];
  /** Outside (public) addresses of the two ends. */
  outside: [string, string];
  /** Inside addresses of the two ends (BGP peers), in the link's order. */
  inside: [string, string];
  /** BGP ASNs of the two ends. */
  asns: [number, number];
  /** The suite's name, or "custom". */
  suite: string;
}

/** What a link's builder is given: the link's name, its component, suite, slot and tags. */
export interface LinkContext {
  name: string;
  parent: pulumi.Resource;
  suite: CryptoSuite;
  suiteName: string;
  slot: number;
  tags: Record<string, string>;
}

/** What a builder returns: the tunnels for the table, and the router's side (empty without one). */
export interface LinkBuild {
  tunnels: pulumi.Output<LinkTunnel[]>;
  onpremTunnels: pulumi.Output<RouterTunnel[]>;
}

function keys(ctx: LinkContext, count: number): ReturnType<typeof createPresharedKey>[] {
  return Array.from({ length: count }, (_, i) =>
    createPresharedKey(childName(ctx.name, "psk", String(i + 1)), ctx.parent),
  );
}

const swap = <T>(inOrder: boolean, x: T, y: T): [T, T] => (inOrder ? [x, y] : [y, x]);

/** What every link's Azure connections share: the gateway, where it lives, and the suite as Azure writes it. */
function azureGatewayEnd(ctx: LinkContext, azure: AzureVpnEnd) {
  return {
    gatewayId: azure.gateway.gatewayId,
    resourceGroupName: azure.gateway.resourceGroupName,
    location: azure.gateway.location,
    ipConfigurationIds: azure.gateway.ipConfigurationIds,
    ipsecPolicy: azureIpsecPolicy(ctx.suite),
    dpdTimeoutSeconds: ctx.suite.dpdTimeoutSeconds,
    tags: ctx.tags,
  };
}

/** The interface id of a link's `n`th router tunnel (0-based): four per slot, from 1. */
const ifIdOf = (ctx: LinkContext, n: number) => ctx.slot * 4 + n + 1;

/**
 * AWS to an on-premises router: one customer gateway at the router's address, one VPN connection
 * with two tunnels; AWS takes the first host of each inside /30, the router the second.
 */
export function buildAwsOnPrem(
  ctx: LinkContext,
  aws: AwsVpnEnd,
  onprem: OnPremVpnEnd,
  awsFirst: boolean,
): LinkBuild {
  const insides = tunnelInsides(ctx.slot, 2) as [TunnelInside, TunnelInside];
  const [k1, k2] = keys(ctx, 2).map((k) => k.key) as [pulumi.Output<string>, pulumi.Output<string>];
  const [connection] = createAwsVpnConnections(ctx.name, ctx.parent, {
    vpnGatewayId: aws.gateway.vpnGatewayId,
    peerAsn: onprem.asn,
    peers: [{ outsideIp: onprem.publicIp, insides, presharedKeys: [k1, k2] }],
    options: awsTunnelOptions(ctx.suite),
    logGroupArn: aws.gateway.tunnelLogGroupArn,
    tags: ctx.tags,
  });
  if (!connection) throw new Error(`VpnLink ${JSON.stringify(ctx.name)}: no AWS connection was declared`);
  const outsides = pulumi.all([connection.tunnel1Address, connection.tunnel2Address]);
  const tunnels = outsides.apply((addresses) =>
    addresses.map((address, i) => {
      const inside = insides[i] as TunnelInside;
      return {
        name: childName(ctx.name, String(i + 1)),
        sites: swap(awsFirst, aws.name, onprem.name),
        outside: swap(awsFirst, address, onprem.publicIp),
        inside: swap(awsFirst, inside.first, inside.second),
        asns: swap(awsFirst, aws.gateway.amazonSideAsn, onprem.asn),
        suite: ctx.suiteName,
      };
    }),
  );
  const onpremTunnels = pulumi.secret(
    pulumi.all([outsides, k1, k2]).apply(([addresses, ...psks]) =>
      addresses.map((address, i) => {
        const inside = insides[i] as TunnelInside;
        return {
          name: childName(ctx.name, String(i + 1)),
          peerEnd: "aws" as const,
          peerOutside: address,
          localInside: `${inside.second}/30`,
          peerInside: inside.first,
          peerAsn: aws.gateway.amazonSideAsn,
          peerNetworks: [...aws.networks],
          presharedKey: psks[i] as string,
          ifId: ifIdOf(ctx, i),
          mtu: tunnelMtu(ctx.suite, "aws"),
        };
      }),
    ),
  );
  return { tunnels, onpremTunnels };
}

/**
 * AWS to an active-active Azure gateway, as Microsoft's AWS guide builds it: a customer gateway
 * per Azure instance's public IP and a VPN connection to each (four AWS tunnels), and on Azure a
 * local network gateway and a connection per AWS tunnel, BGP from the instance's custom APIPA
 * address to AWS's inside address.
 */
export function buildAwsAzure(
  ctx: LinkContext,
  aws: AwsVpnEnd,
  azure: AzureVpnEnd,
  awsFirst: boolean,
): LinkBuild {
  const insides = tunnelInsides(ctx.slot, 4);
  const generated = keys(ctx, 4);
  const psk = generated.map((k) => k.key);
  const connections = createAwsVpnConnections(ctx.name, ctx.parent, {
    vpnGatewayId: aws.gateway.vpnGatewayId,
    peerAsn: azure.gateway.asn,
    peers: [0, 1].map((instance) => ({
      outsideIp: azure.gateway.publicIps[instance] as pulumi.Input<string>,
      insides: [insides[2 * instance], insides[2 * instance + 1]] as [TunnelInside, TunnelInside],
      presharedKeys: [psk[2 * instance], psk[2 * instance + 1]] as [
        pulumi.Output<string>,
        pulumi.Output<string>,
      ],
    })),
    options: awsTunnelOptions(ctx.suite),
    logGroupArn: aws.gateway.tunnelLogGroupArn,
    tags: ctx.tags,
  });
  // The four AWS tunnels, in order: connection 1 tunnels 1-2 (instance 0), connection 2 (instance 1).
  const awsOutsides = connections.flatMap((c) => [c.tunnel1Address, c.tunnel2Address]);
  const [apipa0, apipa1] = awsAzureApipa(ctx.slot);
  createAzureVpnConnections(childName(ctx.name, "azure"), ctx.parent, {
    ...azureGatewayEnd(ctx, azure),
    // AWS only answers (its startup action is add): Azure opens IKE on these tunnels.
    connectionMode: IKE_INITIATOR.azure.towardsAws,
    tunnels: insides.map((inside, i) => ({
      outsideIp: awsOutsides[i] as pulumi.Output<string>,
      peerInside: inside.first,
      peerAsn: aws.gateway.amazonSideAsn,
      presharedKey: psk[i] as pulumi.Output<string>,
      keySource: generated[i]?.source,
      // The instance this tunnel ends on uses its own address; the other entry is required but unused.
      customBgp: [
        i < 2 ? inside.second : (apipa0[0] as string),
        i >= 2 ? inside.second : (apipa1[0] as string),
      ],
    })),
    tags: ctx.tags,
  });
  const tunnels = pulumi
    .all([pulumi.all(awsOutsides), pulumi.all(azure.gateway.publicIps)])
    .apply(([awsIps, azureIps]) =>
      insides.map((inside, i) => ({
        name: childName(ctx.name, String(i + 1)),
        sites: swap(awsFirst, aws.name, azure.name),
        outside: swap(awsFirst, awsIps[i] ?? "", azureIps[i < 2 ? 0 : 1] ?? ""),
        inside: swap(awsFirst, inside.first, inside.second),
        asns: swap(awsFirst, aws.gateway.amazonSideAsn, azure.gateway.asn),
        suite: ctx.suiteName,
      })),
    );
  return { tunnels, onpremTunnels: pulumi.output([]) };
}

/**
 * Azure to an on-premises router: one local network gateway (the router's address and BGP
 * address) and one IKEv2 connection, which the active-active gateway runs as two tunnels, one
 * from each instance; the router peers with both instances from one address, multihop.
 */
export function buildAzureOnPrem(
  ctx: LinkContext,
  azure: AzureVpnEnd,
  onprem: OnPremVpnEnd,
  azureFirst: boolean,
): LinkBuild {
  const [t0, t1] = tunnelInsides(ctx.slot, 2) as [TunnelInside, TunnelInside];
  const [generated] = keys(ctx, 1);
  if (!generated) throw new Error(`VpnLink ${JSON.stringify(ctx.name)}: no pre-shared key was declared`);
  const key = generated.key;
  createAzureVpnConnections(ctx.name, ctx.parent, {
    ...azureGatewayEnd(ctx, azure),
    // The router opens IKE on every tunnel; Azure only answers, so a simultaneous start leaves one SA.
    connectionMode: IKE_INITIATOR.azure.towardsRouter,
    tunnels: [
      {
        outsideIp: onprem.publicIp,
        peerInside: t0.second,
        peerAsn: onprem.asn,
        presharedKey: key,
        keySource: generated.source,
        customBgp: [t0.first, t1.first],
      },
    ],
    tags: ctx.tags,
  });
  const instances = [t0.first, t1.first];
  const publicIps = pulumi.all(azure.gateway.publicIps);
  const tunnels = publicIps.apply((ips) =>
    instances.map((azureInside, i) => ({
      name: childName(ctx.name, String(i + 1)),
      sites: swap(azureFirst, azure.name, onprem.name),
      outside: swap(azureFirst, ips[i] ?? "", onprem.publicIp),
      inside: swap(azureFirst, azureInside, t0.second),
      asns: swap(azureFirst, azure.gateway.asn, onprem.asn),
      suite: ctx.suiteName,
    })),
  );
  const onpremTunnels = pulumi.secret(
    pulumi.all([publicIps, key]).apply(([ips, psk]) =>
      instances.map((azureInside, i) => ({
        name: childName(ctx.name, String(i + 1)),
        peerEnd: "azure" as const,
        peerOutside: ips[i] ?? "",
        localInside: `${t0.second}/32`,
        peerInside: azureInside,
        peerAsn: azure.gateway.asn,
        peerNetworks: [...azure.networks],
        presharedKey: psk,
        ifId: ifIdOf(ctx, i),
        mtu: tunnelMtu(ctx.suite, "azure"),
        bgpSource: t0.second,
      })),
    ),
  );
  return { tunnels, onpremTunnels };
}
