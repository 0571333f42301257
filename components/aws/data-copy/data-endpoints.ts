import * as ec2 from "@pulumi/aws/ec2";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import { awsIdSchema, componentSubject, ipv4Cidr, parseOrThrow } from "../../validation";
import { awsContext } from "../context";
import { allowHttpsFrom } from "../security-group";

/** Arguments of `AwsDataEndpoints`. */
export interface AwsDataEndpointsArgs extends CommonArgs {
  /** The VPC (it must have S3's gateway endpoint, as an `AwsVpc` with endpoints does). */
  vpcId: pulumi.Input<string>;
  /**
   * S3's gateway endpoint in that VPC when the same update creates it (`AwsVpc.s3GatewayEndpointId`):
   * EC2 refuses an interface endpoint whose private DNS answers inbound resolvers only until the
   * VPC has the gateway, so the S3 interface endpoint waits for it. Leave unset for a VPC that
   * already has one.
   */
  s3GatewayEndpointId?: pulumi.Input<string | undefined>;
  /** Subnets of the endpoints' interfaces, one per zone. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The networks across the VPN whose data copies use these endpoints (the copying clusters' ranges). */
  clientCidrs: string[];
  /** Which credential services the copies reach here: STS (web identity), IAM Roles Anywhere, or both. Default STS. */
  credentials?: { sts?: boolean; rolesAnywhere?: boolean };
}

const argsSchema = z.strictObject({
  ...commonArgsShape,
  vpcId: input(awsIdSchema("vpc")),
  s3GatewayEndpointId: input(awsIdSchema("vpce").optional()).optional(),
  subnetIds: input(z.array(input(z.string().min(1))).min(1)),
  clientCidrs: z.array(ipv4Cidr()).min(1, "names no network: endpoints no copy uses are not made"),
  credentials: z
    .strictObject({ sts: z.boolean().default(true), rolesAnywhere: z.boolean().default(false) })
    .default({ sts: true, rolesAnywhere: false }),
});

/**
 * What data copies running on another site need in this VPC, over the VPN: S3 through an interface
 * endpoint (S3's gateway endpoint serves only the VPC itself), with private DNS answered to inbound
 * resolvers only (the VPC keeps using the gateway; the other sites, forwarding
 * `s3.<region>.amazonaws.com` to the Route 53 inbound endpoint, get the interface's addresses), and
 * STS for web identity (and IAM Roles Anywhere for sites with certificates instead of an issuer)
 * through its own interface endpoint without private DNS, which copies name explicitly
 * (AWS_ENDPOINT_URL_STS, the signing helper's --endpoint; its regional DNS name is public and
 * resolves to the interface's private addresses). All behind one security group that admits HTTPS from the copying networks
 * only, not the VPC's other endpoints.
 */
export class AwsDataEndpoints extends pulumi.ComponentResource {
  /** The STS endpoint's URL for web identity from other sites: https://vpce-....sts.<region>.vpce.amazonaws.com. */
  public readonly stsEndpointUrl: pulumi.Output<string> | undefined;
  /** IAM Roles Anywhere's endpoint URL for CreateSession from other sites (https://vpce-....rolesanywhere.<region>.vpce.amazonaws.com). */
  public readonly rolesAnywhereEndpointUrl: pulumi.Output<string> | undefined;
  /** The S3 interface endpoint's id. */
  public readonly s3EndpointId: pulumi.Output<string>;
  /** The security group both endpoints sit behind. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: AwsDataEndpointsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsDataEndpoints", name), argsSchema, args);
    super("hybrid-ai-infra:index:AwsDataEndpoints", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const tags = (what: string) => ({ ...common.tags, Name: `${name}-${what}` });
    const sg = new ec2.SecurityGroup(
      name,
      {
        vpcId: parsed.vpcId,
        description: "S3 and STS interface endpoints for data copies: HTTPS from the copying sites only",
        tags: tags("endpoints"),
      },
      { parent: this },
    );
    for (const cidr of parsed.clientCidrs)
      allowHttpsFrom(childName(name, "https", cidr.replace(/[./]/g, "-")), this, {
        securityGroupId: sg.id,
        cidr,
        description: `HTTPS from data copies in ${cidr} over VPN`,
        tags: common.tags,
      });
    const service = (s: string) => pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.${s}`;
    // The gateway's id carries the dependency: the interface endpoint is created after it.
    const gateway = parsed.s3GatewayEndpointId;
    const s3Vpc =
      gateway === undefined ? parsed.vpcId : pulumi.all([parsed.vpcId, gateway]).apply(([vpcId]) => vpcId);
    const s3 = new ec2.VpcEndpoint(
      childName(name, "s3"),
      {
        vpcId: s3Vpc,
        serviceName: service("s3"),
        vpcEndpointType: "Interface",
        privateDnsEnabled: true,
        // The VPC's own traffic stays on the gateway endpoint; only inbound resolvers answer with these addresses.
        dnsOptions: { privateDnsOnlyForInboundResolverEndpoint: true },
        subnetIds: parsed.subnetIds,
        securityGroupIds: [sg.id],
        tags: tags("s3"),
      },
      { parent: this },
    );
    // Credential services, each reached by its endpoint's own regional name (public DNS, private
    // addresses): the VPC's STS endpoint already owns STS's private name, and private DNS would
    // point the VPC's own callers at this security group.
    const credentialEndpoint = (what: "sts" | "rolesanywhere", label: string) => {
      const endpoint = new ec2.VpcEndpoint(
        childName(name, what),
        {
          vpcId: parsed.vpcId,
          serviceName: service(what),
          vpcEndpointType: "Interface",
          privateDnsEnabled: false,
          subnetIds: parsed.subnetIds,
          securityGroupIds: [sg.id],
          tags: tags(what),
        },
        { parent: this },
      );
      return endpoint.dnsEntries.apply((entries) => {
        const first = entries?.[0]?.dnsName;
        if (!first) throw new Error(`${name}: the ${label} endpoint reports no DNS name`);
        return `https://${first}`;
      });
    };
    this.stsEndpointUrl = parsed.credentials.sts ? credentialEndpoint("sts", "STS") : undefined;
    this.rolesAnywhereEndpointUrl = parsed.credentials.rolesAnywhere
      ? credentialEndpoint("rolesanywhere", "IAM Roles Anywhere")
      : undefined;
    this.s3EndpointId = s3.id;
    this.securityGroupId = sg.id;
    this.registerOutputs({
      stsEndpointUrl: this.stsEndpointUrl,
      rolesAnywhereEndpointUrl: this.rolesAnywhereEndpointUrl,
      s3EndpointId: this.s3EndpointId,
      securityGroupId: this.securityGroupId,
    });
  }
}
