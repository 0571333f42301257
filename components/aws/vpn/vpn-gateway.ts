import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import { awsContext } from "../context";
import { createKmsKey } from "../kms";
import { createLogGroup } from "../logs";
import { type AwsVpnGatewayArgs, resolveVpnGatewayArgs, tunnelLogGroupName } from "./args";

/**
 * The AWS end of a site's VPN links: a virtual private gateway attached to the VPC, BGP routes
 * propagated into every private route table, and a KMS-encrypted log group for the tunnels' IKE and
 * BGP logs. `VpnLink` adds the customer gateways and VPN connections for each peer. The VPC's
 * interface endpoints stay closed to the peers: nothing across a link needs them (the cluster
 * phase reaches the EKS API, whose name public DNS resolves to its VPC addresses, and
 * `aws eks get-token` signs locally), and their names would not resolve there.
 * Changing the ASN replaces the gateway (old one deleted first, with its connections); needs Pulumi
 * CLI 3.207 or later (see `VpnLink`).
 */
export class AwsVpnGateway extends pulumi.ComponentResource {
  /** The virtual private gateway's id. */
  public readonly vpnGatewayId: pulumi.Output<string>;
  /** Its BGP ASN. */
  public readonly amazonSideAsn: number;
  /** The log group the tunnels log to. */
  public readonly tunnelLogGroupArn: pulumi.Output<string>;

  constructor(name: string, args: AwsVpnGatewayArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = resolveVpnGatewayArgs(name, args);
    super("hybrid-ai-infra:index:AwsVpnGateway", name, {}, opts);
    const { common } = parsed;
    const ctx = awsContext(this);
    const asn = parsed.amazonSideAsn;

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
    const logGroup = createLogGroup(childName(name, "tunnel-logs"), this, common, {
      logGroupName: tunnelLogGroupName(common.environment, name),
      retentionInDays: parsed.logRetentionDays,
      kmsKeyArn: key.arn,
    });

    this.vpnGatewayId = gateway.id;
    this.amazonSideAsn = asn;
    this.tunnelLogGroupArn = logGroup.arn;
    this.registerOutputs({
      vpnGatewayId: this.vpnGatewayId,
      amazonSideAsn: this.amazonSideAsn,
      tunnelLogGroupArn: this.tunnelLogGroupArn,
    });
  }
}
