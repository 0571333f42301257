// The shape of one environment's configuration: each site's section, field by field. Checks that
// read several fields or sites at once are in ./checks; ./schema joins the two.
import { z } from "zod";
import {
  accessEntrySchema,
  addonVersionsSchema,
  adminsSchema,
  availabilityZonesSchema,
  checkAutoscalerImage,
  checkClusterNodeGroup,
  clusterNodeGroupShape,
  LOG_RETENTION_DAYS,
  publicAccessCidrsSchema,
  systemNodeGroupSchema,
} from "../../components/aws/internal";
import { MIG_PROFILES } from "../../components/azure";
import {
  checkPoolSettings,
  clusterArgsSchema,
  isGpuSize,
  nodePoolSettingsShape,
  vnetArgsSchema,
} from "../../components/azure/internal";
import {
  CRYPTO_SUITES,
  type CryptoSuiteName,
  INSIDE_SLOTS,
  isUsablePrivateAsn,
  slotOfInsideCidr,
  USABLE_PRIVATE_ASNS_TEXT,
} from "../../components/facts";
import { commonArgsShape } from "../../components/kit";
import {
  clusterFactsShape,
  clusterSecretsSchema,
  kueueAddonSchema,
} from "../../components/kubernetes/internal";
import { thresholdsSchema } from "../../components/monitoring";
import { gpuPoolsNeedPlugin, onPremGpuSchema, onPremPoolsSchema } from "../../components/onprem/internal";
import { TRUSTS } from "../../components/placement";
import {
  awsIdSchema,
  ipv4AddressSchema,
  ipv4Cidr,
  jurisdictionSchema,
  kmsKeyArnSchema,
  kubernetesVersionSchema,
  nameSchema,
  oneOfNumbers,
  pinnedImageSchema,
} from "../../components/validation";
import { dataSchema, datasetsSchema, onPremIdentitySchema, onPremS3Schema } from "./datasets";
import { trafficConfigSchema } from "./traffic";

/** Config keys that hold secrets: set them with `pulumi config set --secret`. */
export const SECRET_KEYS = ["onpremKubeconfig", "onpremMetricsToken"] as const;

/** The site kinds a configuration can hold, in the order they are declared. */
export const SITE_KINDS = ["aws", "azure", "onprem"] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

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
        /**
         * The Route 53 Resolver inbound endpoint's addresses, one in each private subnet in
         * privateSubnetIds' order, so the other sites' resolvers can be configured before the first
         * update (a VPC the stack creates pins its own). Reserve them first (an explicit subnet CIDR
         * reservation) so no node or pod takes them. Default: AWS picks them when it creates the
         * endpoint, and they are known only after the platform phase.
         */
        resolverIps: z.array(ipv4AddressSchema).min(2).optional(),
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
      addonVersions: addonVersionsSchema,
      networkPolicyMode: z.enum(["strict", "standard"]).optional(),
      gpuDevicePluginImage: pinnedImageSchema.optional(),
      clusterAutoscalerImage: pinnedImageSchema.optional(),
      /** Kueue's image where nodes reach no public registry: an ECR pull-through cache of registry.k8s.io. */
      kueueImage: pinnedImageSchema.optional(),
      systemNodeGroup: systemNodeGroupSchema.optional(),
      /** How placed workloads' `secrets` reach their pods here: the External Secrets Operator (default), or the Secrets Store CSI driver with AWS's provider (docs/onprem.md). */
      workloadSecrets: clusterSecretsSchema.optional(),
      nodeGroups: z.array(awsNodeGroup).min(1, "needs at least one node group for workloads"),
    })
    // The cluster phase runs Cluster Autoscaler: it must match the cluster's version.
    .superRefine((cluster, ctx) => checkAutoscalerImage(cluster, ctx)),
  buckets: z
    .array(
      z.strictObject({
        name: nameSchema,
        datasets: datasetsSchema.optional(),
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
const vnet = vnetArgsSchema.shape;

const azureNodePool = z
  .strictObject({
    name: nameSchema,
    ...nodePoolSettingsShape,
    // Config holds plain values only; Outputs are for programs.
    subnetId: z.undefined().optional(),
    gpuDriver: z.enum(["Install", "None"]).optional(),
    migProfile: z.enum(MIG_PROFILES).optional(),
  })
  .superRefine((pool, ctx) => checkPoolSettings(pool, isGpuSize(pool.vmSize), ctx, []));

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
    flowLogRetentionDays: vnet.flowLogRetentionDays,
    /**
     * The region's Network Watcher, which records the VNet's flows: by default the one Azure creates
     * (`NetworkWatcher_<location>` in NetworkWatcherRG), looked up before the flow log; name another,
     * or `createNetworkWatcher: true` where the subscription opted out of automatic creation
     * (docs/azure.md).
     */
    networkWatcherName: vnet.networkWatcherName,
    networkWatcherResourceGroupName: vnet.networkWatcherResourceGroupName,
    createNetworkWatcher: vnet.createNetworkWatcher,
  }),
  cluster: z.strictObject({
    name: nameSchema,
    kubernetesVersion: aks.kubernetesVersion,
    /** "AKSLongTermSupport" keeps a minor a year past community support (Premium tier). */
    supportPlan: aks.supportPlan,
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
    /** Kueue's image from a registry the nodes reach (an ACR cache of registry.k8s.io); default the release's. */
    kueueImage: pinnedImageSchema.optional(),
    /** How placed workloads' `secrets` reach their pods here: the External Secrets Operator (default), or the Secrets Store CSI driver with Azure's provider (docs/onprem.md). */
    workloadSecrets: clusterSecretsSchema.optional(),
    nodePools: z.array(azureNodePool).min(1, "needs at least one node pool for workloads"),
  }),
  storage: z
    .array(
      z.strictObject({
        name: nameSchema,
        sku: z.enum(["Standard_ZRS", "Standard_GZRS", "Standard_LRS"]).optional(),
        containers: z.array(z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/)).optional(),
        datasets: datasetsSchema.optional(),
      }),
    )
    .optional(),
});

const onpremSchema = z
  .strictObject({
    name: nameSchema,
    region: z.string().min(1),
    jurisdiction: jurisdictionSchema,
    trust: z.enum(TRUSTS).optional(),
    /** The site's address space, as routed over the VPN; the EKS API endpoint accepts it. */
    networkCidr: ipv4Cidr().optional(),
    context: z.string().optional(),
    egressPricePerGiB: z.number().min(0).optional(),
    datasets: datasetsSchema.optional(),
    /**
     * Where the site's datasets are served (object storage such as MinIO or Ceph RGW, or NFS): the
     * addresses and ports workloads reading them may reach, on this site and over the VPN links.
     */
    storage: z
      .strictObject({
        cidrs: z.array(ipv4Cidr()).min(1),
        ports: z.array(z.number().int().min(1).max(65535)).min(1).optional(),
        /** The store's S3 API, for data copies to and from the site (backups, staging). */
        s3: onPremS3Schema.optional(),
      })
      .optional(),
    /**
     * How copies running here prove who they are to the clouds: `{ issuer: <url> }` (the cluster's
     * service-account issuer, federated: an IAM OIDC provider and role, an Entra federated
     * credential) or a certificate the site issues its copies: `{ rolesAnywhere: {...} }` for AWS
     * (the site's CA as the trust anchor), `{ entra: {...} }` for Azure (an Entra application per
     * copy accepting that certificate), or both.
     */
    identity: onPremIdentitySchema.optional(),
    /** Moved: `identity: { issuer: <url> }`. */
    serviceAccountIssuer: z
      .unknown()
      .refine((v) => v === undefined, "has moved: write identity: { issuer: <the same URL> }")
      .optional(),
    pools: onPremPoolsSchema,
    /**
     * What the existing cluster already has, which the library neither installs nor owns, and which
     * the plan checks and renders against (docs/onprem.md): the namespaces that exist (never
     * created, adopted or deleted: pulumi-kubernetes 4.29 and later refuses to create an object that
     * exists); its CNI (one that ignores NetworkPolicy gets no restricted data); the DNS its pods query
     * (CoreDNS by default; kubespray's nodelocaldns on 169.254.25.10), which `allow-dns` allows alone;
     * how workloads' secrets reach them (External Secrets Operator by default, or the Secrets Store CSI
     * driver); the GPU nodes' device plugin and exact taint (required with GPU pools); and the
     * Kubernetes minor its API server runs, which must honour what the library renders there.
     */
    cluster: z
      .strictObject({
        ...clusterFactsShape,
        gpu: onPremGpuSchema.optional(),
        /** The minor the API server runs (`kubectl version`: Server Version), e.g. 1.33. */
        kubernetesVersion: kubernetesVersionSchema.optional(),
      })
      .optional(),
    /**
     * Kueue on the cluster: by default the library installs its release (image from `image`, e.g. a
     * local mirror); `existing` says the cluster already runs Kueue, which the library then configures
     * (queues, priorities, bursting) and never installs, upgrades or removes.
     */
    kueue: z
      .strictObject({
        image: pinnedImageSchema.optional(),
        existing: kueueAddonSchema.shape.existing.unwrap().optional(),
      })
      .refine((k) => !(k.image && k.existing), {
        path: ["image"],
        message:
          "is set with existing: the library installs no Kueue on a cluster that already runs one; remove one of them",
      })
      .optional(),
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
        publicIp: z
          .string()
          .regex(/^(\d{1,3})(\.\d{1,3}){3}$/, "is not an IPv4 address such as 198.51.100.10"),
        asn: z.number().int().refine(isUsablePrivateAsn, `is not ${USABLE_PRIVATE_ASNS_TEXT}`),
        /** The router's uplink interface, which the tunnels' XFRM interfaces sit on; default eth0. */
        uplink: z
          .string()
          .regex(/^[a-zA-Z0-9._-]{1,15}$/, "is not a Linux interface name such as eth0 or bond0")
          .optional(),
      })
      .optional(),
  })
  .superRefine((site, ctx) =>
    // GPU pools need their device plugin stated, under cluster.gpu.
    gpuPoolsNeedPlugin(
      { pools: site.pools, gpu: site.cluster?.gpu },
      {
        addIssue: (issue) => ctx.addIssue({ ...issue, path: ["cluster", ...(issue.path ?? [])] }),
      },
    ),
  );

/** The VPN links between the sites, each keyed by its site pair (its slot: `linksOf` in sites.ts). */
const vpnSchema = z.strictObject({
  links: z
    .array(
      z.strictObject({
        sites: z.tuple([z.enum(SITE_KINDS), z.enum(SITE_KINDS)]),
        crypto: z.enum(Object.keys(CRYPTO_SUITES) as [CryptoSuiteName, ...CryptoSuiteName[]]).optional(),
        /** The /28 of 169.254.21.0/24-169.254.22.0/24 its tunnels use; default by site pair. Environments sharing a router each need their own. */
        insideCidr: z
          .string()
          .superRefine((cidr, ctx) => {
            const slot = slotOfInsideCidr(cidr);
            if (typeof slot === "string") ctx.addIssue({ code: "custom", message: slot });
          })
          .optional(),
      }),
    )
    .max(INSIDE_SLOTS),
});

/** A URL of a service the cluster reaches: `https` (or `http` where allowed), no credentials in it. */
function serviceUrl(protocols: RegExp, example: string) {
  return z.url({ protocol: protocols, error: `is not a URL such as ${example}` }).superRefine((u, ctx) => {
    if (/^[a-z]+:\/\/[^/]*@/i.test(u))
      ctx.addIssue({
        code: "custom",
        message: `"${u.replace(/\/\/[^/]*@/, "//***@")}" holds credentials; give a token through onpremMetricsToken instead`,
      });
  });
}

/**
 * What is collected and where it goes (docs/monitoring.md): the clouds' managed stores need nothing
 * here; on-premises names its store. Alerts fire at the thresholds (defaults in THRESHOLD_DEFAULTS).
 */
const monitoringSchema = z.strictObject({
  /** Collect, record and alert at all (default true). */
  enabled: z.boolean().optional(),
  thresholds: thresholdsSchema.optional(),
  /** Where alerts' runbook links point (an anchor per alert is added); default this project's docs/monitoring.md. */
  runbookUrl: serviceUrl(/^https$/, "https://git.example.com/platform/docs/monitoring.md").optional(),
  aws: z
    .strictObject({
      /** Days the AMP workspace keeps samples (1-1095, default 150). */
      retentionDays: z.number().int().min(1).max(1095).optional(),
    })
    .optional(),
  onprem: z
    .strictObject({
      /** The site's Prometheus-compatible store: its remote-write URL (Prometheus, Mimir, Thanos receive...). */
      remoteWriteUrl: serviceUrl(/^https$/, "https://metrics.corp.example/api/v1/write"),
      /** The site's Alertmanager, which the in-cluster Prometheus sends alerts to. */
      alertmanagerUrl: serviceUrl(/^https?$/, "https://alertmanager.corp.example").optional(),
      /** The store's CA certificate (PEM) when a private CA signed it. */
      caPem: z
        .string()
        .includes("-----BEGIN CERTIFICATE-----", { error: "is not a PEM certificate" })
        .optional(),
      /** The site's GPU nodes run NVIDIA's GPU operator, whose DCGM exporter is scraped instead of the library's. */
      gpuOperator: z.boolean().optional(),
    })
    .optional(),
});

/** Every field of one environment's configuration, each checked on its own. */
export const platformConfigFields = z.strictObject({
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
  /**
   * Where the cluster phase runs, which must reach every cluster's private API server: a site
   * (its API servers over the VPN links from there) and the admin or runner ranges in its network,
   * which the EKS API endpoint admits.
   */
  deploy: z
    .strictObject({
      from: z.enum(SITE_KINDS),
      cidrs: z.array(ipv4Cidr()).min(1, "needs the admin or runner ranges the cluster phase runs from"),
    })
    .optional(),
  /** Data copies (backups, staging, restore drills): the rclone image per site and their defaults. */
  data: dataSchema.optional(),
  monitoring: monitoringSchema.optional(),
  /** Cross-site services: their names' zone, the gateway image, the on-premises address pool. */
  traffic: trafficConfigSchema.optional(),
  placement: z
    .strictObject({
      moveCost: z.number().min(0).optional(),
      allowPartial: z.boolean().optional(),
      timeLimitMs: z.number().int().min(10).max(600_000).optional(),
    })
    .optional(),
});

export type PlatformConfig = z.output<typeof platformConfigFields>;
export type AwsConfig = z.output<typeof awsSchema>;
export type AzureConfig = z.output<typeof azureSchema>;
export type OnPremConfig = z.output<typeof onpremSchema>;
export type VpnLinkConfig = z.output<typeof vpnSchema>["links"][number];
export type MonitoringConfig = z.output<typeof monitoringSchema>;
