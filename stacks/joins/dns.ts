import * as pulumi from "@pulumi/pulumi";
import { type AwsForwardZone, AwsHybridDns } from "../../components/aws";
import { type AzureForwardZone, AzureHybridDns } from "../../components/azure";
import type { CommonArgs } from "../../components/kit";
import { cloudPrivateZones, renderUnboundForwarding } from "../../components/onprem";
import type { Sites } from "../config";
import type { DeclaredAwsSite, DeclaredAzureSite } from "../sites";

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
  sites: Sites,
  common: CommonArgs,
  declared: { aws?: DeclaredAwsSite | undefined; azure?: DeclaredAzureSite | undefined },
  /** More AWS zones the other sites forward (S3's regional name, where data copies use its interface endpoint). */
  extraAwsZones: readonly string[] = [],
): DnsOutputs | undefined {
  if (sites.links.length === 0) return undefined;
  const aws = declared.aws?.site.linked ? declared.aws : undefined;
  const azure = declared.azure?.site.linked ? declared.azure : undefined;
  const zones = cloudPrivateZones({
    ...(aws ? { awsRegion: aws.site.region } : {}),
    ...(azure ? { azureLocation: azure.site.region } : {}),
  });
  if (aws) zones.aws.push(...extraAwsZones.filter((z) => !zones.aws.includes(z)));
  const onpremDns = sites.onprem?.linked ? sites.onprem.config.dns : undefined;
  const [azureIp, resolveAzureIp] = pulumi.deferredOutput<string>();
  const outputs: DnsOutputs = {};

  let awsDns: AwsHybridDns | undefined;
  if (aws) {
    const forwardZones: AwsForwardZone[] = [
      ...(onpremDns ? [{ domain: onpremDns.domain, targetIps: onpremDns.servers }] : []),
      ...(declared.azure ? zones.azure.map((domain) => ({ domain, targetIps: [azureIp] })) : []),
    ];
    // A link to AWS means a site that resolves the VPC's private names (the EKS endpoint through
    // the tunnel, AMP's and S3's interface endpoints) through its inbound endpoint, whether or not
    // the VPC forwards anything out (issue 19.17, as for Azure below).
    awsDns = new AwsHybridDns(
      `${aws.site.name}-dns`,
      {
        ...common,
        vpcId: aws.vpc.vpcId,
        subnetIds: aws.vpc.privateSubnets,
        clientCidrs: sites.peerNetworks("aws"),
        forwardZones,
        ...(aws.site.resolverIps ? { inboundIps: aws.site.resolverIps } : {}),
      },
      aws.opts,
    );
    outputs.awsInboundIps = awsDns.inboundEndpointIps;
  }
  if (azure) {
    const { vnet, where } = azure;
    const awsIps = awsDns
      ? aws?.vpc.privateSubnets.map((_, i) =>
          (awsDns as AwsHybridDns).inboundEndpointIps.apply((ips) => ips[i] ?? ""),
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
    // A link to Azure means a site that resolves Azure's private names (the AKS API server, the
    // privatelink blob names) through its inbound endpoint, whether or not Azure forwards out.
    const azureDns = new AzureHybridDns(
      `${azure.site.name}-dns`,
      {
        ...common,
        ...where,
        virtualNetworkId: vnet.virtualNetworkId,
        inboundSubnetId: subnet(vnet.dnsInboundSubnetId, "inbound"),
        ...(forwardZones.length > 0
          ? { outboundSubnetId: subnet(vnet.dnsOutboundSubnetId, "outbound"), forwardZones }
          : {}),
        inboundIp: azure.site.resolverIp,
      },
      azure.opts,
    );
    resolveAzureIp(azureDns.inboundEndpointIp);
    outputs.azureInboundIp = azureDns.inboundEndpointIp;
  }
  if (!outputs.azureInboundIp) resolveAzureIp(pulumi.output(""));
  if (sites.onprem?.linked) {
    outputs.onpremUnbound = pulumi
      .all([outputs.awsInboundIps ?? pulumi.output([]), outputs.azureInboundIp ?? pulumi.output("")])
      .apply(([awsServers, azureServer]) => {
        const forwarded = [
          ...(awsServers.length > 0 ? zones.aws.map((domain) => ({ domain, servers: awsServers })) : []),
          ...(azureServer ? zones.azure.map((domain) => ({ domain, servers: [azureServer] })) : []),
        ];
        // No cloud resolver answers on-premises (an AWS link whose VPC forwards nothing out): nothing to forward.
        return forwarded.length > 0 ? renderUnboundForwarding({ zones: forwarded }) : "";
      });
  }
  return outputs;
}
