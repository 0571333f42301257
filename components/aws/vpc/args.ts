import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type Common, type CommonArgs, childName, commonArgsShape, input, resolveCommon } from "../../kit";
import {
  availabilityZoneSchema,
  awsIdSchema,
  cidrContains,
  cidrOverlaps,
  componentSubject,
  type IssueSink,
  ipv4Cidr,
  oneOfNumbers,
  parseOrThrow,
} from "../../validation";
import { LOG_RETENTION_DAYS } from "../logs";
import { checkNameLimits, type GeneratedName } from "../names";
import { planAwsSubnets } from "./subnet-plan";

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

/** Arguments of `AwsVpc`. */
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

/**
 * What an omitted field of `AwsVpcArgs` means, in one place. The subnet blocks default to the
 * plan of `planAwsSubnets`; the zones to the first `zoneCount` the region reports available.
 */
export const VPC_DEFAULTS = {
  /** `cidrBlock` of a new VPC. */
  cidrBlock: "10.0.0.0/16",
  /** How many zones a new VPC spans when `availabilityZones` is not given. */
  zoneCount: 3,
  /** `natGateways`: none; the endpoints replace internet egress. */
  natGateways: "none",
  /** `endpoints`: on for a new VPC, off for an existing one. */
  endpoints: (existing: boolean): boolean => !existing,
  /** `flowLogs`: on for a new VPC, off for an existing one. */
  flowLogs: (existing: boolean): boolean => !existing,
  /** `flowLogRetentionDays`: a year. */
  flowLogRetentionDays: 365,
} as const;

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

const ENDPOINT_SERVICE = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]*$/, "is not an endpoint service such as ssm or ecr.api");

const NEW_VPC_ONLY = ["cidrBlock", "availabilityZones", "privateSubnetCidrs", "publicSubnetCidrs"] as const;

/** With `existing`: route tables for the S3 endpoint, and nothing that only shapes a new VPC. */
function checkExistingVpc(
  args: {
    existing: { privateRouteTableIds?: unknown; endpointSubnetIds?: unknown };
    endpoints?: boolean | undefined;
    natGateways?: string | undefined;
  } & Partial<Record<(typeof NEW_VPC_ONLY)[number], unknown>>,
  ctx: IssueSink,
): void {
  const endpoints = resolveEndpointsFlag(args.endpoints, true);
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
  for (const field of NEW_VPC_ONLY) {
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
}

/** Subnet blocks of a new VPC: one per zone, inside the VPC, none overlapping another. */
function checkSubnetBlocks(
  args: {
    cidrBlock?: string | undefined;
    availabilityZones?: string[] | undefined;
    privateSubnetCidrs?: string[] | undefined;
    publicSubnetCidrs?: string[] | undefined;
  },
  ctx: IssueSink,
): void {
  const { zoneCount, cidrBlock: vpcCidr } = resolveNewVpc(args);
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
}

/** The schema of `AwsVpcArgs`. */
export const vpcArgsSchema = z
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
        vpcId: input(awsIdSchema("vpc")),
        cidrBlock: input(ipv4Cidr()),
        privateSubnetIds: input(z.array(input(awsIdSchema("subnet"))).min(1)),
        privateRouteTableIds: input(z.array(input(awsIdSchema("rtb"))).min(1)).optional(),
        endpointSubnetIds: input(z.array(input(awsIdSchema("subnet"))).min(1)).optional(),
      })
      .optional(),
  })
  .superRefine((args, ctx) => {
    if (args.existing) checkExistingVpc({ ...args, existing: args.existing }, ctx);
    else checkSubnetBlocks(args, ctx);
  });

/** `AwsVpcArgs` once validated. */
export type ParsedVpcArgs = z.output<typeof vpcArgsSchema>;

/** A new VPC's shape, with its defaults applied: block, zone count or zones, subnets and NAT. */
export interface ResolvedNewVpc {
  cidrBlock: string;
  /** The zones given; `undefined` reads `zoneCount` zones from the region at deploy time. */
  availabilityZones?: string[] | undefined;
  zoneCount: number;
  privateSubnetCidrs: string[];
  publicSubnetCidrs: string[];
  natGateways: "none" | "single" | "perZone";
}

/** An existing VPC with its defaults applied: no route tables given means none; endpoints go in the private subnets. */
export interface ResolvedExistingVpc {
  vpcId: pulumi.Input<string>;
  cidrBlock: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  privateRouteTableIds: pulumi.Input<pulumi.Input<string>[]>;
  endpointSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

/** `AwsVpcArgs` with every default applied: what the VPC's helpers take. */
export interface ResolvedVpcArgs {
  common: Common;
  /** A new VPC (its shape), or the existing one to add endpoints and flow logs to. */
  vpc: { kind: "new"; shape: ResolvedNewVpc } | { kind: "existing"; existing: ResolvedExistingVpc };
  /** The interface endpoints besides the EKS set, each once. */
  extraInterfaceEndpoints: string[];
  endpoints: boolean;
  flowLogs: boolean;
  flowLogRetentionDays: number;
  /** Whether the private subnets reach the internet: NAT in a new VPC; unknown for an existing one. */
  internetEgress: boolean | undefined;
}

/** Whether the VPC gets flow logs: as given, else `VPC_DEFAULTS.flowLogs`. */
export function resolveFlowLogsFlag(given: boolean | undefined, existing: boolean): boolean {
  return given ?? VPC_DEFAULTS.flowLogs(existing);
}

/** Whether the VPC gets endpoints: as given, else on for a new VPC and off for an existing one. */
export function resolveEndpointsFlag(given: boolean | undefined, existing: boolean): boolean {
  return given ?? VPC_DEFAULTS.endpoints(existing);
}

/** A new VPC's shape from its args: the given blocks, else the subnet plan's (`planAwsSubnets`). */
export function resolveNewVpc(args: {
  cidrBlock?: string | undefined;
  availabilityZones?: string[] | undefined;
  privateSubnetCidrs?: string[] | undefined;
  publicSubnetCidrs?: string[] | undefined;
  natGateways?: "none" | "single" | "perZone" | undefined;
}): ResolvedNewVpc {
  const cidrBlock = args.cidrBlock ?? VPC_DEFAULTS.cidrBlock;
  const zoneCount = args.availabilityZones?.length ?? VPC_DEFAULTS.zoneCount;
  const plan = planAwsSubnets(cidrBlock, zoneCount);
  return {
    cidrBlock,
    ...(args.availabilityZones ? { availabilityZones: args.availabilityZones } : {}),
    zoneCount,
    privateSubnetCidrs: args.privateSubnetCidrs ?? plan.privateSubnets,
    publicSubnetCidrs: args.publicSubnetCidrs ?? plan.publicSubnets,
    natGateways: args.natGateways ?? VPC_DEFAULTS.natGateways,
  };
}

/** Applies the defaults of `VPC_DEFAULTS` once. */
export function resolveVpcArgs(parsed: ParsedVpcArgs): ResolvedVpcArgs {
  const existing = parsed.existing;
  const shape = existing ? undefined : resolveNewVpc(parsed);
  return {
    common: resolveCommon(parsed),
    vpc: existing
      ? {
          kind: "existing",
          existing: {
            vpcId: existing.vpcId,
            cidrBlock: existing.cidrBlock,
            privateSubnetIds: existing.privateSubnetIds,
            privateRouteTableIds: existing.privateRouteTableIds ?? [],
            endpointSubnetIds: existing.endpointSubnetIds ?? existing.privateSubnetIds,
          },
        }
      : { kind: "new", shape: shape as ResolvedNewVpc },
    extraInterfaceEndpoints: [...new Set(parsed.extraInterfaceEndpoints ?? [])],
    endpoints: resolveEndpointsFlag(parsed.endpoints, existing !== undefined),
    flowLogs: resolveFlowLogsFlag(parsed.flowLogs, existing !== undefined),
    flowLogRetentionDays: parsed.flowLogRetentionDays ?? VPC_DEFAULTS.flowLogRetentionDays,
    internetEgress: shape ? shape.natGateways !== "none" : undefined,
  };
}

/** Validates and resolves the args of the VPC component `name`, or throws one `ConfigError` listing every problem. */
export function parseVpcArgs(name: string, args: AwsVpcArgs): ResolvedVpcArgs {
  return resolveVpcArgs(
    parseOrThrow(
      componentSubject("AwsVpc", name),
      vpcArgsSchema.superRefine((a, ctx) =>
        checkNameLimits(
          vpcGeneratedNames(name, resolveFlowLogsFlag(a.flowLogs, a.existing !== undefined)),
          ctx,
        ),
      ),
      args,
    ),
  );
}

/**
 * The physical names the VPC component `name` generates that have a service limit: with flow logs,
 * their delivery role and its policy.
 */
export function vpcGeneratedNames(name: string, flowLogs: boolean): GeneratedName[] {
  if (!flowLogs) return [];
  return [
    { kind: "iamRole", logical: childName(name, "flow-logs"), path: [] },
    { kind: "iamRolePolicy", logical: childName(name, "flow-logs"), path: [] },
  ];
}
