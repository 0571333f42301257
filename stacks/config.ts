import { z } from "zod";
import {
  canScale,
  checkAutoscalerImage,
  checkClusterNodeGroup,
  checkEfaPlacement,
  isGpuGroup,
  LOG_RETENTION_DAYS,
} from "../components/aws";
import {
  accessEntrySchema,
  adminsSchema,
  clusterNodeGroupShape,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "../components/aws/cluster";
import { availabilityZonesSchema } from "../components/aws/vpc";
import { CLUSTER_DEFAULTS, checkPoolSettings, isGpuSize, MIG_PROFILES } from "../components/azure";
import { clusterArgsSchema } from "../components/azure/cluster";
import { nodePoolSettingsShape } from "../components/azure/node-pool";
import {
  AWS_REGIONS,
  AZURE_LOCATIONS,
  awsZoneProblem,
  CRYPTO_SUITES,
  type CryptoSuiteName,
  INSIDE_RANGES,
  INSIDE_SLOTS,
  KUBERNETES_VERSIONS,
  LINK_KINDS,
  unknownFact,
} from "../components/facts";
import { commonArgsShape } from "../components/kit";
import { onPremPoolsSchema } from "../components/onprem/onprem-cluster";
import { TRUSTS } from "../components/placement";
import {
  awsIdSchema,
  ConfigError,
  findOverlaps,
  flagRepeats,
  formatPath,
  ipv4Cidr,
  jurisdictionSchema,
  kmsKeyArnSchema,
  kubernetesVersionSchema,
  nameSchema,
  oneOfNumbers,
  parseOrThrow,
  pinnedImageSchema,
} from "../components/validation";
import { preflightIssues } from "./preflight";

/** The config namespace of the reference project (its name in Pulumi.yaml). */
export { PROJECT } from "./names";

/** Config keys that hold secrets: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = ["onpremKubeconfig"] as const;

// Config composes the components' own rules, so a value the component would refuse is refused here
// with the same words, before anything is declared.

const awsNodeGroup = z
  .strictObject({
    ...clusterNodeGroupShape,
    // Config holds plain values only; Outputs are for programs.
    subnetIds: z.undefined().optional(),
    diskKmsKeyArn: kmsKeyArnSchema.optional(),
  })
  .superRefine((group, ctx) => checkClusterNodeGroup(group, ctx));

const awsSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "is not an AWS region such as eu-west-1"),
  jurisdiction: jurisdictionSchema,
  trust: z.enum(TRUSTS).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  network: z.union([
    z.strictObject({
      cidr: ipv4Cidr({ min: 16, max: 24 }),
      /** Default: the first three zones the region reports; pin them so subnet names follow the zones. */
      availabilityZones: availabilityZonesSchema.optional(),
      natGateways: z.enum(["none", "single", "perZone"]).optional(),
      extraInterfaceEndpoints: z.array(z.string()).optional(),
      flowLogRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    }),
    z.strictObject({
      existing: z.strictObject({
        vpcId: awsIdSchema("vpc"),
        cidr: ipv4Cidr(),
        privateSubnetIds: z.array(awsIdSchema("subnet")).min(2),
        privateRouteTableIds: z.array(awsIdSchema("rtb")).optional(),
        endpointSubnetIds: z.array(awsIdSchema("subnet")).min(1).optional(),
      }),
      endpoints: z.boolean().optional(),
      flowLogs: z.boolean().optional(),
    }),
  ]),
  cluster: z
    .strictObject({
      name: nameSchema,
      kubernetesVersion: kubernetesVersionSchema.optional(),
      admins: adminsSchema,
      accessEntries: z.array(accessEntrySchema).optional(),
      publicAccessCidrs: publicAccessCidrsSchema.optional(),
      logRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
      deletionProtection: z.boolean().optional(),
      gpuDevicePluginImage: pinnedImageSchema.optional(),
      clusterAutoscalerImage: pinnedImageSchema.optional(),
      systemNodeGroup: systemNodeGroupSchema.optional(),
      nodeGroups: z.array(awsNodeGroup).min(1, "needs at least one node group for workloads"),
    })
    // The cluster phase runs Cluster Autoscaler: it must match the cluster's version.
    .superRefine((cluster, ctx) => checkAutoscalerImage(cluster, ctx)),
  buckets: z
    .array(
      z.strictObject({
        name: nameSchema,
        datasets: z.array(z.string().min(1)).optional(),
        noncurrentVersionExpirationDays: z.number().int().min(1).optional(),
        objectLock: z
          .strictObject({ mode: z.enum(["GOVERNANCE", "COMPLIANCE"]), days: z.number().int().min(1) })
          .optional(),
      }),
    )
    .optional(),
});

// The cluster's own rules, written once in the component: config takes its fields as they are.
const aks = clusterArgsSchema.shape;

const azureNodePool = z.strictObject({
  name: nameSchema,
  ...nodePoolSettingsShape,
  // Config holds plain values only; Outputs are for programs.
  subnetId: z.undefined().optional(),
  gpuDriver: z.enum(["Install", "None"]).optional(),
  migProfile: z.enum(MIG_PROFILES).optional(),
});

const azureSchema = z.strictObject({
  location: z.string().regex(/^[a-z]+[a-z0-9]*$/, "is not an Azure region name such as westeurope"),
  jurisdiction: jurisdictionSchema,
  trust: z.enum(TRUSTS).optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  /** The resource group the site lives in, under exactly this name (import it first if it exists); default `<cluster name>-<environment>-rg` plus a random suffix. */
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
    name: nameSchema,
    kubernetesVersion: aks.kubernetesVersion,
    adminGroupObjectIds: aks.adminGroupObjectIds,
    rbacAssignments: aks.rbacAssignments,
    kmsKeyVaultAccess: aks.kmsKeyVaultAccess,
    skuTier: aks.skuTier,
    podCidr: aks.podCidr,
    serviceCidr: aks.serviceCidr,
    logRetentionDays: aks.logRetentionDays,
    availabilityZones: aks.availabilityZones,
    /**
     * Encryption at host on every pool (default true): needs the subscription's EncryptionAtHost
     * feature registered; false only where it cannot be, per pool through `nodePools[].encryptionAtHost`.
     */
    encryptionAtHost: z.boolean().optional(),
    nodePools: z.array(azureNodePool).min(1, "needs at least one node pool for workloads"),
  }),
  storage: z
    .array(
      z.strictObject({
        name: nameSchema,
        sku: z.enum(["Standard_ZRS", "Standard_GZRS", "Standard_LRS"]).optional(),
        containers: z.array(z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/)).optional(),
        datasets: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
});

const onpremSchema = z.strictObject({
  name: nameSchema,
  region: z.string().min(1),
  jurisdiction: jurisdictionSchema,
  trust: z.enum(TRUSTS).optional(),
  /** The site's address space, as routed over the VPN; the EKS API endpoint accepts it. */
  networkCidr: ipv4Cidr().optional(),
  context: z.string().optional(),
  egressPricePerGiB: z.number().min(0).optional(),
  datasets: z.array(z.string().min(1)).optional(),
  /**
   * Where the site's datasets are served (object storage such as MinIO or Ceph RGW, or NFS): the
   * addresses and ports workloads reading them may reach, on this site and over the VPN links.
   */
  storage: z
    .strictObject({
      cidrs: z.array(ipv4Cidr()).min(1),
      ports: z.array(z.number().int().min(1).max(65535)).min(1).optional(),
    })
    .optional(),
  pools: onPremPoolsSchema,
  /** The site's DNS: its domain and resolvers, which the clouds' resolvers forward to over the links. */
  dns: z
    .strictObject({
      domain: z
        .string()
        .regex(
          /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          "is not a DNS domain such as corp.example",
        ),
      servers: z.array(z.ipv4({ error: "is not an IPv4 address such as 10.10.0.53" })).min(1),
    })
    .optional(),
  /** The site's VPN router: its public address and BGP ASN; the links render its configuration. */
  router: z
    .strictObject({
      publicIp: z.string().regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "is not an IPv4 address such as 198.51.100.10"),
      asn: z.number().int(),
    })
    .optional(),
});

/** The VPN links between the sites; a link's position picks its inside addresses (append new links). */
const vpnSchema = z.strictObject({
  links: z
    .array(
      z.strictObject({
        sites: z.tuple([z.enum(["aws", "azure", "onprem"]), z.enum(["aws", "azure", "onprem"])]),
        crypto: z.enum(Object.keys(CRYPTO_SUITES) as [CryptoSuiteName, ...CryptoSuiteName[]]).optional(),
      }),
    )
    .max(INSIDE_SLOTS),
});

/** The whole configuration of one environment of the reference platform. */
export const platformConfigSchema = z
  .strictObject({
    ...commonArgsShape,
    // The stack name, always known: required here, unlike the components' optional one.
    environment: commonArgsShape.environment.unwrap(),
    aws: awsSchema.optional(),
    azure: azureSchema.optional(),
    onprem: onpremSchema.optional(),
    vpn: vpnSchema.optional(),
    /** Values newer than the facts tables (regions, locations, Kubernetes versions), allowed explicitly. */
    allowUnlisted: z
      .strictObject({
        awsRegions: z.array(z.string()).optional(),
        azureLocations: z.array(z.string()).optional(),
        kubernetesVersions: z.array(z.string()).optional(),
      })
      .optional(),
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
    checkFacts(config, ctx);
    // Pool names are child resource names and placement pools: the components would refuse a
    // repeat only once the program runs, in their own words.
    for (const [site, field, pools] of [
      ["aws", "nodeGroups", config.aws?.cluster.nodeGroups ?? []],
      ["azure", "nodePools", config.azure?.cluster.nodePools ?? []],
    ] as const) {
      const path = (i: number) => [site, "cluster", field, i, "name"];
      flagRepeats(
        ctx,
        pools.map((p) => p.name),
        path,
        "pool names must be unique per cluster",
      );
      pools.forEach((p, i) => {
        if (p.name === "system")
          ctx.addIssue({
            code: "custom",
            path: path(i),
            message: '"system" is the cluster\'s own system pool; name this pool otherwise',
          });
      });
    }
    checkKmsVaultAcknowledged(config, ctx);
    checkImagesReachable(config.aws, ctx);
    checkVpnLinks(config, ctx);
    checkEfaZones(config.aws, ctx);
    config.azure?.cluster.nodePools.forEach((pool, i) => {
      checkPoolSettings(pool, isGpuSize(pool.vmSize), ctx, ["azure", "cluster", "nodePools", i]);
    });

    // Networks of one platform must not overlap: joined by VPN, routes become ambiguous; not yet
    // joined, cross-cluster rules (ipBlock of a peer's networks) would match the wrong pods.
    const networks: { name: string; cidr: string; defaulted?: string }[] = [];
    // The links' tunnel inside addresses are routed too (BGP peers over them): first, so a site's
    // network that overlaps them is the one named.
    const linked = (config.vpn?.links ?? []).length > 0;
    if (linked) for (const cidr of INSIDE_RANGES) networks.push({ name: "vpn.links", cidr });
    const awsNet = config.aws?.network;
    if (awsNet)
      networks.push({ name: "aws.network", cidr: "cidr" in awsNet ? awsNet.cidr : awsNet.existing.cidr });
    if (config.azure) {
      const c = config.azure.cluster;
      const overlay = (key: "podCidr" | "serviceCidr") => ({
        name: `azure.cluster.${key}`,
        cidr: c[key] ?? CLUSTER_DEFAULTS[key],
        ...(c[key] === undefined
          ? {
              defaulted: `AKS's default ${key === "podCidr" ? "pod" : "service"} range, which the file does not set`,
            }
          : {}),
      });
      networks.push(
        { name: "azure.network.addressSpace", cidr: config.azure.network.addressSpace },
        overlay("podCidr"),
        overlay("serviceCidr"),
      );
    }
    if (config.onprem?.networkCidr)
      networks.push({ name: "onprem.networkCidr", cidr: config.onprem.networkCidr });
    const rule = linked
      ? "networks joined by VPN must not overlap"
      : "the networks of one platform must not overlap (peer rules name them, and links may join them later)";
    for (const { a, b } of findOverlaps(networks)) {
      const whose = (n: (typeof networks)[number]) =>
        n.defaulted ? ` (${n.defaulted}; set ${n.name} to move it)` : "";
      ctx.addIssue({
        code: "custom",
        path: b.name.split("."),
        message: `"${b.cidr}"${whose(b)} overlaps ${a.name} "${a.cidr}"${whose(a)}; ${rule}`,
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
    // Workloads reach on-premises datasets only at the addresses config gives.
    if ((config.onprem?.datasets ?? []).length > 0 && !config.onprem?.storage) {
      ctx.addIssue({
        code: "custom",
        path: ["onprem", "storage"],
        message:
          "is not set, and onprem.datasets are: give the addresses and ports that serve them, e.g. storage: { cidrs: [10.10.40.0/24], ports: [443] }, or workloads reading them have no egress to them",
      });
    }

    // Buckets and storage accounts share the stack's `buckets` output and their components' names:
    // a second one of a name would replace the first in both.
    const stores = [
      ...(config.aws?.buckets ?? []).map((b, i) => ({ name: b.name, path: ["aws", "buckets", i, "name"] })),
      ...(config.azure?.storage ?? []).map((s, i) => ({
        name: s.name,
        path: ["azure", "storage", i, "name"],
      })),
    ];
    stores.forEach((store, i) => {
      const first = stores.findIndex((other) => other.name === store.name);
      if (first < i) {
        ctx.addIssue({
          code: "custom",
          path: store.path,
          message: `"${store.name}" is already the name of ${formatPath((stores[first]?.path ?? []).slice(0, 3))}; name every bucket and storage account once`,
        });
      }
    });

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
  const subject = `stack config "${stack}"`;
  const config = parseOrThrow(subject, platformConfigSchema, { environment: stack, ...raw });
  // Then the components' own rules, so the program never stops at the first one it declares.
  const issues = preflightIssues(config);
  if (issues.length > 0) throw new ConfigError(subject, issues);
  return config;
}

/**
 * Without NAT gateways the nodes reach only the VPC's endpoints, so the cluster phase's images must
 * come from a registry behind them (ECR): NVIDIA's plugin from nvcr.io (which ECR pull-through
 * caches cannot mirror) and Cluster Autoscaler from registry.k8s.io must be given as mirrors.
 */
/** Each link joins two configured sites once; an on-premises end needs its router and network. */
function checkVpnLinks(config: z.output<typeof platformConfigSchema>, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  (config.vpn?.links ?? []).forEach((link, i) => {
    const path = ["vpn", "links", i, "sites"];
    const [a, b] = link.sites;
    const key = [a, b].sort().join("-");
    if (a === b)
      ctx.addIssue({ code: "custom", path, message: `joins ${a} to itself; a link joins two sites` });
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: "custom", path, message: `repeats vpn.links[${first}]` });
    seen.set(key, i);
    for (const site of [a, b]) {
      if (!config[site])
        ctx.addIssue({ code: "custom", path, message: `names ${site}, which the config does not have` });
    }
    if (key === "aws-onprem" || key === "azure-onprem") {
      if (config.onprem && !config.onprem.router)
        ctx.addIssue({
          code: "custom",
          path: ["onprem", "router"],
          message: `is not set, and vpn.links[${i}] ends on-premises; give the router's publicIp and asn`,
        });
      if (config.onprem && !config.onprem.networkCidr)
        ctx.addIssue({
          code: "custom",
          path: ["onprem", "networkCidr"],
          message: `is not set, and vpn.links[${i}] announces it over BGP`,
        });
    }
    if (a !== b && !(LINK_KINDS as readonly string[]).includes(key)) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `joins ${a} and ${b}; links join ${LINK_KINDS.join(", ")}`,
      });
    }
  });
}

/**
 * An EFA group names its zone: one of the VPC's zones (the pinned ones, or the region's), matched to
 * a subnet the VPC creates; an existing VPC's subnets have no known zone, so it gives efaSubnetId.
 */
function checkEfaZones(aws: z.output<typeof awsSchema> | undefined, ctx: z.RefinementCtx): void {
  if (!aws) return;
  const network = aws.network;
  const zones = "cidr" in network ? network.availabilityZones : undefined;
  aws.cluster.nodeGroups.forEach((group, i) => {
    const path = ["aws", "cluster", "nodeGroups", i];
    checkEfaPlacement(group, ctx, { zonesKnown: "cidr" in network, path });
    const zone = group.efaZone;
    if (zone === undefined) return;
    if (zones ? !zones.includes(zone) : !zone.startsWith(aws.region)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "efaZone"],
        message: `"${zone}" is not a zone of the VPC; pick one of ${zones ? zones.join(", ") : `${aws.region}'s zones, e.g. ${aws.region}a`}`,
      });
    }
  });
}

function checkImagesReachable(aws: z.output<typeof awsSchema> | undefined, ctx: z.RefinementCtx): void {
  if (!aws || !("cidr" in aws.network) || (aws.network.natGateways ?? "none") !== "none") return;
  const c = aws.cluster;
  const why = 'aws.network.natGateways is "none", so nodes cannot pull from';
  const needsPlugin = c.nodeGroups.some((g) => isGpuGroup(g.instanceTypes) && g.os !== "bottlerocket");
  if (needsPlugin && !c.gpuDevicePluginImage) {
    ctx.addIssue({
      code: "custom",
      path: ["aws", "cluster", "gpuDevicePluginImage"],
      message: `is not set, and ${why} nvcr.io; copy nvcr.io/nvidia/k8s-device-plugin into ECR and give its URI, or use a NAT gateway`,
    });
  }
  const scalable = c.nodeGroups.some(canScale);
  if (scalable && !c.clusterAutoscalerImage) {
    ctx.addIssue({
      code: "custom",
      path: ["aws", "cluster", "clusterAutoscalerImage"],
      message: `is not set, and ${why} registry.k8s.io; mirror the autoscaler in ECR (a pull-through cache rule for registry.k8s.io) and give its URI, or use a NAT gateway`,
    });
  }
}

/** Regions, locations, zones and Kubernetes versions against the facts tables (`allowUnlisted` adds newer ones). */
function checkFacts(config: z.output<typeof platformConfigSchema>, ctx: z.RefinementCtx): void {
  const allow = config.allowUnlisted ?? {};
  const issue = (path: (string | number)[], message: string | null) => {
    if (message) ctx.addIssue({ code: "custom", path, message });
  };
  const { aws, azure } = config;
  // Each checked value: where it is, what it must be, its table, and the key that extends it.
  const facts: [
    path: string[],
    value: string | undefined,
    what: string,
    known: readonly string[],
    extra: "awsRegions" | "azureLocations" | "kubernetesVersions",
  ][] = [
    [["aws", "region"], aws?.region, "an AWS region", AWS_REGIONS, "awsRegions"],
    [
      ["aws", "cluster", "kubernetesVersion"],
      aws?.cluster.kubernetesVersion,
      "a Kubernetes version EKS supports",
      KUBERNETES_VERSIONS.eks,
      "kubernetesVersions",
    ],
    [["azure", "location"], azure?.location, "an Azure location", AZURE_LOCATIONS, "azureLocations"],
    [
      ["azure", "cluster", "kubernetesVersion"],
      azure?.cluster.kubernetesVersion,
      "a Kubernetes version AKS supports",
      KUBERNETES_VERSIONS.aks,
      "kubernetesVersions",
    ],
  ];
  for (const [path, value, what, known, extra] of facts)
    if (value !== undefined)
      issue(path, unknownFact(value, known, what, allow[extra], `allowUnlisted.${extra}`));
  if (aws && "cidr" in aws.network)
    (aws.network.availabilityZones ?? []).forEach((zone, i) => {
      issue(["aws", "network", "availabilityZones", i], awsZoneProblem(zone, aws.region));
    });
}

/**
 * Without the API server subnet the etcd KMS Key Vault cannot be private (AKS reaches a private
 * vault only from that subnet), so `apiServerSubnet: false` would turn it public as a side effect:
 * that needs its own word in the file.
 */
function checkKmsVaultAcknowledged(
  config: z.output<typeof platformConfigSchema>,
  ctx: z.RefinementCtx,
): void {
  const azure = config.azure;
  if (!azure || azure.network.apiServerSubnet !== false) return;
  const access = azure.cluster.kmsKeyVaultAccess;
  if (access === "Public") return;
  ctx.addIssue({
    code: "custom",
    path:
      access === undefined
        ? ["azure", "network", "apiServerSubnet"]
        : ["azure", "cluster", "kmsKeyVaultAccess"],
    message:
      access === undefined
        ? "is false, which leaves the etcd KMS Key Vault reachable from public networks (a private vault needs the API server subnet); set azure.cluster.kmsKeyVaultAccess: Public to accept that, or remove apiServerSubnet: false"
        : '"Private" needs the API server subnet, which azure.network.apiServerSubnet: false removes; keep the subnet, or set kmsKeyVaultAccess: Public',
  });
}
