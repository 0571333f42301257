import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { childName, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { awsContext } from "../context";
import { createKmsKey } from "../kms";
import { createLogGroup } from "../logs";
import { allowHttpsFrom } from "../security-group";
import { type AwsVpnGatewayArgs, VPN_GATEWAY_DEFAULTS, vpnGatewayArgsSchema } from "./args";

/**
 * The AWS end of a site's VPN links: a virtual private gateway attached to the VPC, BGP routes
 * propagated into every private route table, a KMS-encrypted log group for the tunnels' IKE and
 * BGP logs, and HTTPS from the peer networks to the VPC's interface endpoints. `VpnLink` adds the
 * customer gateways and VPN connections for each peer. Changing the ASN replaces the gateway (old
 * one deleted first, with its connections); needs Pulumi CLI 3.207 or later (see `VpnLink`).
 */
export class AwsVpnGateway extends pulumi.ComponentResource {
  /** The virtual private gateway's id. */
  public readonly vpnGatewayId: pulumi.Output<string>;
  /** Its BGP ASN. */
  public readonly amazonSideAsn: number;
  /** The log group the tunnels log to. */
  public readonly tunnelLogGroupArn: pulumi.Output<string>;
  /** Peer networks allowed to the interface endpoints. */
  public readonly peerCidrs: string[];

  constructor(name: string, args: AwsVpnGatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsVpnGateway", name), vpnGatewayArgsSchema, args);
    super("hybrid-ai-infra:index:AwsVpnGateway", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const asn = parsed.amazonSideAsn ?? VPN_GATEWAY_DEFAULTS.amazonSideAsn;

    // A new ASN replaces the gateway, and a VPC holds one gateway at a time: the old one must be
    // gone before the new one is attached. Deleting it first makes the engine delete what stands
    // on it first (its VPN connections, route propagations and attachment), then create it all anew.
    const gateway = new ec2.VpnGateway(
      name,
      { amazonSideAsn: String(asn), tags: { ...common.tags, Name: name } },
      { parent: this, deleteBeforeReplace: true },
    );
    const attachment = new ec2.VpnGatewayAttachment(
      name,
      { vpcId: parsed.network.vpcId, vpnGatewayId: gateway.id },
      { parent: this },
    );
    // Routes the peers announce over BGP reach the nodes' subnets; propagation needs the attachment.
    parsed.network.privateRouteTables.forEach((routeTableId, i) => {
      new ec2.VpnGatewayRoutePropagation(
        childName(name, "routes", String(i)),
        { routeTableId, vpnGatewayId: gateway.id },
        { parent: this, dependsOn: [attachment] },
      );
    });
    const { key } = createKmsKey(childName(name, "logs-key"), this, common, ctx, {
      description: `Tunnel logs of VPN gateway ${name}`,
      allowCloudWatchLogs: true,
    });
    // Under /aws/vendedlogs/, as AWS advises: the VPN service adds the group to the account's
    // CloudWatch Logs resource policy, whose size is limited.
    const logGroup = createLogGroup(childName(name, "tunnel-logs"), this, common, {
      logGroupName: `/aws/vendedlogs/vpn/${name}`,
      retentionInDays: parsed.logRetentionDays ?? VPN_GATEWAY_DEFAULTS.logRetentionDays,
      kmsKeyArn: key.arn,
    });
    const endpoints = parsed.network.endpointSecurityGroupId;
    const peers = parsed.peerCidrs ?? [];
    if (endpoints !== undefined) {
      for (const cidr of peers) {
        allowHttpsFrom(childName(name, "endpoints", cidr.replace(/[./]/g, "-")), this, {
          securityGroupId: pulumi.output(endpoints).apply((id) => {
            if (!id)
              throw new Error(
                `AwsVpnGateway ${JSON.stringify(name)}: peerCidrs need the VPC's endpoint security group, and the network has none`,
              );
            return id;
          }),
          cidr,
          description: `HTTPS to the VPC endpoints from ${cidr} over VPN`,
          tags: common.tags,
        });
      }
    }

    this.vpnGatewayId = gateway.id;
    this.amazonSideAsn = asn;
    this.tunnelLogGroupArn = logGroup.arn;
    this.peerCidrs = peers;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      amazonSideAsn: this.amazonSideAsn,
      tunnelLogGroupArn: this.tunnelLogGroupArn,
    });
  }
}
