import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as iam from "@pulumi/aws/iam";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  availabilityZoneSchema,
  cidrContains,
  cidrOverlaps,
  componentSubject,
  ipv4Cidr,
  oneOfNumbers,
  parseOrThrow,
} from "../pulumi-free";
import { type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../pulumi-kit";
import { awsContext } from "./context";
import { createKmsKey } from "./kms";
import { createLogGroup, LOG_RETENTION_DAYS } from "./logs";
import { planAwsSubnets } from "./subnet-plan";

/** Interface endpoints a private EKS cluster needs to run with no internet egress. */
export const EKS_INTERFACE_ENDPOINTS = [
  "ecr.api",
  "ecr.dkr",
  "sts",
  "logs",
  "ec2",
  "eks",
  "eks-auth",
] as const;

/** A VPC that already exists, for `AwsVpcArgs.existing`. */
export interface ExistingAwsVpc {
  /** The VPC id. */
  vpcId: pulumi.Input<string>;
  /** Its primary IPv4 block. */
  cidrBlock: pulumi.Input<string>;
  /**
   * Private subnets, one or more per zone, for nodes and the cluster's interfaces. Without
   * `endpointSubnetIds` the interface endpoints go here too, and then these must be one per zone
   * (an interface endpoint takes at most one subnet per zone).
   */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Route tables of the private subnets, for the S3 gateway endpoint. Required with `endpoints`:
   * image layers from ECR are pulled from S3, and a gateway endpoint with no route tables routes
   * nothing.
   */
  privateRouteTableIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Subnets of the interface endpoints, exactly one per zone; default `privateSubnetIds`. Only with `endpoints`. */
  endpointSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
}

export interface AwsVpcArgs extends CommonArgs {
  /** IPv4 block of a new VPC, /16 to /24. Default 10.0.0.0/16. Ignored with `existing`. */
  cidrBlock?: string;
  /**
   * Zones for the subnets of a new VPC, 2 or 3 (e.g. eu-west-1a). Default: the first three zones
   * the region reports available, read at deploy time; their subnets and route tables are then
   * named by position (`<name>-private-0`...) rather than by zone. Naming zones later renames, so
   * replaces, those subnets: pin the zones of a long-lived VPC.
   */
  availabilityZones?: string[];
  /** Private subnet blocks, one per zone; default: the first three quarters of the VPC. */
  privateSubnetCidrs?: string[];
  /** Public subnet blocks, one per zone, created only with NAT; default: sixteenths of the last quarter. */
  publicSubnetCidrs?: string[];
  /** NAT egress for private subnets: "none" (default; endpoints only), "single" or "perZone" (one per zone, for HA). */
  natGateways?: "none" | "single" | "perZone";
  /** Interface endpoints to create besides the EKS set (ecr.api, ecr.dkr, sts, logs, ec2, eks, eks-auth), e.g. "ssm". */
  extraInterfaceEndpoints?: string[];
  /** Create the interface endpoints and the S3 gateway endpoint. Default true for a new VPC, false for an existing one. */
  endpoints?: boolean;
  /** Send VPC flow logs to a KMS-encrypted log group. Default true for a new VPC, false for an existing one. */
  flowLogs?: boolean;
  /** Flow log retention in days (a CloudWatch retention value). Default 365. */
  flowLogRetentionDays?: number;
  /** Use this VPC instead of creating one; only endpoints and flow logs (when asked) are added to it. */
  existing?: ExistingAwsVpc;
}

/** Zones of a new VPC: two or three distinct zone names. The stack config takes them by this rule too. */
export const availabilityZonesSchema = z
  .array(availabilityZoneSchema)
  .min(2)
  .max(3)
  .superRefine((zones, ctx) => {
    if (new Set(zones).size !== zones.length) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `${JSON.stringify(zones)} repeats a zone`,
        input: zones,
      });
    }
  });

/** Zones a new VPC spans when none are given. */
const DEFAULT_ZONE_COUNT = 3;
const ENDPOINT_SERVICE = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "is not an endpoint service such as ssm or ecr.api");

const schema = z
  .strictObject({
    ...commonArgsShape,
    cidrBlock: ipv4Cidr({ min: 16, max: 24 }).optional(),
    availabilityZones: availabilityZonesSchema.optional(),
    privateSubnetCidrs: z.array(ipv4Cidr({ min: 16, max: 28 })).optional(),
    publicSubnetCidrs: z.array(ipv4Cidr({ min: 16, max: 28 })).optional(),
    natGateways: z.enum(["none", "single", "perZone"]).optional(),
    extraInterfaceEndpoints: z.array(ENDPOINT_SERVICE).optional(),
    endpoints: z.boolean().optional(),
    flowLogs: z.boolean().optional(),
    flowLogRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    existing: z
      .strictObject({
        vpcId: input(z.string().startsWith("vpc-")),
        cidrBlock: input(ipv4Cidr()),
        privateSubnetIds: input(z.array(input(z.string().startsWith("subnet-"))).min(1)),
        privateRouteTableIds: input(z.array(input(z.string().startsWith("rtb-"))).min(1)).optional(),
        endpointSubnetIds: input(z.array(input(z.string().startsWith("subnet-"))).min(1)).optional(),
      })
      .optional(),
  })
  .superRefine((args, ctx) => {
    if (args.existing) {
      const endpoints = args.endpoints ?? false;
      if (endpoints && args.existing.privateRouteTableIds === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["existing", "privateRouteTableIds"],
          message:
            "is required with endpoints: true; the S3 gateway endpoint routes only through the route tables it is given, and nodes pull ECR image layers from S3, so list the private subnets' route tables (rtb-...)",
        });
      }
      if (!endpoints && args.existing.endpointSubnetIds !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["existing", "endpointSubnetIds"],
          message: "only applies with endpoints: true",
        });
      }
      for (const field of [
        "cidrBlock",
        "availabilityZones",
        "privateSubnetCidrs",
        "publicSubnetCidrs",
      ] as const) {
        if (args[field] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [field],
            message: "only applies to a new VPC; remove it or drop `existing`",
          });
        }
      }
      if (args.natGateways && args.natGateways !== "none") {
        ctx.addIssue({
          code: "custom",
          path: ["natGateways"],
          message: "NAT can only be created in a new VPC",
        });
      }
      return;
    }
    const zoneCount = args.availabilityZones?.length ?? DEFAULT_ZONE_COUNT;
    const vpcCidr = args.cidrBlock ?? DEFAULT_CIDR;
    const subnets: { field: "privateSubnetCidrs" | "publicSubnetCidrs"; list: string[] | undefined }[] = [
      { field: "privateSubnetCidrs", list: args.privateSubnetCidrs },
      { field: "publicSubnetCidrs", list: args.publicSubnetCidrs },
    ];
    const seen: { path: (string | number)[]; cidr: string }[] = [];
    for (const { field, list } of subnets) {
      if (!list) continue;
      if (list.length !== zoneCount) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `has ${list.length} blocks for ${zoneCount} zones; give one per zone`,
        });
      }
      list.forEach((cidr, i) => {
        if (!cidrContains(vpcCidr, cidr)) {
          ctx.addIssue({
            code: "custom",
            path: [field, i],
            message: `"${cidr}" is outside the VPC block ${vpcCidr}`,
          });
        }
        const clash = seen.find((s) => cidrOverlaps(s.cidr, cidr));
        if (clash) {
          ctx.addIssue({
            code: "custom",
            path: [field, i],
            message: `"${cidr}" overlaps "${clash.cidr}" at ${clash.path.join(".")}`,
          });
        }
        seen.push({ path: [field, i], cidr });
      });
    }
  });

const DEFAULT_CIDR = "10.0.0.0/16";

/**
 * A VPC for private EKS clusters: private subnets across 3 zones by default (or the 2-3 given),
 * optional NAT egress, the VPC endpoints a cluster needs without internet egress, a locked default
 * security group and KMS-encrypted flow logs. Or an existing VPC, to which only endpoints and flow
 * logs are added.
 */
export class AwsVpc extends pulumi.ComponentResource {
  /** The VPC id. */
  public readonly vpcId: pulumi.Output<string>;
  /** The VPC's IPv4 block. */
  public readonly cidrBlock: pulumi.Output<string>;
  /** Private subnets, one per zone. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Public subnets (only with NAT); empty otherwise. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Route tables of the private subnets. */
  public readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Security group of the interface endpoints (443 from the VPC only); undefined without endpoints. */
  public readonly endpointSecurityGroupId: pulumi.Output<string | undefined>;
  /** Log group of the flow logs; undefined without flow logs. */
  public readonly flowLogGroupName: pulumi.Output<string | undefined>;

  constructor(name: string, args: AwsVpcArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AwsVpc", name), schema, args);
    super("hybrid-ai-infra:index:AwsVpc", name, {}, opts);
    const common = resolveCommon(parsed);
    const ctx = awsContext(this);
    const parent = { parent: this };
    const tag = (suffix: string, extra: Record<string, string> = {}) => ({
      ...common.tags,
      ...extra,
      Name: childName(name, suffix),
    });

    let vpcId: pulumi.Output<string>;
    let cidrBlock: pulumi.Output<string>;
    let privateSubnetIds: pulumi.Output<string[]>;
    let privateRouteTableIds: pulumi.Output<string[]>;
    // Interface endpoints take at most one subnet per zone: a new VPC has exactly one per zone.
    let endpointSubnetIds: pulumi.Output<string[]>;
    let publicSubnetIds: pulumi.Output<string[]> = pulumi.output([]);

    if (parsed.existing) {
      vpcId = pulumi.output(parsed.existing.vpcId);
      cidrBlock = pulumi.output(parsed.existing.cidrBlock);
      privateSubnetIds = pulumi.output(parsed.existing.privateSubnetIds);
      privateRouteTableIds = pulumi.output(parsed.existing.privateRouteTableIds ?? []);
      endpointSubnetIds = pulumi.output(
        parsed.existing.endpointSubnetIds ?? parsed.existing.privateSubnetIds,
      );
    } else {
      // Given zones name their subnets, route tables and gateways (so their URNs stay as they
      // were); zones read from the region are Outputs, so those children go by position instead.
      const zones: { key: string; zone: pulumi.Input<string> }[] = parsed.availabilityZones
        ? parsed.availabilityZones.map((zone) => ({ key: zone, zone }))
        : availableZones(name, this, DEFAULT_ZONE_COUNT).map((zone, i) => ({ key: String(i), zone }));
      const vpcCidr = parsed.cidrBlock ?? DEFAULT_CIDR;
      const plan = planAwsSubnets(vpcCidr, zones.length);
      const privateCidrs = parsed.privateSubnetCidrs ?? plan.privateSubnets;
      const publicCidrs = parsed.publicSubnetCidrs ?? plan.publicSubnets;
      const nat = parsed.natGateways ?? "none";

      const network = new ec2.Vpc(
        name,
        { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tag("vpc") },
        parent,
      );
      // CIS AWS 5.4: the default security group allows nothing, so nothing can fall back to it.
      new ec2.DefaultSecurityGroup(
        childName(name, "default-sg"),
        { vpcId: network.id, tags: tag("default-sg") },
        parent,
      );

      const privateSubnets = zones.map(
        ({ key, zone }, i) =>
          new ec2.Subnet(
            childName(name, "private", key),
            {
              vpcId: network.id,
              availabilityZone: zone,
              cidrBlock: privateCidrs[i] ?? "",
              mapPublicIpOnLaunch: false,
              tags: tag(`private-${key}`, { "kubernetes.io/role/internal-elb": "1", tier: "private" }),
            },
            parent,
          ),
      );
      const privateTables = zones.map(
        ({ key }) =>
          new ec2.RouteTable(
            childName(name, "private", key),
            { vpcId: network.id, tags: tag(`private-${key}`) },
            parent,
          ),
      );
      zones.forEach(({ key }, i) => {
        new ec2.RouteTableAssociation(
          childName(name, "private", key),
          { subnetId: privateSubnets[i]?.id ?? "", routeTableId: privateTables[i]?.id ?? "" },
          parent,
        );
      });

      if (nat !== "none") {
        const igw = new ec2.InternetGateway(name, { vpcId: network.id, tags: tag("igw") }, parent);
        const publicTable = new ec2.RouteTable(
          childName(name, "public"),
          { vpcId: network.id, tags: tag("public") },
          parent,
        );
        new ec2.Route(
          childName(name, "public-default"),
          { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
          parent,
        );
        const publicSubnets = zones.map(
          ({ key, zone }, i) =>
            new ec2.Subnet(
              childName(name, "public", key),
              {
                vpcId: network.id,
                availabilityZone: zone,
                cidrBlock: publicCidrs[i] ?? "",
                // Only NAT gateways and load balancers live here; nothing gets a public IP by accident.
                mapPublicIpOnLaunch: false,
                tags: tag(`public-${key}`, { "kubernetes.io/role/elb": "1", tier: "public" }),
              },
              parent,
            ),
        );
        publicSubnets.forEach((subnet, i) => {
          new ec2.RouteTableAssociation(
            childName(name, "public", zones[i]?.key ?? String(i)),
            { subnetId: subnet.id, routeTableId: publicTable.id },
            parent,
          );
        });
        const natZones = nat === "single" ? zones.slice(0, 1) : zones;
        const gateways = natZones.map(({ key }, i) => {
          const eip = new ec2.Eip(
            childName(name, "nat", key),
            { domain: "vpc", tags: tag(`nat-${key}`) },
            parent,
          );
          return new ec2.NatGateway(
            childName(name, "nat", key),
            { allocationId: eip.id, subnetId: publicSubnets[i]?.id ?? "", tags: tag(`nat-${key}`) },
            { parent: this, dependsOn: [igw] },
          );
        });
        privateTables.forEach((table, i) => {
          const gateway = gateways[nat === "single" ? 0 : i];
          new ec2.Route(
            childName(name, "private-default", zones[i]?.key ?? String(i)),
            { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: gateway?.id ?? "" },
            parent,
          );
        });
        publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
      }

      vpcId = network.id;
      cidrBlock = network.cidrBlock;
      privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
      privateRouteTableIds = pulumi.all(privateTables.map((t) => t.id));
      endpointSubnetIds = privateSubnetIds;
    }

    let endpointSecurityGroupId: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (parsed.endpoints ?? !parsed.existing) {
      const sg = new ec2.SecurityGroup(
        childName(name, "endpoints"),
        {
          vpcId,
          description: "VPC interface endpoints: HTTPS from inside the VPC only",
          tags: tag("endpoints"),
        },
        parent,
      );
      new vpc.SecurityGroupIngressRule(
        childName(name, "endpoints-https"),
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: cidrBlock,
          description: "HTTPS from the VPC",
          tags: common.tags,
        },
        parent,
      );
      const services = [...EKS_INTERFACE_ENDPOINTS, ...(parsed.extraInterfaceEndpoints ?? [])];
      for (const service of [...new Set(services)]) {
        new ec2.VpcEndpoint(
          childName(name, service.replace(/\./g, "-")),
          {
            vpcId,
            serviceName: pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.${service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: endpointSubnetIds,
            securityGroupIds: [sg.id],
            tags: tag(`endpoint-${service}`),
          },
          parent,
        );
      }
      new ec2.VpcEndpoint(
        childName(name, "s3"),
        {
          vpcId,
          serviceName: pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.s3`,
          vpcEndpointType: "Gateway",
          routeTableIds: privateRouteTableIds,
          tags: tag("endpoint-s3"),
        },
        parent,
      );
      endpointSecurityGroupId = sg.id;
    }

    let flowLogGroupName: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (parsed.flowLogs ?? !parsed.existing) {
      const { key } = createKmsKey(childName(name, "flow-logs"), this, common, ctx, {
        description: `Flow logs of VPC ${name}`,
        allowCloudWatchLogs: true,
      });
      const group = createLogGroup(childName(name, "flow-logs"), this, common, {
        retentionInDays: parsed.flowLogRetentionDays ?? 365,
        kmsKeyArn: key.arn,
      });
      const role = new iam.Role(
        childName(name, "flow-logs"),
        {
          description: `Delivers flow logs of VPC ${name} to CloudWatch Logs`,
          assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Confused-deputy guard: only flow logs of this account may assume the role.
                Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
              },
            ],
          }),
          tags: common.tags,
        },
        parent,
      );
      new iam.RolePolicy(
        childName(name, "flow-logs"),
        {
          role: role.id,
          policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [group.arn, pulumi.interpolate`${group.arn}:*`],
              },
            ],
          }),
        },
        parent,
      );
      new ec2.FlowLog(
        childName(name, "flow-logs"),
        {
          vpcId,
          trafficType: "ALL",
          logDestinationType: "cloud-watch-logs",
          logDestination: group.arn,
          iamRoleArn: role.arn,
          maxAggregationInterval: 60,
          tags: tag("flow-logs"),
        },
        parent,
      );
      flowLogGroupName = group.name;
    }

    this.vpcId = vpcId;
    this.cidrBlock = cidrBlock;
    this.privateSubnetIds = privateSubnetIds;
    this.publicSubnetIds = publicSubnetIds;
    this.privateRouteTableIds = privateRouteTableIds;
    this.endpointSecurityGroupId = endpointSecurityGroupId;
    this.flowLogGroupName = flowLogGroupName;
    this.registerOutputs({
      vpcId,
      cidrBlock,
      privateSubnetIds,
      publicSubnetIds,
      privateRouteTableIds,
      endpointSecurityGroupId,
      flowLogGroupName,
    });
  }
}

/**
 * The first `count` zones the region reports available (read at deploy time, through the
 * component's provider), one Output per zone.
 */
function availableZones(name: string, parent: pulumi.Resource, count: number): pulumi.Output<string>[] {
  const names = getAvailabilityZonesOutput({ state: "available" }, { parent }).names;
  return Array.from({ length: count }, (_, i) =>
    names.apply((available) => {
      const zone = available[i];
      if (zone === undefined) {
        throw new Error(
          `AwsVpc ${JSON.stringify(name)}: the region reports ${available.length} available zones, fewer than ${count}; set availabilityZones`,
        );
      }
      return zone;
    }),
  );
}
