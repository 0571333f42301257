import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as vpc from "@pulumi/aws/vpc";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Pool, Taint, Trust } from "../placement";
import {
  AWS_CPU_FAMILIES,
  AWS_CPU_INSTANCES,
  AWS_EFA_INTERFACES,
  AWS_GPU_FAMILIES,
  AWS_GPU_INSTANCES,
  type CpuFacts,
  duplicateTaintKeys,
  GPU_TAINT,
  type GpuFacts,
  labelKeySchema,
  labelValueSchema,
  poolLabels,
  SPOT_PRICE_FACTOR,
  taintSchema,
} from "../pulumi-free";
import { type Common, childName, input } from "../pulumi-kit";

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
}

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
  /** KMS key for the node volumes; default the account's EBS key. */
  diskKmsKeyArn?: pulumi.Input<string>;
  /** Node OS: "al2023" (default) or "bottlerocket"; the AMI type follows from it and the instance family. */
  os?: "al2023" | "bottlerocket";
  /** Extra node labels. */
  labels?: Record<string, string>;
  /** Extra node taints. */
  taints?: Taint[];
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
  diskKmsKeyArn: input(z.string().startsWith("arn:")).optional(),
  os: z.enum(["al2023", "bottlerocket"]).optional(),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  taints: z.array(taintSchema).optional(),
  subnetIds: input(z.array(input(z.string().startsWith("subnet-"))).min(1)).optional(),
  publicIp: z.boolean().optional(),
  pricePerNodeHour: z.number().positive().optional(),
  headroom: z.number().min(0).lt(1).optional(),
};

/** The facts of a node group's instance types, once they are known to be consistent. */
export type InstanceShape = { kind: "gpu"; facts: GpuFacts[] } | { kind: "cpu"; facts: CpuFacts[] };

/** A problem with the instance types, relative to `instanceTypes`. */
export interface InstanceProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Checks instance types against the facts tables and says what is wrong in words: GPU pools need
 * GPU types of one model and architecture; CPU pools need known general-purpose types.
 */
function resolveInstanceShape(
  types: readonly string[],
  wantGpu: boolean,
): { shape?: InstanceShape; problems: InstanceProblem[] } {
  const gpuChoices = AWS_GPU_FAMILIES.map((f) => `${f}.*`).join(", ");
  const cpuChoices = AWS_CPU_FAMILIES.map((f) => `${f}.*`).join(", ");
  const problems: InstanceProblem[] = [];
  const gpu: GpuFacts[] = [];
  const cpu: CpuFacts[] = [];
  types.forEach((type, i) => {
    const g = AWS_GPU_INSTANCES.get(type);
    const c = AWS_CPU_INSTANCES.get(type);
    if (wantGpu && !g) {
      problems.push({ path: [i], message: `"${type}" has no GPU; pick one of ${gpuChoices}` });
    } else if (!wantGpu && g) {
      problems.push({
        path: [i],
        message: `"${type}" is a GPU type; put it in a GPU node group, or pick one of ${cpuChoices}`,
      });
    } else if (!wantGpu && !c) {
      problems.push({
        path: [i],
        message: `"${type}" is not in the instance facts; general-purpose pools take ${cpuChoices}, GPU pools ${gpuChoices}`,
      });
    }
    if (g) gpu.push(g);
    if (c) cpu.push(c);
  });
  const facts: (GpuFacts | CpuFacts)[] = wantGpu ? gpu : cpu;
  if (problems.length > 0 || facts.length === 0) return { problems };
  if (new Set(facts.map((f) => f.arch)).size > 1) {
    problems.push({
      path: [],
      message: `${JSON.stringify(types)} mixes x86_64 and arm64 types; one node group runs one AMI, so use one architecture`,
    });
    return { problems };
  }
  if (!wantGpu) return { shape: { kind: "cpu", facts: cpu }, problems };
  const models = new Set(gpu.map((f) => f.gpuModel));
  if (models.size > 1) {
    problems.push({
      path: [],
      message: `${JSON.stringify(types)} mixes GPU models ${[...models].join(", ")}; placement matches one model per pool, so split them`,
    });
    return { problems };
  }
  return { shape: { kind: "gpu", facts: gpu }, problems };
}

/** Adds the instance-type problems to a zod refinement, under `path`. */
export function checkInstanceTypes(
  types: readonly string[],
  wantGpu: boolean,
  ctx: z.RefinementCtx,
  path: (string | number)[] = ["instanceTypes"],
): InstanceShape | undefined {
  const { shape, problems } = resolveInstanceShape(types, wantGpu);
  for (const p of problems) ctx.addIssue({ code: "custom", path: [...path, ...p.path], message: p.message });
  return shape;
}

/** The shape of instance types the schema has already accepted. */
export function instanceShapeOf(types: readonly string[], wantGpu: boolean): InstanceShape {
  const { shape, problems } = resolveInstanceShape(types, wantGpu);
  if (!shape)
    throw new Error(
      `instance types passed validation yet have no facts: ${problems.map((p) => p.message).join("; ")}`,
    );
  return shape;
}

/** Checks min <= desired <= max, reporting under `path`. */
export function checkScaling(
  s: { minSize?: number | undefined; desiredSize?: number | undefined; maxSize: number },
  defaultMin: number,
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): void {
  const min = s.minSize ?? defaultMin;
  const desired = s.desiredSize ?? min;
  if (min > s.maxSize) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "minSize"],
      message: `${min} is above maxSize ${s.maxSize}`,
    });
  }
  // With min above max the desired size cannot be right either; one message says what to fix.
  if (min <= s.maxSize && (desired < min || desired > s.maxSize)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "desiredSize"],
      message: `${desired} must lie between minSize ${min} and maxSize ${s.maxSize}`,
    });
  }
}

/** EFA interfaces one instance of `type` takes (AWS_EFA_INTERFACES; one where the table has no row). */
function efaInterfacesOf(type: string): number {
  return AWS_EFA_INTERFACES.get(type) ?? 1;
}

/**
 * EFA interfaces the launch template of these types attaches: one template serves every listed
 * type, so they must all take the same number. `undefined` when they do not.
 */
export function efaInterfaceCount(types: readonly string[]): number | undefined {
  const counts = new Set(types.map(efaInterfacesOf));
  return counts.size === 1 ? [...counts][0] : undefined;
}

/**
 * The EFA checks of a GPU group, under `path` (the group): every type supports EFA, every type
 * takes the same number of EFA interfaces (the launch template lists them once for all types).
 */
function checkEfa(
  types: readonly string[],
  shape: InstanceShape | undefined,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): void {
  if (shape?.kind !== "gpu") return;
  let fabric = true;
  shape.facts.forEach((f, i) => {
    if (!f.fabric) {
      fabric = false;
      ctx.addIssue({
        code: "custom",
        path: [...path, "instanceTypes", i],
        message: `"${f.type}" does not support EFA; use a larger size (e.g. ${f.family}.8xlarge or up) or turn efa off`,
        input: f.type,
      });
    }
  });
  if (fabric && efaInterfaceCount(types) === undefined) {
    const counts = types.map((t) => `${t}: ${efaInterfacesOf(t)}`).join(", ");
    ctx.addIssue({
      code: "custom",
      path: [...path, "instanceTypes"],
      message: `${JSON.stringify(types)} take different numbers of EFA interfaces (${counts}); one launch template serves every type, so list only types with the same number`,
      input: types,
    });
  }
}

/**
 * Every check of one node group's settings, wherever it is declared (a component, a cluster's
 * `nodeGroups`, stack config): instance types against the facts, EFA support (and no public IPs
 * with it), scaling bounds and taints that would repeat the pool's own. Returns the instance shape
 * when the types are sound.
 */
export function checkNodeGroup(
  group: {
    instanceTypes: readonly string[];
    minSize?: number | undefined;
    desiredSize?: number | undefined;
    maxSize: number;
    taints?: readonly { key: string }[] | undefined;
    publicIp?: boolean | undefined;
    efa?: boolean | undefined;
  },
  options: { gpu: boolean; builtInTaints: readonly { key: string }[] },
  ctx: z.RefinementCtx,
  path: (string | number)[] = [],
): InstanceShape | undefined {
  const shape = checkInstanceTypes(group.instanceTypes, options.gpu, ctx, [...path, "instanceTypes"]);
  if (group.efa) {
    if (options.gpu) checkEfa(group.instanceTypes, shape, ctx, path);
    else ctx.addIssue({ code: "custom", path: [...path, "efa"], message: "EFA is only for GPU node groups" });
    if (group.publicIp) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "publicIp"],
        message:
          "true cannot go with efa: EFA nodes talk to each other inside one placement group, and EC2 gives no public IP to an instance with several network interfaces; drop publicIp or turn efa off",
        input: true,
      });
    }
  }
  checkScaling(group, options.gpu ? 0 : 1, ctx, path);
  for (const { index, key } of duplicateTaintKeys(options.builtInTaints, group.taints)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "taints", index, "key"],
      message: `"${key}" is already a taint of this pool; the cloud API rejects a taint key twice`,
    });
  }
  return shape;
}

/**
 * Whether a node group is meant as a GPU pool: any GPU type in its list makes it one. The one rule
 * for every path that has to decide (a cluster's `nodeGroups`, stack config, target derivation);
 * validation of a GPU pool then names each listed type that has no GPU.
 */
export function isGpuGroup(types: readonly string[]): boolean {
  return types.some((t) => AWS_GPU_INSTANCES.has(t));
}

// One node image per OS, architecture and GPU-ness: a table, not branches.
const AMI_TYPES = {
  al2023: {
    x86_64: { gpu: "AL2023_x86_64_NVIDIA", cpu: "AL2023_x86_64_STANDARD" },
    arm64: { gpu: "AL2023_ARM_64_NVIDIA", cpu: "AL2023_ARM_64_STANDARD" },
  },
  bottlerocket: {
    x86_64: { gpu: "BOTTLEROCKET_x86_64_NVIDIA", cpu: "BOTTLEROCKET_x86_64" },
    arm64: { gpu: "BOTTLEROCKET_ARM_64_NVIDIA", cpu: "BOTTLEROCKET_ARM_64" },
  },
} as const;

/** The EKS AMI type for an OS, an architecture and whether the pool has GPUs. */
export function amiTypeFor(os: "al2023" | "bottlerocket", arch: "x86_64" | "arm64", gpu: boolean): string {
  return AMI_TYPES[os][arch][gpu ? "gpu" : "cpu"];
}

/** What a node group is as a placement pool, validated and defaulted: known from config alone. */
export interface NodeGroupPoolPlan {
  /** Pool name: the label value and the placement pool name. */
  pool: string;
  settings: AwsNodeGroupSettings;
  shape: InstanceShape;
  trust: Trust;
  /** Extra taints that are part of what the pool is (the GPU taint, the system taint). */
  builtInTaints: Taint[];
}

/** What only the cloud resources of a node group need, beyond its pool. */
export interface NodeGroupResourcePlan {
  /** For GPU pools: EFA interfaces and a cluster placement group in one subnet. */
  efa?: { subnetId: pulumi.Input<string> | undefined };
  /** Most nodes unavailable during an update: GPU pools roll one node at a time. */
  maxUnavailable: { count: number } | { percentage: number };
}

/**
 * The placement pool a node group provides, from its pool plan alone (no resources), so a stack
 * can place workloads before it declares anything.
 */
export function nodeGroupPool(plan: NodeGroupPoolPlan): Pool {
  const { settings, shape } = plan;
  const gpu = shape.kind === "gpu";
  const smallest = smallestShape(shape);
  const spot = settings.capacityType === "SPOT";
  const reference = settings.instanceTypes[0] ?? "";
  const referencePrice =
    (gpu ? AWS_GPU_INSTANCES.get(reference) : AWS_CPU_INSTANCES.get(reference))?.usdPerHour ?? 0;
  return {
    name: plan.pool,
    node: {
      cpu: smallest.cpu,
      memoryGiB: smallest.memoryGiB,
      ...(smallest.gpu ? { gpu: smallest.gpu } : {}),
    },
    minNodes: settings.minSize ?? (gpu ? 0 : 1),
    maxNodes: settings.maxSize,
    pricePerNodeHour: round(
      settings.pricePerNodeHour ?? (spot ? referencePrice * SPOT_PRICE_FACTOR : referencePrice),
    ),
    spot,
    ...(settings.headroom === undefined ? {} : { headroom: settings.headroom }),
    labels: {
      ...settings.labels,
      ...poolLabels({ pool: plan.pool, trust: plan.trust, spot, gpuModel: smallest.gpu?.model }),
    },
    taints: [...plan.builtInTaints, ...(settings.taints ?? [])],
  };
}

/**
 * Declares a launch template (IMDSv2 with hop limit 1, encrypted gp3 volumes, no public IP unless
 * asked, optional EFA) and the managed node group that uses it; returns the placement pool the
 * group provides.
 */
export function createNodeGroup(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cluster: AwsClusterRef,
  plan: NodeGroupPoolPlan,
  resources: NodeGroupResourcePlan,
): { nodeGroup: eks.NodeGroup; launchTemplate: ec2.LaunchTemplate; pool: Pool } {
  const { settings, shape } = plan;
  const gpu = shape.kind === "gpu";
  const smallest = smallestShape(shape);
  const os = settings.os ?? "al2023";
  const diskGiB = settings.diskSizeGiB ?? (gpu ? 200 : 100);
  const pool = nodeGroupPool(plan);
  const minSize = pool.minNodes ?? 0;
  const labels = pool.labels ?? {};
  const taints = pool.taints ?? [];
  const opts = { parent };

  const volume = (deviceName: string, volumeSize: number, holdsImages: boolean) => ({
    deviceName,
    ebs: {
      volumeSize,
      volumeType: "gp3",
      encrypted: "true",
      deleteOnTermination: "true",
      ...(settings.diskKmsKeyArn ? { kmsKeyId: settings.diskKmsKeyArn } : {}),
      // Model images are large; more throughput than gp3's 125 MiB/s baseline shortens pulls. Only
      // the volume that holds images gets it: gp3 allows at most 500 IOPS per GiB above the 3000
      // baseline, so a small OS volume with 6000 IOPS would fail to launch.
      throughput: gpu && holdsImages ? 500 : 125,
      iops: gpu && holdsImages ? 6000 : 3000,
    },
  });
  // Bottlerocket keeps its OS on a small root volume and images on a second, data volume.
  const blockDeviceMappings =
    os === "bottlerocket"
      ? [volume("/dev/xvda", 4, false), volume("/dev/xvdb", diskGiB, true)]
      : [volume("/dev/xvda", diskGiB, true)];

  const securityGroups: pulumi.Input<string>[] = [cluster.clusterSecurityGroupId];
  let placementGroupName: pulumi.Output<string> | undefined;
  let subnetIds: pulumi.Input<pulumi.Input<string>[]> = settings.subnetIds ?? cluster.privateSubnetIds;
  if (resources.efa) {
    // EFA traffic bypasses the kernel; its security group must allow everything to and from itself.
    const efaSg = new ec2.SecurityGroup(
      childName(name, "efa"),
      {
        vpcId: cluster.vpcId,
        description: `EFA traffic between nodes of ${name}`,
        tags: common.tags,
      },
      opts,
    );
    new vpc.SecurityGroupIngressRule(
      childName(name, "efa-in"),
      {
        securityGroupId: efaSg.id,
        ipProtocol: "-1",
        referencedSecurityGroupId: efaSg.id,
        description: "EFA peers",
        tags: common.tags,
      },
      opts,
    );
    new vpc.SecurityGroupEgressRule(
      childName(name, "efa-out"),
      {
        securityGroupId: efaSg.id,
        ipProtocol: "-1",
        referencedSecurityGroupId: efaSg.id,
        description: "EFA peers",
        tags: common.tags,
      },
      opts,
    );
    securityGroups.push(efaSg.id);
    const group = new ec2.PlacementGroup(
      childName(name, "placement"),
      { strategy: "cluster", tags: common.tags },
      opts,
    );
    placementGroupName = group.name;
    const efaSubnet = resources.efa.subnetId ?? pulumi.output(subnetIds).apply((ids) => ids[0] ?? "");
    subnetIds = [efaSubnet];
  }

  // Validation has made sure every listed type takes the same number of EFA interfaces.
  const interfaces = resources.efa ? (efaInterfaceCount(settings.instanceTypes) ?? 1) : 1;
  const launchTemplate = new ec2.LaunchTemplate(
    name,
    {
      description: `Nodes of pool ${plan.pool}: IMDSv2 only, encrypted volumes`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        // One hop: pods cannot reach the node's credentials; they use Pod Identity instead.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      },
      blockDeviceMappings,
      networkInterfaces: Array.from({ length: interfaces }, (_, i) => ({
        deviceIndex: i === 0 ? 0 : 1,
        networkCardIndex: i,
        // EC2 rejects the field on a template with several interfaces (and such nodes get no
        // public IP anyway); validation refuses publicIp with EFA.
        ...(interfaces === 1 ? { associatePublicIpAddress: settings.publicIp ? "true" : "false" } : {}),
        deleteOnTermination: "true",
        securityGroups,
        ...(resources.efa ? { interfaceType: "efa" } : {}),
      })),
      ...(placementGroupName ? { placement: { groupName: placementGroupName } } : {}),
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: { ...common.tags, Name: name, "hybrid-ai-infra.io/pool": plan.pool },
      })),
      tags: common.tags,
    },
    opts,
  );

  const nodeGroup = new eks.NodeGroup(
    name,
    {
      clusterName: cluster.clusterName,
      nodeRoleArn: cluster.nodeRoleArn,
      subnetIds,
      amiType: amiTypeFor(os, smallest.arch, gpu),
      capacityType: settings.capacityType ?? "ON_DEMAND",
      instanceTypes: settings.instanceTypes,
      scalingConfig: { minSize, desiredSize: settings.desiredSize ?? minSize, maxSize: settings.maxSize },
      labels,
      taints: taints.map((t) => ({
        key: t.key,
        value: t.value,
        effect: EKS_EFFECT[t.effect] ?? "NO_SCHEDULE",
      })),
      launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
      updateConfig:
        "count" in resources.maxUnavailable
          ? { maxUnavailable: resources.maxUnavailable.count }
          : { maxUnavailablePercentage: resources.maxUnavailable.percentage },
      nodeRepairConfig: { enabled: true },
      tags: common.tags,
    },
    // The cluster autoscaler owns the node count after creation; a later `pulumi up` must not reset it.
    { parent, ignoreChanges: ["scalingConfig.desiredSize"] },
  );

  return { nodeGroup, launchTemplate, pool };
}

const EKS_EFFECT: Record<string, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/**
 * With several instance types the group may start any of them, so placement plans with the
 * smallest: the least cpu, memory and GPUs among them.
 */
function smallestShape(shape: InstanceShape): {
  cpu: number;
  memoryGiB: number;
  arch: "x86_64" | "arm64";
  gpu?: { count: number; model: string };
} {
  const facts: (GpuFacts | CpuFacts)[] = shape.facts;
  const cpu = Math.min(...facts.map((f) => f.vcpu));
  const memoryGiB = Math.min(...facts.map((f) => f.memoryGiB));
  const arch = facts[0]?.arch ?? "x86_64";
  if (shape.kind === "gpu") {
    return {
      cpu,
      memoryGiB,
      arch,
      gpu: { count: Math.min(...shape.facts.map((f) => f.gpus)), model: shape.facts[0]?.gpuModel ?? "" },
    };
  }
  return { cpu, memoryGiB, arch };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The GPU taint in placement's form. */
export const GPU_TAINTS: Taint[] = [{ ...GPU_TAINT }];
