import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  type ClusterPlacementArgs,
  type Common,
  type CommonArgs,
  clusterPlacementShape,
  commonArgsOf,
  commonArgsShape,
  input,
  resolveCommon,
} from "../../kit";
import {
  awsIdSchema,
  componentSubject,
  type IssueSink,
  iamPrincipalArnSchema,
  ipv4Cidr,
  kubernetesVersionSchema,
  nameSchema,
  oneOfNumbers,
  parseOrThrow,
  pinnedImageSchema,
} from "../../validation";
import { LOG_RETENTION_DAYS } from "../logs";
import {
  type AwsEfaPlacement,
  type AwsNodeGroupSettings,
  checkEfaPlacement,
  checkNodeGroup,
  efaPlacementShape,
  GPU_TAINTS,
  isGpuGroup,
  nodeGroupSettingsShape,
  type ResolvedNodeGroupSettings,
  resolveNodeGroupSettings,
} from "../node-group";
import { ACCESS_POLICIES, type AccessGrant, type AccessPolicyName, accessGrants } from "./access";
import { ADDON_NAMES, type AddonName, DEFAULT_NETWORK_POLICY_MODE } from "./addon-specs";
import {
  autoscalerImageOf,
  CLUSTER_NAME,
  CLUSTER_NAME_RULE,
  canScale,
  checkAutoscalerImage,
  checkClusterNames,
  checkDerivedClusterName,
  checkImagesReachable,
  checkNetworkPolicySupport,
  checkOneEntryPerPrincipal,
  clusterNameOf,
  resolveNetworkPolicyMode,
} from "./rules";

/** The network a cluster runs in: an `AwsVpc`, or the ids of an existing VPC. */
export interface AwsClusterNetwork {
  /** VPC id. */
  vpcId: pulumi.Input<string>;
  /** The VPC's IPv4 block; the private API endpoint accepts HTTPS from it. */
  cidrBlock: pulumi.Input<string>;
  /** Private subnets in at least two zones, for the control plane's interfaces and the nodes. */
  privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Zones of `privateSubnetIds`, in the same order (an `AwsVpc` gives them); lets EFA groups name a zone. */
  privateSubnetZones?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Whether the nodes reach the internet (NAT); an `AwsVpc` says. False makes the component refuse
   * images from public registries it cannot pull (mirror them in ECR). Unknown (an existing VPC):
   * nothing is checked.
   */
  internetEgress?: boolean;
}

/** A node group declared with the cluster; it becomes a placement pool of the cluster's target. */
export interface AwsClusterNodeGroup extends AwsNodeGroupSettings, AwsEfaPlacement {
  /** Pool name: node label, placement pool and child name suffix. */
  name: string;
}

/** Arguments of `AwsPrivateCluster`. */
export interface AwsPrivateClusterArgs extends CommonArgs {
  /** The network: an `AwsVpc`, or the ids of an existing VPC. */
  network: AwsClusterNetwork;
  /** EKS cluster name; default `<component name>-<environment>`. */
  clusterName?: string;
  /** Kubernetes version, e.g. "1.34"; default EKS's default for new clusters. Pin it per environment. */
  kubernetesVersion?: string;
  /** IAM role or user ARNs granted cluster-admin through access entries; at least one (the creator gets nothing implicitly). */
  admins: string[];
  /** Further access entries, each with an EKS access policy for the cluster or some namespaces. */
  accessEntries?: { principalArn: string; policy: AccessPolicyName; namespaces?: string[] }[];
  /** Networks besides the VPC that may reach the private API endpoint on 443 (e.g. on-premises over VPN). */
  endpointAccessCidrs?: string[];
  /** Also expose the API endpoint publicly, to these CIDRs only (never 0.0.0.0/0). Default: private only. */
  publicAccessCidrs?: string[];
  /** Days to keep control-plane logs (a CloudWatch retention value). Default 365. */
  logRetentionDays?: number;
  /** EKS deletion protection. Default on outside the "dev" environment. */
  deletionProtection?: boolean;
  /**
   * Stay on extended support (paid, after 14 months) past a version's standard support. Default
   * true, EKS's own default: with false EKS upgrades the cluster itself when standard support
   * ends, and the next `pulumi up` plans the pinned, older version, a downgrade EKS refuses.
   */
  extendedSupport?: boolean;
  /**
   * Managed add-on versions, by add-on (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent).
   * An add-on not listed is installed at EKS's default for the cluster's Kubernetes version and
   * stays at that version (recorded in the stack's state) until the Kubernetes version changes or
   * it is listed here; a newer default is reported on every preview, never applied by itself.
   */
  addonVersions?: Partial<Record<AddonName, string>>;
  /**
   * How the VPC CNI enforces network policies on a new pod: "strict" (default) starts every pod
   * denied until its policies are in place, as the library's default-deny namespaces promise;
   * "standard" lets a new pod talk freely for the seconds until they are. Strict needs a policy
   * for every pod on pod networking that must talk, CoreDNS and the autoscaler included: the
   * cluster's `addons` carry theirs.
   */
  networkPolicyMode?: "strict" | "standard";
  /** Run NVIDIA's device plugin on the GPU nodes (without it no pod can request `nvidia.com/gpu`). Default true when a node group has GPUs; turn it off when a GPU operator manages it. */
  gpuDevicePlugin?: boolean;
  /** NVIDIA device plugin image, pinned; default NVIDIA's release on nvcr.io (which ECR cannot cache: mirror it where nodes have no internet egress). */
  gpuDevicePluginImage?: string;
  /** Cluster Autoscaler image, pinned; default the release matching `kubernetesVersion` on registry.k8s.io. */
  clusterAutoscalerImage?: string;
  /** Run the AWS Load Balancer Controller (its Pod Identity role now, the controller in the cluster phase), so Services can get internal NLBs; cross-site services need it. Default false. */
  loadBalancerController?: boolean;
  /** The system node group that runs only add-ons (taint CriticalAddonsOnly): on-demand, 2-3 nodes by default. */
  systemNodeGroup?: { instanceTypes?: string[]; minSize?: number; desiredSize?: number; maxSize?: number };
  /** Node groups for workloads; a group of GPU types becomes an `AwsGpuNodeGroup`, others an `AwsNodeGroup`. */
  nodeGroups?: AwsClusterNodeGroup[];
  /** How placement sees the cluster. */
  placement: ClusterPlacementArgs;
}

/**
 * What an omitted field of `AwsPrivateClusterArgs` means, in one place: `resolveClusterArgs`
 * applies it once. Fields not listed default to nothing (no version pinned: EKS picks its default
 * for new clusters; no further access entries, networks or node groups).
 */
export const CLUSTER_DEFAULTS = {
  /** `logRetentionDays`: a year. */
  logRetentionDays: 365,
  /** `deletionProtection`: on outside the "dev" environment. */
  deletionProtection: (environment: string): boolean => environment !== "dev",
  /** `extendedSupport`: on (EKS's default), so the version changes only when the args change it. */
  extendedSupport: true,
  /** `networkPolicyMode`: strict, so a namespace's default deny holds from a pod's first packet. */
  networkPolicyMode: DEFAULT_NETWORK_POLICY_MODE,
  /** `gpuDevicePlugin`: on, where a node group has GPUs. */
  gpuDevicePlugin: true,
  /** `loadBalancerController`: off; a cluster without cross-site services needs no NLB controller. */
  loadBalancerController: false,
  /** `systemNodeGroup`: on-demand, two to three general-purpose nodes (desired: `minSize`). */
  systemNodeGroup: { instanceTypes: ["m7i.large"], minSize: 2, maxSize: 3 },
} as const;

/** The zod shape of `AwsClusterNodeGroup`; the stack config builds its node groups on it. */
export const clusterNodeGroupShape = {
  ...nodeGroupSettingsShape,
  name: nameSchema,
  ...efaPlacementShape,
};

/**
 * Every check of a node group declared with a cluster, under `path` (the group): a group with any
 * GPU type is a GPU pool (`isGpuGroup`), then `checkNodeGroup` says what is wrong with it.
 */
export function checkClusterNodeGroup(
  group: Parameters<typeof checkNodeGroup>[0],
  ctx: IssueSink,
  path: (string | number)[] = [],
): void {
  const gpu = isGpuGroup(group.instanceTypes);
  checkNodeGroup(group, { gpu, builtInTaints: gpu ? GPU_TAINTS : [] }, ctx, path);
}

/** The system group's settings once resolved: the defaults for what the args leave out. */
export function resolveSystemNodeGroup(system: {
  instanceTypes?: string[] | undefined;
  minSize?: number | undefined;
  desiredSize?: number | undefined;
  maxSize?: number | undefined;
}): ResolvedNodeGroupSettings {
  const defaults = CLUSTER_DEFAULTS.systemNodeGroup;
  return resolveNodeGroupSettings(
    {
      instanceTypes: system.instanceTypes ?? [...defaults.instanceTypes],
      capacityType: "ON_DEMAND",
      minSize: system.minSize ?? defaults.minSize,
      desiredSize: system.desiredSize,
      maxSize: system.maxSize ?? defaults.maxSize,
    },
    false,
  );
}

/** The system node group's args, with their checks (CPU types from the facts table, scaling bounds). */
export const systemNodeGroupSchema = z
  .strictObject({
    instanceTypes: z.array(z.string()).min(1).optional(),
    minSize: z.number().int().min(1).optional(),
    desiredSize: z.number().int().min(1).optional(),
    maxSize: z.number().int().min(1).optional(),
  })
  .superRefine((system, ctx) => {
    checkNodeGroup(resolveSystemNodeGroup(system), { gpu: false, builtInTaints: [] }, ctx);
  });

/** One further access entry: a principal and its EKS access policy, cluster-wide or in some namespaces. */
export const accessEntrySchema = z.strictObject({
  principalArn: iamPrincipalArnSchema,
  policy: z.enum(Object.keys(ACCESS_POLICIES) as [AccessPolicyName]),
  namespaces: z.array(z.string().min(1)).min(1).optional(),
});

/** Cluster admins: at least one, since the cluster creator gets no implicit access. */
export const adminsSchema = z
  .array(iamPrincipalArnSchema)
  .min(1, "needs at least one IAM principal: the cluster creator gets no implicit access");

/** Networks that may reach a public API endpoint: never the whole internet. */
export const publicAccessCidrsSchema = z
  .array(
    z
      .string()
      // Checked before the prefix range, so the reason is the one the user needs to read.
      .refine((c) => !/^0\.0\.0\.0\/0$/.test(c.trim()), {
        message: "0.0.0.0/0 would expose the API server to the internet; list the networks that need it",
        abort: true,
      })
      .pipe(ipv4Cidr({ min: 8 })),
  )
  .min(1);

/** Pinned add-on versions: EKS's format, `v<major>.<minor>.<patch>-eksbuild.<n>`. */
export const addonVersionsSchema = z
  .strictObject(
    Object.fromEntries(
      ADDON_NAMES.map((addon) => [
        addon,
        z
          .string()
          .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, "is not an EKS add-on version such as v1.20.4-eksbuild.1")
          .optional(),
      ]),
    ) as Record<AddonName, z.ZodOptional<z.ZodString>>,
  )
  .optional();

/** Each network is one security group rule; AWS rejects a duplicate rule. */
function checkOneRulePerNetwork(
  args: { network: { cidrBlock: unknown }; endpointAccessCidrs?: string[] | undefined },
  ctx: IssueSink,
): void {
  const sources = new Map<string, string>();
  if (typeof args.network.cidrBlock === "string") sources.set(args.network.cidrBlock, "network.cidrBlock");
  (args.endpointAccessCidrs ?? []).forEach((cidr, i) => {
    const first = sources.get(cidr);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["endpointAccessCidrs", i],
        message: `"${cidr}" is already allowed (${first}); list each network once`,
      });
    } else {
      sources.set(cidr, `endpointAccessCidrs[${i}]`);
    }
  });
}

/** Pool names are child names and placement pools: unique, and never the system pool's. */
function checkUniquePoolNames(nodeGroups: readonly { name: string }[] = [], ctx: IssueSink): void {
  const names = new Set<string>();
  nodeGroups.forEach((group, i) => {
    if (names.has(group.name) || group.name === "system") {
      ctx.addIssue({
        code: "custom",
        path: ["nodeGroups", i, "name"],
        message: `"${group.name}" is used twice (or is the reserved "system"); pool names must be unique per cluster`,
      });
    }
    names.add(group.name);
  });
}

/** The schema of `AwsPrivateClusterArgs`, without the checks that need the component name. */
export const clusterArgsSchema = z
  .strictObject({
    ...commonArgsShape,
    network: z.looseObject({
      vpcId: input(awsIdSchema("vpc")),
      cidrBlock: input(ipv4Cidr()),
      privateSubnetIds: input(z.array(input(z.string())).min(2)),
      privateSubnetZones: input(z.array(input(z.string()))).optional(),
      internetEgress: z.boolean().optional(),
    }),
    clusterName: z.string().regex(CLUSTER_NAME, CLUSTER_NAME_RULE).optional(),
    kubernetesVersion: kubernetesVersionSchema.optional(),
    admins: adminsSchema,
    accessEntries: z.array(accessEntrySchema).optional(),
    endpointAccessCidrs: z.array(ipv4Cidr()).optional(),
    publicAccessCidrs: publicAccessCidrsSchema.optional(),
    logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    deletionProtection: z.boolean().optional(),
    extendedSupport: z.boolean().optional(),
    addonVersions: addonVersionsSchema,
    networkPolicyMode: z.enum(["strict", "standard"]).optional(),
    gpuDevicePlugin: z.boolean().optional(),
    gpuDevicePluginImage: pinnedImageSchema.optional(),
    clusterAutoscalerImage: pinnedImageSchema.optional(),
    loadBalancerController: z.boolean().optional(),
    systemNodeGroup: systemNodeGroupSchema.optional(),
    nodeGroups: z
      .array(
        z.strictObject(clusterNodeGroupShape).superRefine((group, ctx) => checkClusterNodeGroup(group, ctx)),
      )
      .optional(),
    placement: z.strictObject(clusterPlacementShape),
  })
  .superRefine((args, ctx) => {
    checkOneEntryPerPrincipal(args, ctx);
    checkOneRulePerNetwork(args, ctx);
    checkUniquePoolNames(args.nodeGroups, ctx);
    checkAutoscalerImage(args, ctx);
    checkImagesReachable({ ...args, internetEgress: args.network.internetEgress }, ctx);
    checkNetworkPolicySupport(args, ctx);
    const zonesKnown = args.network.privateSubnetZones !== undefined;
    args.nodeGroups?.forEach((group, i) => {
      checkEfaPlacement(group, ctx, { zonesKnown, path: ["nodeGroups", i] });
    });
  });

/** `AwsPrivateClusterArgs` once validated. */
export type ParsedClusterArgs = z.output<typeof clusterArgsSchema>;

/** A node group of the cluster once resolved: its pool name, GPU-ness, settings and EFA placement. */
export interface ResolvedClusterNodeGroup {
  name: string;
  gpu: boolean;
  settings: ResolvedNodeGroupSettings;
  efa: boolean;
  efaZone?: string | undefined;
  efaSubnetId?: pulumi.Input<string> | undefined;
}

/** `AwsPrivateClusterArgs` with every default applied: what the cluster's helpers take. */
export interface ResolvedClusterArgs {
  common: Common;
  /** The common args as given, which the cluster hands down to its node groups. */
  commonArgs: CommonArgs;
  network: ParsedClusterArgs["network"];
  clusterName: string;
  kubernetesVersion?: string | undefined;
  grants: AccessGrant[];
  endpointAccessCidrs: string[];
  publicAccessCidrs: string[];
  logRetentionDays: number;
  deletionProtection: boolean;
  extendedSupport: boolean;
  addonVersions: Partial<Record<AddonName, string>>;
  networkPolicyMode: "strict" | "standard";
  gpuDevicePlugin: boolean;
  gpuDevicePluginImage?: string | undefined;
  /** The autoscaler's image when a group can grow (the one given, else the one for the version). */
  clusterAutoscalerImage?: string | undefined;
  loadBalancerController: boolean;
  systemNodeGroup: ResolvedNodeGroupSettings;
  nodeGroups: ResolvedClusterNodeGroup[];
  placement: ClusterPlacementArgs;
}

/** Applies the defaults of `CLUSTER_DEFAULTS` (and the node groups' own) once. */
export function resolveClusterArgs(name: string, parsed: ParsedClusterArgs): ResolvedClusterArgs {
  const common = resolveCommon(parsed);
  const groups = parsed.nodeGroups ?? [];
  return {
    common,
    commonArgs: commonArgsOf(parsed),
    network: parsed.network,
    clusterName: clusterNameOf(name, common.environment, parsed.clusterName),
    ...(parsed.kubernetesVersion === undefined ? {} : { kubernetesVersion: parsed.kubernetesVersion }),
    grants: accessGrants(parsed.admins, parsed.accessEntries),
    endpointAccessCidrs: parsed.endpointAccessCidrs ?? [],
    publicAccessCidrs: parsed.publicAccessCidrs ?? [],
    logRetentionDays: parsed.logRetentionDays ?? CLUSTER_DEFAULTS.logRetentionDays,
    deletionProtection: parsed.deletionProtection ?? CLUSTER_DEFAULTS.deletionProtection(common.environment),
    extendedSupport: parsed.extendedSupport ?? CLUSTER_DEFAULTS.extendedSupport,
    addonVersions: { ...parsed.addonVersions },
    networkPolicyMode: resolveNetworkPolicyMode(parsed.networkPolicyMode),
    gpuDevicePlugin: parsed.gpuDevicePlugin ?? CLUSTER_DEFAULTS.gpuDevicePlugin,
    gpuDevicePluginImage: parsed.gpuDevicePluginImage,
    clusterAutoscalerImage: groups.some(canScale) ? autoscalerImageOf(parsed) : undefined,
    loadBalancerController: parsed.loadBalancerController ?? CLUSTER_DEFAULTS.loadBalancerController,
    systemNodeGroup: resolveSystemNodeGroup(parsed.systemNodeGroup ?? {}),
    nodeGroups: groups.map((group) => {
      const { name: pool, efa, efaZone, efaSubnetId, ...settings } = group;
      const gpu = isGpuGroup(settings.instanceTypes);
      return {
        name: pool,
        gpu,
        settings: resolveNodeGroupSettings(settings, gpu),
        efa: efa ?? false,
        efaZone,
        efaSubnetId,
      };
    }),
    placement: parsed.placement,
  };
}

/**
 * Validates and resolves the args of the cluster component `name`, or throws one `ConfigError`
 * listing every problem. The EKS name defaults to `<component name>-<environment>`; EKS would
 * refuse a bad one only at deploy time, and IAM or EKS a generated name over its limit, so both
 * are checked here.
 */
export function parseClusterArgs(name: string, args: AwsPrivateClusterArgs): ResolvedClusterArgs {
  const parsed = parseOrThrow(
    componentSubject("AwsPrivateCluster", name),
    clusterArgsSchema.superRefine((a, ctx) => {
      if (a.clusterName === undefined) checkDerivedClusterName(name, resolveCommon(a).environment, ctx);
      checkClusterNames(name, a.nodeGroups, ctx);
    }),
    args,
  );
  return resolveClusterArgs(name, parsed);
}
