import { z } from "zod";
import { checkNodeGroup, isGpuGroup, LOG_RETENTION_DAYS, nodeGroupSettingsShape } from "../components/aws";
import { checkPoolSettings, isGpuSize, MIG_PROFILES, nodePoolSettingsShape } from "../components/azure";
import {
  findOverlaps,
  GPU_TAINT,
  ipv4Cidr,
  labelKeySchema,
  labelValueSchema,
  oneOfNumbers,
  parseOrThrow,
  taintSchema,
} from "../components/core";
import { CLASSIFICATIONS } from "../components/shared";

/** The config namespace of the reference project (its name in Pulumi.yaml). */
export const PROJECT = "hybrid-ai-infra";

/** Config keys that hold secrets: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = ["onpremKubeconfig"] as const;

const NAME = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/,
    "must be lower-case letters, digits and dashes (at most 40)",
  );
const JURISDICTION = z.string().regex(/^[A-Z]{2,8}$/, "is not a jurisdiction code such as EU, US or DE");
const ZONE = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, "is not an availability zone name such as eu-west-1a");
const ROLE_ARN = z
  .string()
  .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, "is not an IAM role or user ARN");

const awsNodeGroup = z.strictObject({
  name: NAME,
  ...nodeGroupSettingsShape,
  // Config holds plain values only; Outputs are for programs.
  subnetIds: z.undefined().optional(),
  diskKmsKeyArn: z.string().startsWith("arn:").optional(),
  efa: z.boolean().optional(),
});

const awsSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "is not an AWS region such as eu-west-1"),
  jurisdiction: JURISDICTION,
  trust: z.enum(["private", "public"]).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  network: z.union([
    z.strictObject({
      cidr: ipv4Cidr({ min: 16, max: 24 }),
      availabilityZones: z.array(ZONE).min(2).max(3),
      natGateways: z.enum(["none", "single", "perZone"]).optional(),
      extraInterfaceEndpoints: z.array(z.string()).optional(),
      flowLogRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    }),
    z.strictObject({
      existing: z.strictObject({
        vpcId: z.string().startsWith("vpc-"),
        cidr: ipv4Cidr(),
        privateSubnetIds: z.array(z.string().startsWith("subnet-")).min(2),
        privateRouteTableIds: z.array(z.string().startsWith("rtb-")).optional(),
      }),
      endpoints: z.boolean().optional(),
      flowLogs: z.boolean().optional(),
    }),
  ]),
  cluster: z.strictObject({
    name: NAME,
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "is not a Kubernetes minor version such as 1.34")
      .optional(),
    admins: z
      .array(ROLE_ARN)
      .min(1, "needs at least one IAM principal: the cluster creator gets no implicit access"),
    accessEntries: z
      .array(
        z.strictObject({
          principalArn: ROLE_ARN,
          policy: z.enum(["ClusterAdmin", "Admin", "Edit", "View"]),
          namespaces: z.array(z.string().min(1)).min(1).optional(),
        }),
      )
      .optional(),
    publicAccessCidrs: z.array(ipv4Cidr({ min: 8 })).optional(),
    logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    deletionProtection: z.boolean().optional(),
    systemNodeGroup: z
      .strictObject({
        instanceTypes: z.array(z.string()).min(1).optional(),
        minSize: z.number().int().min(1).optional(),
        desiredSize: z.number().int().min(1).optional(),
        maxSize: z.number().int().min(1).optional(),
      })
      .optional(),
    nodeGroups: z.array(awsNodeGroup).min(1, "needs at least one node group for workloads"),
  }),
  buckets: z
    .array(
      z.strictObject({
        name: NAME,
        datasets: z.array(z.string().min(1)).optional(),
        noncurrentVersionExpirationDays: z.number().int().min(1).optional(),
        objectLock: z
          .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1) })
          .optional(),
      }),
    )
    .optional(),
});

const GUID = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    "is not an Entra ID object id (a GUID)",
  );

/** AKS overlay defaults, as AzurePrivateCluster applies them; they take part in the overlap check. */
const AKS_DEFAULT_POD_CIDR = "10.244.0.0/16";
const AKS_DEFAULT_SERVICE_CIDR = "10.245.0.0/16";

const azureNodePool = z.strictObject({
  name: NAME,
  ...nodePoolSettingsShape,
  // Config holds plain values only; Outputs are for programs.
  subnetId: z.undefined().optional(),
  gpuDriver: z.enum(["Install", "None"]).optional(),
  migProfile: z.enum(MIG_PROFILES).optional(),
});

const azureSchema = z.strictObject({
  location: z.string().regex(/^[a-z]+[a-z0-9]*$/, "is not an Azure region name such as westeurope"),
  jurisdiction: JURISDICTION,
  trust: z.enum(["private", "public"]).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  /** Name of the resource group the site lives in; default `<cluster name>-<environment>-rg`. */
  resourceGroupName: z
    .string()
    .regex(/^[-\w.()]{1,89}[-\w()]$/, "is not a resource group name")
    .optional(),
  network: z.strictObject({
    addressSpace: ipv4Cidr({ min: 16, max: 22 }),
    apiServerSubnet: z.boolean().optional(),
    flowLogRetentionDays: z.number().int().min(1).max(365).optional(),
  }),
  cluster: z.strictObject({
    name: NAME,
    kubernetesVersion: z
      .string()
      .regex(/^1\.\d{2}$/, "is not a Kubernetes minor version such as 1.33")
      .optional(),
    adminGroupObjectIds: z
      .array(GUID)
      .min(1, "needs at least one Entra ID group: local accounts are disabled"),
    rbacAssignments: z
      .array(
        z.strictObject({
          principalId: GUID,
          role: z.enum(["ClusterAdmin", "Admin", "Writer", "Reader"]),
          principalType: z.enum(["User", "Group", "ServicePrincipal"]).optional(),
          namespace: z.string().min(1).optional(),
        }),
      )
      .optional(),
    kmsKeyVaultAccess: z.enum(["Public", "Private"]).optional(),
    skuTier: z.enum(["Free", "Standard", "Premium"]).optional(),
    podCidr: ipv4Cidr({ min: 8, max: 24 }).optional(),
    serviceCidr: ipv4Cidr({ min: 12, max: 24 }).optional(),
    logRetentionDays: z.number().int().min(30).max(730).optional(),
    availabilityZones: z.array(z.enum(["1", "2", "3"])).optional(),
    nodePools: z.array(azureNodePool).min(1, "needs at least one node pool for workloads"),
  }),
  storage: z
    .array(
      z.strictObject({
        name: NAME,
        sku: z.enum(["Standard_ZRS", "Standard_GZRS", "Standard_LRS"]).optional(),
        containers: z.array(z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/)).optional(),
        datasets: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
});

const onpremSchema = z.strictObject({
  name: NAME,
  region: z.string().min(1),
  jurisdiction: JURISDICTION,
  trust: z.enum(["private", "public"]).optional(),
  /** The site's address space, as routed over the VPN; the EKS API endpoint accepts it. */
  networkCidr: ipv4Cidr().optional(),
  context: z.string().optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  datasets: z.array(z.string().min(1)).optional(),
  pools: z
    .array(
      z.strictObject({
        name: NAME,
        node: z.strictObject({
          cpu: z.number().positive(),
          memoryGiB: z.number().positive(),
          gpu: z.strictObject({ count: z.number().int().min(1), model: z.string().min(1) }).optional(),
        }),
        nodes: z.number().int().min(1),
        pricePerNodeHour: z.number().min(0),
        labels: z.record(labelKeySchema, labelValueSchema).optional(),
        taints: z.array(taintSchema).optional(),
        headroom: z.number().min(0).lt(1).optional(),
      }),
    )
    .min(1, "needs at least one pool: placement can only use capacity it knows about"),
});

/** The whole configuration of one environment of the reference platform. */
export const platformConfigSchema = z
  .strictObject({
    environment: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "use lower-case letters, digits and dashes"),
    dataClassification: z.enum(CLASSIFICATIONS).optional(),
    protectData: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    aws: awsSchema.optional(),
    azure: azureSchema.optional(),
    onprem: onpremSchema.optional(),
    placement: z
      .strictObject({
        moveCost: z.number().min(0).optional(),
        allowPartial: z.boolean().optional(),
        timeLimitMs: z.number().int().min(10).max(600_000).optional(),
      })
      .optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.aws && !config.azure && !config.onprem) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: "configures no site: add `aws`, `azure` and/or `onprem`",
      });
    }
    config.azure?.cluster.nodePools.forEach((pool, i) => {
      checkPoolSettings(pool, isGpuSize(pool.vmSize), ctx, ["azure", "cluster", "nodePools", i]);
    });
    config.aws?.cluster.nodeGroups.forEach((group, i) => {
      const path = ["aws", "cluster", "nodeGroups", i];
      const gpu = group.instanceTypes.some((t) => isGpuGroup([t]));
      checkNodeGroup(group, { gpu, builtInTaints: gpu ? [GPU_TAINT] : [] }, ctx, path);
    });

    // Networks joined by VPN must not overlap, or routes become ambiguous.
    const networks: { name: string; cidr: string }[] = [];
    const awsNet = config.aws?.network;
    if (awsNet)
      networks.push({ name: "aws.network", cidr: "cidr" in awsNet ? awsNet.cidr : awsNet.existing.cidr });
    if (config.azure) {
      const c = config.azure.cluster;
      networks.push(
        { name: "azure.network.addressSpace", cidr: config.azure.network.addressSpace },
        { name: "azure.cluster.podCidr", cidr: c.podCidr ?? AKS_DEFAULT_POD_CIDR },
        { name: "azure.cluster.serviceCidr", cidr: c.serviceCidr ?? AKS_DEFAULT_SERVICE_CIDR },
      );
    }
    if (config.onprem?.networkCidr)
      networks.push({ name: "onprem.networkCidr", cidr: config.onprem.networkCidr });
    for (const { a, b } of findOverlaps(networks)) {
      ctx.addIssue({
        code: "custom",
        path: b.name.split("."),
        message: `"${b.cidr}" overlaps ${a.name} "${a.cidr}"; networks joined by VPN must not overlap`,
      });
    }

    // A dataset lives in one place; placement prices egress from there.
    const homes = new Map<string, string>();
    const host = (dataset: string, where: string, path: (string | number)[]) => {
      const other = homes.get(dataset);
      if (other) {
        ctx.addIssue({
          code: "custom",
          path,
          message: `dataset "${dataset}" is already hosted by ${other}; give it one home`,
        });
      }
      homes.set(dataset, where);
    };
    for (const [i, b] of (config.aws?.buckets ?? []).entries()) {
      for (const [j, d] of (b.datasets ?? []).entries())
        host(d, `aws.buckets[${i}]`, ["aws", "buckets", i, "datasets", j]);
    }
    for (const [i, s] of (config.azure?.storage ?? []).entries()) {
      for (const [j, d] of (s.datasets ?? []).entries())
        host(d, `azure.storage[${i}]`, ["azure", "storage", i, "datasets", j]);
    }
    for (const [j, d] of (config.onprem?.datasets ?? []).entries())
      host(d, "onprem", ["onprem", "datasets", j]);

    const targets: { name: string; path: string[] }[] = [];
    if (config.aws) targets.push({ name: config.aws.cluster.name, path: ["aws", "cluster", "name"] });
    if (config.azure) targets.push({ name: config.azure.cluster.name, path: ["azure", "cluster", "name"] });
    if (config.onprem) targets.push({ name: config.onprem.name, path: ["onprem", "name"] });
    targets.forEach((t, i) => {
      const first = targets.findIndex((u) => u.name === t.name);
      if (first < i) {
        ctx.addIssue({
          code: "custom",
          path: t.path,
          message: `"${t.name}" is also ${targets[first]?.path.join(".")}; placement targets need distinct names`,
        });
      }
    });
  });

export type PlatformConfig = z.output<typeof platformConfigSchema>;

/**
 * Validates an environment's configuration (the project's config keys without the namespace)
 * and throws one ConfigError naming the stack and every problem's path.
 */
export function parsePlatformConfig(stack: string, raw: Record<string, unknown>): PlatformConfig {
  return parseOrThrow(`stack config "${stack}"`, platformConfigSchema, { environment: stack, ...raw });
}
