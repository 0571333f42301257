import * as pulumi from "@pulumi/pulumi";
import { type AwsForwardZone, AwsHybridDns, type AwsVpc } from "../components/aws";
import { type AzureForwardZone, AzureHybridDns, type AzureVnet } from "../components/azure";
import type { CommonArgs } from "../components/kit";
import { cloudPrivateZones, renderUnboundForwarding } from "../components/onprem";
import type { PlatformConfig } from "./config";
import { linkedSites, peerNetworks } from "./vpn";

/** What each cloud site brings to hybrid DNS: its network and where its resources go. */
export interface DnsSites {
  aws?: { vpc: AwsVpc; opts: pulumi.ComponentResourceOptions };
  azure?: {
    vnet: AzureVnet;
    where: { resourceGroupName: pulumi.Input<string>; location: string };
    opts: pulumi.ComponentResourceOptions;
  };
}

/** The resolvers' addresses, and the on-premises resolver's unbound snippet. */
export interface DnsOutputs {
  awsInboundIps?: pulumi.Output<string[]>;
  azureInboundIp?: pulumi.Output<string>;
  onpremUnbound?: pulumi.Output<string>;
}

/**
 * Hybrid DNS across the VPN links: each linked cloud runs a resolver that answers the other sites
 * (so the private EKS endpoint, the private AKS API server and the privatelink blob names resolve
 * to their private addresses from there) and forwards the other sites' zones; the on-premises
 * resolver gets an unbound snippet forwarding the clouds' zones. The clouds' rules point at each
 * other's inbound endpoints, so the AWS side takes Azure's address as a deferred Output.
 */
export function declareHybridDns(
  config: PlatformConfig,
  common: CommonArgs,
  sites: DnsSites,
): DnsOutputs | undefined {
  const linked = linkedSites(config);
  if (linked.size === 0) return undefined;
  const zones = cloudPrivateZones({
    ...(config.aws && linked.has("aws") ? { awsRegion: config.aws.region } : {}),
    ...(config.azure && linked.has("azure") ? { azureLocation: config.azure.location } : {}),
  });
  const onpremDns = linked.has("onprem") ? config.onprem?.dns : undefined;
  const [azureIp, resolveAzureIp] = pulumi.deferredOutput<string>();
  const outputs: DnsOutputs = {};

  let aws: AwsHybridDns | undefined;
  if (sites.aws && config.aws && linked.has("aws")) {
    const forwardZones: AwsForwardZone[] = [
      ...(onpremDns ? [{ domain: onpremDns.domain, targetIps: onpremDns.servers }] : []),
      ...(sites.azure ? zones.azure.map((domain) => ({ domain, targetIps: [azureIp] })) : []),
    ];
    if (forwardZones.length > 0) {
      aws = new AwsHybridDns(
        `${config.aws.cluster.name}-dns`,
        {
          ...common,
          vpcId: sites.aws.vpc.vpcId,
          subnetIds: sites.aws.vpc.privateSubnets,
          clientCidrs: peerNetworks(config, "aws"),
          forwardZones,
        },
        sites.aws.opts,
      );
      outputs.awsInboundIps = aws.inboundEndpointIps;
    }
  }
  if (sites.azure && config.azure && linked.has("azure")) {
    const { vnet, where } = sites.azure;
    const awsIps = aws
      ? sites.aws?.vpc.privateSubnets.map((_, i) =>
          (aws as AwsHybridDns).inboundEndpointIps.apply((ips) => ips[i] ?? ""),
        )
      : undefined;
    const forwardZones: AzureForwardZone[] = [
      ...(onpremDns ? [{ domain: onpremDns.domain, targetIps: onpremDns.servers }] : []),
      ...(awsIps ? zones.aws.map((domain) => ({ domain, targetIps: awsIps })) : []),
    ];
    const subnet = (id: pulumi.Output<string> | undefined, which: string) => {
      if (!id)
        throw new Error(
          `the Azure VNet has no DNS resolver ${which} subnet; it is carved when a link joins Azure`,
        );
      return id;
    };
    if (forwardZones.length > 0) {
      const azure = new AzureHybridDns(
        `${config.azure.cluster.name}-dns`,
        {
          ...common,
          ...where,
          virtualNetworkId: vnet.virtualNetworkId,
          inboundSubnetId: subnet(vnet.dnsInboundSubnetId, "inbound"),
          outboundSubnetId: subnet(vnet.dnsOutboundSubnetId, "outbound"),
          forwardZones,
        },
        sites.azure.opts,
      );
      resolveAzureIp(azure.inboundEndpointIp);
      outputs.azureInboundIp = azure.inboundEndpointIp;
    }
  }
  if (!outputs.azureInboundIp) resolveAzureIp(pulumi.output(""));
  if (linked.has("onprem")) {
    outputs.onpremUnbound = pulumi
      .all([outputs.awsInboundIps ?? pulumi.output([]), outputs.azureInboundIp ?? pulumi.output("")])
      .apply(([awsServers, azureServer]) =>
        renderUnboundForwarding({
          zones: [
            ...(awsServers.length > 0 ? zones.aws.map((domain) => ({ domain, servers: awsServers })) : []),
            ...(azureServer ? zones.azure.map((domain) => ({ domain, servers: [azureServer] })) : []),
          ],
        }),
      );
  }
  return outputs;
}
