import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  AWS_CPU_INSTANCES,
  AWS_GPU_INSTANCES,
  GPU_TAINT,
  labelKeySchema,
  labelValueSchema,
  SPOT_PRICE_FACTOR,
  taintSchema,
} from "../../facts";
import { type CommonArgs, commonArgsShape, input } from "../../kit";
import { TRUSTS, type Trust } from "../../placement";
import {
  availabilityZoneSchema,
  awsIdSchema,
  iamRoleArnSchema,
  kmsKeyArnSchema,
  nameSchema,
} from "../../validation";

/** The cluster a node group joins: an `AwsPrivateCluster`, or the same fields read from another stack. */
export interface AwsClusterRef {
  /** EKS cluster name. */
  clusterName: pulumi.Input<string>;
  /** IAM role the nodes run as (registered with the cluster through an EC2 access entry). */
  nodeRoleArn: pulumi.Input<string>;
  /** Private subnets the nodes go in. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The EKS-managed cluster security group, attached to every node. */
  clusterSecurityGroupId: pulumi.Input<string>;
  /** The cluster's VPC, for the EFA security group. */
  vpcId: pulumi.Input<string>;
  /** Zones of `privateSubnetIds`, in the same order (an `AwsPrivateCluster` on an `AwsVpc` has them); lets an EFA group name its zone. */
  privateSubnetZones?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Where an EFA group's nodes go: EFA needs one placement group, so one zone. */
export interface AwsEfaPlacement {
  /**
   * Attach EFA interfaces and pin the nodes to a cluster placement group in one zone, for multi-node
   * training. Every instance type must support EFA and take the same number of EFA interfaces; no
   * `publicIp` with it.
   */
  efa?: boolean;
  /** With `efa`: the zone of the nodes, one offering the instance types; needs the cluster's `privateSubnetZones`. Default the zone of the first private subnet. */
  efaZone?: string;
  /** With `efa`: the subnet of the nodes, instead of `efaZone` (e.g. in an existing VPC). */
  efaSubnetId?: pulumi.Input<string>;
}

/** The zod shape of `AwsEfaPlacement`; `checkEfaPlacement` says how its fields go together. */
export const efaPlacementShape = {
  efa: z.boolean().optional(),
  efaZone: availabilityZoneSchema.optional(),
  efaSubnetId: input(awsIdSchema("subnet")).optional(),
};

/** Node group settings shared by CPU and GPU pools. */
export interface AwsNodeGroupSettings {
  /** Instance types, most preferred first; all of one architecture. */
  instanceTypes: string[];
  /** "ON_DEMAND" (default) or "SPOT". */
  capacityType?: "ON_DEMAND" | "SPOT";
  /** Fewest nodes; default 0 for GPU pools, 1 otherwise. */
  minSize?: number;
  /** Nodes at creation; later left to the autoscaler. Default `minSize`. */
  desiredSize?: number;
  /** Most nodes. */
  maxSize: number;
  /** Size of the volume that holds container images, GiB (gp3, encrypted). Default 100, or 200 for GPU pools. */
  diskSizeGiB?: number;
  /** KMS key ARN for the node volumes; default the account's EBS key. The group grants EC2 Auto Scaling's service-linked role the use of it. */
  diskKmsKeyArn?: pulumi.Input<string>;
  /** Node OS: "al2023" (default) or "bottlerocket"; the AMI type follows from it and the instance family. */
  os?: "al2023" | "bottlerocket";
  /** Extra node labels. */
  labels?: Record<string, string>;
  /** Extra node taints. */
  taints?: NodeTaint[];
  /** Subnets for the nodes; default the cluster's private subnets. */
  subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Give nodes public IP addresses. Default false; the policy pack reports it. Not with EFA. */
  publicIp?: boolean;
  /** Price per node-hour placement uses; default the reference price (spot: a share of it). */
  pricePerNodeHour?: number;
  /** Share of node cpu and memory placement keeps free. Default 0.1. */
  headroom?: number;
}

/** The zod shape of `AwsNodeGroupSettings`, shared by every node group schema. */
export const nodeGroupSettingsShape = {
  instanceTypes: z.array(z.string().min(1)).min(1),
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).optional(),
  minSize: z.number().int().min(0).optional(),
  desiredSize: z.number().int().min(0).optional(),
  maxSize: z.number().int().min(1).max(1000),
  diskSizeGiB: z.number().int().min(20).max(16384).optional(),
  diskKmsKeyArn: input(kmsKeyArnSchema).optional(),
  os: z.enum(["al2023", "bottlerocket"]).optional(),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  taints: z.array(taintSchema).optional(),
  subnetIds: input(z.array(input(awsIdSchema("subnet"))).min(1)).optional(),
  publicIp: z.boolean().optional(),
  pricePerNodeHour: z.number().positive().optional(),
  headroom: z.number().min(0).lt(1).optional(),
};

/** Arguments every node group component takes: the common args, its settings, and the cluster it joins. */
export interface AwsNodeGroupBaseArgs extends CommonArgs, AwsNodeGroupSettings {
  /** The cluster to join: an `AwsPrivateCluster`, or its outputs read from another stack. */
  cluster: AwsClusterRef;
  /** Pool name on node labels and in placement; default the component name. */
  poolName?: string;
  /** Trust zone labelled on the nodes: "public" (default for a public cloud) or "private". */
  trust?: Trust;
}

/** The zod shape of `AwsNodeGroupBaseArgs`, which each node group component extends. */
export const nodeGroupBaseShape = {
  ...commonArgsShape,
  ...nodeGroupSettingsShape,
  cluster: z.looseObject({
    clusterName: input(z.string().min(1)),
    nodeRoleArn: input(iamRoleArnSchema),
    privateSubnetIds: input(z.array(input(z.string())).min(1)),
    clusterSecurityGroupId: input(awsIdSchema("sg")),
    vpcId: input(awsIdSchema("vpc")),
    privateSubnetZones: input(z.array(input(z.string()))).optional(),
  }),
  poolName: nameSchema.optional(),
  trust: z.enum(TRUSTS).optional(),
};

/**
 * A node taint as node groups declare it (Kubernetes' three effects). A plain interface, so the
 * published declarations never name zod (a consumer without esModuleInterop cannot load its types).
 */
export interface NodeTaint {
  key: string;
  value?: string | undefined;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

// The schema and the interface must agree both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _taintMatchesSchema: Same<NodeTaint, z.output<typeof taintSchema>> = true;
void _taintMatchesSchema;

/** The GPU taint every GPU pool carries. */
export const GPU_TAINTS: NodeTaint[] = [{ ...GPU_TAINT }];

/**
 * What an omitted node group setting means, in one place: `resolveNodeGroupSettings` applies it
 * once, and every helper takes the resolved settings. GPU and CPU pools differ in their floor
 * (GPU pools scale from zero) and in the image volume (model images are large).
 */
export const NODE_GROUP_DEFAULTS = {
  capacityType: "ON_DEMAND",
  minSize: { gpu: 0, cpu: 1 },
  diskSizeGiB: { gpu: 200, cpu: 100 },
  os: "al2023",
  publicIp: false,
  /** Public clouds are untrusted unless the caller says otherwise. */
  trust: "public",
} as const satisfies {
  capacityType: AwsNodeGroupSettings["capacityType"];
  minSize: Record<"gpu" | "cpu", number>;
  diskSizeGiB: Record<"gpu" | "cpu", number>;
  os: AwsNodeGroupSettings["os"];
  publicIp: boolean;
  trust: Trust;
};

/** `AwsNodeGroupSettings` with every default applied: what the helpers take. */
export interface ResolvedNodeGroupSettings {
  instanceTypes: string[];
  capacityType: "ON_DEMAND" | "SPOT";
  minSize: number;
  /** Nodes at creation; later the autoscaler's (see `desiredSizeOf`). */
  desiredSize: number;
  maxSize: number;
  diskSizeGiB: number;
  diskKmsKeyArn?: pulumi.Input<string> | undefined;
  os: "al2023" | "bottlerocket";
  labels: Record<string, string>;
  taints: NodeTaint[];
  subnetIds?: pulumi.Input<pulumi.Input<string>[]> | undefined;
  publicIp: boolean;
  /** Placement's price per node-hour: the one given, else the first type's reference price (spot: a share of it). */
  pricePerNodeHour: number;
  headroom?: number | undefined;
}

/** The settings as parsed: every optional field may be missing (or explicitly undefined). */
export type NodeGroupSettingsInput = {
  [K in keyof AwsNodeGroupSettings]: AwsNodeGroupSettings[K] | undefined;
} & Pick<AwsNodeGroupSettings, "instanceTypes" | "maxSize">;

/** The first listed type's reference price from the facts (0 for a type the facts lack), spot a share of it. */
function referencePrice(types: readonly string[], gpu: boolean, spot: boolean): number {
  const first = types[0];
  const facts = first === undefined ? undefined : (gpu ? AWS_GPU_INSTANCES : AWS_CPU_INSTANCES).get(first);
  const price = facts?.usdPerHour ?? 0;
  return spot ? price * SPOT_PRICE_FACTOR : price;
}

function roundPrice(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** Applies the defaults of `NODE_GROUP_DEFAULTS` once; `gpu` says which pool kind's apply. */
export function resolveNodeGroupSettings(s: NodeGroupSettingsInput, gpu: boolean): ResolvedNodeGroupSettings {
  const kind = gpu ? "gpu" : "cpu";
  const minSize = s.minSize ?? NODE_GROUP_DEFAULTS.minSize[kind];
  return {
    instanceTypes: [...s.instanceTypes],
    capacityType: s.capacityType ?? NODE_GROUP_DEFAULTS.capacityType,
    minSize,
    desiredSize: s.desiredSize ?? minSize,
    maxSize: s.maxSize,
    diskSizeGiB: s.diskSizeGiB ?? NODE_GROUP_DEFAULTS.diskSizeGiB[kind],
    ...(s.diskKmsKeyArn === undefined ? {} : { diskKmsKeyArn: s.diskKmsKeyArn }),
    os: s.os ?? NODE_GROUP_DEFAULTS.os,
    labels: { ...s.labels },
    taints: [...(s.taints ?? [])],
    ...(s.subnetIds === undefined ? {} : { subnetIds: s.subnetIds }),
    publicIp: s.publicIp ?? NODE_GROUP_DEFAULTS.publicIp,
    pricePerNodeHour: roundPrice(
      s.pricePerNodeHour ?? referencePrice(s.instanceTypes, gpu, s.capacityType === "SPOT"),
    ),
    ...(s.headroom === undefined ? {} : { headroom: s.headroom }),
  };
}
