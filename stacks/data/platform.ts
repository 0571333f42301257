import * as pulumi from "@pulumi/pulumi";
import {
  AwsDataCopyRole,
  AwsDataEndpoints,
  AwsFederatedIssuer,
  AwsRolesAnywhereAnchor,
} from "../../components/aws";
import { AzureDataCopyApplication, AzureDataCopyIdentity } from "../../components/azure";
import { type CommonArgs, trustOf } from "../../components/kit";
import {
  type CopyEgress,
  type CopyIdentity,
  DATA_COPY_NAMESPACE,
  type DataCopySpec,
} from "../../components/kubernetes";
import type { Pool, Target, Trust } from "../../components/placement";
import { ConfigError } from "../../components/validation";
import { DATA_DEFAULTS, type OnPremIdentity, routedNetworks, type SiteKind, type Sites } from "../config";
import type { DeclaredAwsSite, DeclaredAzureSite, DeclaredSite } from "../sites";
import { type DatasetView, datasetViews, type PlannedCopy } from "./model";
import { CopyStores, endOf, manifestKey, ONPREM_CREDENTIALS_DIR, type StoreRef } from "./stores";

/** Where the projected tokens are mounted in a copy's pod (the renderer's TOKENS_DIR). */
const TOKENS = "/var/run/secrets/hybrid-ai-infra/tokens";
/** The audience AWS STS accepts for web identity. */
const STS_AUDIENCE = "sts.amazonaws.com";
/** The audience Entra ID accepts for a federated service-account token. */
const ENTRA_AUDIENCE = "api://AzureADTokenExchange";

/** A cluster's copies, as the cluster phase renders them. */
export interface ClusterCopies {
  /** The rclone image the cluster pulls. */
  image: string;
  /** The pool the copies run on. */
  pool: Pick<Pool, "name" | "labels" | "taints">;
  /** The cluster's trust, which the copies' pods record. */
  trust: Trust;
  namespace: string;
  copies: pulumi.Output<DataCopySpec[]>;
}

/** What the platform exports about data copies. */
export interface DataOutputs {
  /** Per cluster (target name): the copies it runs. */
  clusters: Record<string, ClusterCopies>;
  /** Each backup's CronJob, which monitoring's stale-backup alert watches (label hybrid-ai-infra.io/backup). */
  backups: { cluster: string; namespace: string; cronjob: string; schedule: string; dataset: string }[];
  /** Per dataset: its home, backups and staging, for the plan. */
  datasets: DatasetView[];
  /** The buckets and storage accounts made for backups and staged copies. */
  stores: Record<string, pulumi.Input<unknown>>;
}

/** What the workload identities need to read a staged copy: the store holding it on each site. */
export interface StagedStores {
  /** Per site kind: dataset name to the store its staged copy is in. */
  aws: Map<string, { bucketArn: pulumi.Output<string>; kmsKeyArn: pulumi.Output<string> }>;
  azure: Map<string, AzureStoreRef>;
  onprem: Set<string>;
}

/** An Azure container a copy or a reader uses: its account, and the account's private endpoint address. */
export interface AzureStoreRef {
  accountId: pulumi.Output<string>;
  container: string;
  blobEndpointIp: pulumi.Output<string>;
}

/** The pool copies run on: the target's first on-demand pool without GPUs. */
export function copyPool(target: Target, configPath: string): Pick<Pool, "name" | "labels" | "taints"> {
  const pool = target.pools.find((p) => !p.node.gpu && !p.spot);
  if (!pool)
    throw new ConfigError(`data copies on ${target.name}`, [
      {
        path: configPath,
        message: `has no on-demand pool without GPUs, and ${target.name} runs data copies; add a small CPU pool`,
      },
    ]);
  return {
    name: pool.name,
    ...(pool.labels ? { labels: pool.labels } : {}),
    ...(pool.taints ? { taints: pool.taints } : {}),
  };
}

const POOLS_PATH: Record<SiteKind, string> = {
  aws: "aws.cluster.nodeGroups",
  azure: "azure.cluster.nodePools",
  onprem: "onprem.pools",
};

/**
 * Declares what the environment's data copies need in the clouds and returns what the cluster
 * phase renders: the stores backups and staged copies go to, the S3 and STS endpoints copies on
 * other sites reach over the VPN, an IAM OIDC provider for each other cluster's issuer that copies
 * into AWS, and per copy its identities (an IAM role, an Entra identity), each limited to the
 * dataset's prefix and key: read at the source, write at the destination.
 */
export function declareData(
  sites: Sites,
  common: CommonArgs,
  declared: DeclaredSite[],
  copies: readonly PlannedCopy[],
): { outputs: DataOutputs; staged: StagedStores; awsZones: string[] } | undefined {
  const staged: StagedStores = { aws: new Map(), azure: new Map(), onprem: new Set() };
  if (copies.length === 0) return undefined;
  const aws = declared.find((d): d is DeclaredAwsSite => d.site.kind === "aws");
  const azure = declared.find((d): d is DeclaredAzureSite => d.site.kind === "azure");
  const stores = new CopyStores(sites, common, { aws, azure }, copies);
  const nameOf = (kind: SiteKind) => sites.of(kind)?.name ?? kind;

  const { endpoints, issuers, anchor } = declareAwsAccess(sites, common, copies, { aws, azure });

  const specs = new Map<string, pulumi.Output<DataCopySpec>[]>();
  for (const copy of copies) {
    const source =
      copy.kind === "drill"
        ? stores.destination(copy.to, "backup")
        : stores.home(copy.from, copy.dataset.store);
    const destination = copy.kind === "drill" ? undefined : stores.destination(copy.to, copy.kind);
    const manifest =
      copy.kind === "staging"
        ? undefined
        : { ref: destination ?? source, key: manifestKey(copy.dataset.name) };
    const identity = identityOf(copy, {
      sites,
      common,
      aws,
      azure,
      endpoints,
      issuers,
      anchor,
      source,
      destination,
      manifest,
    });
    const egress = pulumi
      .all(
        [...new Set([copy.from, copy.to])].map((site) =>
          stores.egress(copy.runsOn, site, destination ? [source, destination] : [source]),
        ),
      )
      .apply((lists) => lists.flat());
    const spec = specOf(copy, sites, { source, destination, manifest, identity, egress });
    const cluster = nameOf(copy.runsOn);
    specs.set(cluster, [...(specs.get(cluster) ?? []), spec]);
    if (copy.kind === "staging" && destination) {
      if (copy.to === "aws" && destination.aws) staged.aws.set(copy.dataset.name, destination.aws);
      if (copy.to === "azure" && destination.azure) staged.azure.set(copy.dataset.name, destination.azure);
      if (copy.to === "onprem") staged.onprem.add(copy.dataset.name);
    }
  }

  const images = sites.config.data?.images ?? {};
  const clusters: Record<string, ClusterCopies> = {};
  for (const [cluster, list] of specs) {
    const d = declared.find((x) => x.site.name === cluster);
    const image = d ? images[d.site.kind] : undefined;
    if (!d || !image)
      throw new Error(
        `${cluster} runs data copies but has no rclone image; the config check should have said so`,
      );
    clusters[cluster] = {
      image,
      pool: copyPool(d.target, POOLS_PATH[d.site.kind]),
      trust: trustOf(d.site.kind, { trust: d.site.trust }),
      namespace: DATA_COPY_NAMESPACE,
      copies: pulumi.all(list),
    };
  }
  return {
    staged,
    // The other sites resolve S3's regional name to the interface endpoint through AWS's inbound resolver.
    awsZones: endpoints && aws ? [`s3.${aws.site.region}.amazonaws.com`] : [],
    outputs: {
      clusters,
      backups: copies
        .filter((c) => c.kind === "backup")
        .map((c) => ({
          cluster: nameOf(c.runsOn),
          namespace: DATA_COPY_NAMESPACE,
          cronjob: c.name,
          schedule: c.schedule,
          dataset: c.dataset.name,
        })),
      datasets: datasetViews(sites, copies),
      stores: stores.outputs,
    },
  };
}

/** What copies reaching AWS from another site use: its endpoints, their clusters' issuers, or dc1's trust anchor. */
function declareAwsAccess(
  sites: Sites,
  common: CommonArgs,
  copies: readonly PlannedCopy[],
  { aws, azure }: { aws?: DeclaredAwsSite | undefined; azure?: DeclaredAzureSite | undefined },
): {
  endpoints: AwsDataEndpoints | undefined;
  issuers: Map<SiteKind, AwsFederatedIssuer>;
  anchor: AwsRolesAnywhereAnchor | undefined;
} {
  const nameOf = (kind: SiteKind) => sites.of(kind)?.name ?? kind;
  const crossIntoAws = copies.filter((c) => (c.from === "aws" || c.to === "aws") && c.runsOn !== "aws");
  let endpoints: AwsDataEndpoints | undefined;
  const issuers = new Map<SiteKind, AwsFederatedIssuer>();
  let anchor: AwsRolesAnywhereAnchor | undefined;
  const certified = rolesAnywhereOf(sites);
  if (aws && crossIntoAws.length > 0) {
    const clients = [
      ...new Set(crossIntoAws.flatMap((c) => routedNetworks(sites.of(c.runsOn) ?? aws.site))),
    ].sort();
    const runners = new Set(crossIntoAws.map((c) => c.runsOn));
    const byCertificate = (runs: SiteKind) => runs === "onprem" && certified !== undefined;
    endpoints = new AwsDataEndpoints(
      `${aws.site.name}-data-endpoints`,
      {
        ...common,
        vpcId: aws.vpc.vpcId,
        s3GatewayEndpointId: aws.vpc.s3GatewayEndpointId,
        subnetIds: aws.vpc.privateSubnetIds,
        clientCidrs: clients,
        credentials: {
          sts: [...runners].some((r) => !byCertificate(r)),
          rolesAnywhere: [...runners].some(byCertificate),
        },
      },
      aws.opts,
    );
    for (const runs of runners) {
      if (byCertificate(runs)) continue;
      const issuerUrl = issuerOf(runs, sites, { aws, azure });
      issuers.set(runs, new AwsFederatedIssuer(`${nameOf(runs)}-issuer`, { ...common, issuerUrl }, aws.opts));
    }
    if (certified && runners.has("onprem"))
      anchor = new AwsRolesAnywhereAnchor(
        `${nameOf("onprem")}-roles-anywhere`,
        { ...common, caBundle: certified.caBundle },
        aws.opts,
      );
  }

  return { endpoints, issuers, anchor };
}

/** The service-account issuer of the cluster on `site`. */
function issuerOf(
  site: SiteKind,
  sites: Sites,
  declared: { aws?: DeclaredAwsSite | undefined; azure?: DeclaredAzureSite | undefined },
): pulumi.Input<string> {
  if (site === "aws" && declared.aws) return declared.aws.cluster.oidcIssuerUrl;
  if (site === "azure" && declared.azure) return declared.azure.cluster.oidcIssuerUrl;
  const identity = sites.onprem?.config.identity;
  if (!identity || !("issuer" in identity))
    throw new Error("onprem.identity.issuer is not set; the config check should have said so");
  return identity.issuer;
}

/** The on-premises site's Roles Anywhere settings, when it proves itself to AWS with a certificate. */
function rolesAnywhereOf(sites: Sites): RolesAnywhereConfig | undefined {
  const identity = sites.onprem?.config.identity;
  return identity && !("issuer" in identity) ? identity.rolesAnywhere : undefined;
}

/** The on-premises site's certificate for Entra, and the Secret holding it (its own, or Roles Anywhere's). */
function entraOf(sites: Sites): { certificates: string[]; certificateSecret: string } | undefined {
  const identity = sites.onprem?.config.identity;
  if (!identity || "issuer" in identity || !identity.entra) return undefined;
  const secret = identity.entra.certificateSecret ?? identity.rolesAnywhere?.certificateSecret;
  if (!secret)
    throw new Error(
      "onprem.identity.entra.certificateSecret is not set; the config check should have said so",
    );
  return { certificates: identity.entra.certificates, certificateSecret: secret };
}

type RolesAnywhereConfig = NonNullable<Exclude<OnPremIdentity, { issuer: string }>["rolesAnywhere"]>;

/** Where the helper sits in its image unless config says otherwise (the release's install path). */
const SIGNING_HELPER_PATH = "/usr/local/bin/aws_signing_helper";

interface IdentityContext {
  sites: Sites;
  common: CommonArgs;
  aws?: DeclaredAwsSite | undefined;
  azure?: DeclaredAzureSite | undefined;
  endpoints?: AwsDataEndpoints | undefined;
  issuers: Map<SiteKind, AwsFederatedIssuer>;
  anchor?: AwsRolesAnywhereAnchor | undefined;
  source: StoreRef;
  destination?: StoreRef | undefined;
  manifest?: { ref: StoreRef; key: string } | undefined;
}

/**
 * A copy's identities, one per cloud it touches, each granted the dataset's prefix alone: read at
 * the source, write (and, for staging, delete) at the destination, the manifest written by a
 * backup and read by its drill; and what its pod needs to use them.
 */
function identityOf(copy: PlannedCopy, ctx: IdentityContext): pulumi.Output<CopyIdentity> {
  const prefix = copy.dataset.name;
  const account = copy.name;
  const runs = copy.runsOn;
  const parts: pulumi.Output<Partial<CopyIdentity>>[] = [];
  const touches = (site: SiteKind) => ctx.source.site === site || ctx.destination?.site === site;

  if (touches("aws") && ctx.aws) {
    const reads = ctx.source.aws ? [{ ...ctx.source.aws, prefix }] : [];
    const writes = ctx.destination?.aws ? [{ ...ctx.destination.aws, prefix }] : [];
    const manifest = ctx.manifest?.ref.aws
      ? { ...ctx.manifest.ref.aws, key: ctx.manifest.key, write: copy.kind === "backup" }
      : undefined;
    const issuer = ctx.issuers.get(runs);
    const certified = runs === "onprem" ? rolesAnywhereOf(ctx.sites) : undefined;
    const role = new AwsDataCopyRole(
      `${account}-aws`,
      {
        ...ctx.common,
        trust:
          runs === "aws"
            ? { podIdentity: { clusterName: ctx.aws.cluster.clusterName } }
            : certified && ctx.anchor
              ? {
                  rolesAnywhere: {
                    trustAnchorArn: ctx.anchor.trustAnchorArn,
                    subject: certified.subject,
                    issuer: certified.issuer,
                    sessionSeconds: certified.sessionSeconds,
                  },
                }
              : {
                  webIdentity: {
                    providerArn: (issuer as AwsFederatedIssuer).providerArn,
                    issuerUrl: (issuer as AwsFederatedIssuer).issuerUrl,
                  },
                },
        namespace: DATA_COPY_NAMESPACE,
        serviceAccount: account,
        reads,
        writes,
        ...(manifest ? { manifest } : {}),
        ...(copy.kind === "staging" ? { deletes: true } : {}),
      },
      ctx.aws.opts,
    );
    if (certified && ctx.anchor) {
      const endpoint = ctx.endpoints?.rolesAnywhereEndpointUrl;
      const profile = role.profileArn;
      if (!endpoint || !profile)
        throw new Error(`${account}: Roles Anywhere without its endpoint or profile`);
      const region = ctx.aws.site.region;
      parts.push(
        pulumi
          .all([role.roleArn, profile, ctx.anchor.trustAnchorArn, endpoint])
          .apply(([roleArn, profileArn, trustAnchorArn, url]) => ({
            rolesAnywhere: {
              trustAnchorArn,
              profileArn,
              roleArn,
              region,
              endpoint: url,
              certificateSecret: certified.certificateSecret,
              helperImage: certified.helper.image,
              helperPath: certified.helper.path ?? SIGNING_HELPER_PATH,
              sessionSeconds: certified.sessionSeconds,
            },
          })),
      );
    } else if (runs !== "aws") {
      const sts = ctx.endpoints?.stsEndpointUrl ?? pulumi.output("");
      const region = ctx.aws.site.region;
      parts.push(
        pulumi.all([role.roleArn, sts]).apply(([roleArn, stsUrl]) => ({
          tokens: [{ audience: STS_AUDIENCE, path: "aws" }],
          env: {
            AWS_ROLE_ARN: roleArn,
            AWS_WEB_IDENTITY_TOKEN_FILE: `${TOKENS}/aws`,
            AWS_ROLE_SESSION_NAME: account,
            AWS_REGION: region,
            AWS_STS_REGIONAL_ENDPOINTS: "regional",
            // STS through its interface endpoint in the VPC, over the VPN.
            AWS_ENDPOINT_URL_STS: stsUrl,
          },
        })),
      );
    }
  }

  if (touches("azure") && ctx.azure) parts.push(azureIdentityOf(copy, ctx, ctx.azure));

  if (touches("onprem")) {
    const secret = ctx.sites.onprem?.config.storage?.s3?.credentialsSecret ?? "";
    parts.push(pulumi.output({ secrets: [{ secretName: secret, mountPath: ONPREM_CREDENTIALS_DIR }] }));
  }

  return pulumi.all(parts).apply((list) =>
    list.reduce<CopyIdentity>(
      (all, p) => ({
        serviceAccountAnnotations: { ...all.serviceAccountAnnotations, ...p.serviceAccountAnnotations },
        podLabels: { ...all.podLabels, ...p.podLabels },
        env: { ...all.env, ...p.env },
        tokens: [...all.tokens, ...(p.tokens ?? [])],
        secrets: [...all.secrets, ...(p.secrets ?? [])],
        ...(p.rolesAnywhere ? { rolesAnywhere: p.rolesAnywhere } : {}),
        ...(all.rolesAnywhere ? { rolesAnywhere: all.rolesAnywhere } : {}),
        ...(p.entra ? { entra: p.entra } : {}),
        ...(all.entra ? { entra: all.entra } : {}),
      }),
      { serviceAccountAnnotations: {}, podLabels: {}, env: {}, tokens: [], secrets: [] },
    ),
  );
}

/** The copy as the cluster phase renders it. */
function specOf(
  copy: PlannedCopy,
  sites: Sites,
  parts: {
    source: StoreRef;
    destination?: StoreRef | undefined;
    manifest?: { ref: StoreRef; key: string } | undefined;
    identity: pulumi.Output<CopyIdentity>;
    egress: pulumi.Output<CopyEgress[]>;
  },
): pulumi.Output<DataCopySpec> {
  const nameOf = (kind: SiteKind) => sites.of(kind)?.name ?? kind;
  const data = sites.config.data;
  const target = sites.of(copy.to);
  const written = parts.destination ?? parts.source;
  const prefix = copy.dataset.name;
  return pulumi
    .all([
      endOf(parts.source, nameOf(parts.source.site), prefix),
      parts.destination
        ? endOf(parts.destination, nameOf(parts.destination.site), prefix)
        : pulumi.output(undefined),
      parts.manifest ? parts.manifest.ref.root : pulumi.output(undefined),
      written.encryption,
      parts.identity,
      parts.egress,
    ])
    .apply(([source, destination, manifestRoot, encryption, identity, egress]) => ({
      name: copy.name,
      kind: copy.kind,
      dataset: copy.dataset.name,
      classification: copy.dataset.classification,
      ...(copy.dataset.residency ? { residency: copy.dataset.residency } : {}),
      source,
      ...(destination ? { destination } : {}),
      destinationFacts: {
        trust: target ? trustOf(target.kind, { trust: target.trust }) : "private",
        jurisdiction: target?.jurisdiction ?? "",
        encryption,
        versioning: written.versioning,
        ...(copy.backup
          ? {
              retentionDays: copy.backup.retentionDays,
              ...(copy.to === "azure" ? {} : { versions: copy.backup.versions }),
            }
          : {}),
      },
      ...(parts.manifest && manifestRoot
        ? {
            manifest: {
              store: copy.kind === "drill" ? ("source" as const) : ("destination" as const),
              path: `${manifestRoot}/${parts.manifest.key}`,
            },
          }
        : {}),
      schedule: copy.schedule,
      ...(copy.bandwidth ? { bandwidth: copy.bandwidth } : {}),
      batch: data?.batch ?? DATA_DEFAULTS.batch,
      transfers: data?.transfers ?? DATA_DEFAULTS.transfers,
      checkers: data?.checkers ?? DATA_DEFAULTS.checkers,
      ...(copy.kind === "drill" ? { sample: data?.drill?.sample ?? DATA_DEFAULTS.drillSample } : {}),
      identity,
      egress,
    }));
}

/**
 * A copy's Entra identity, federated with the cluster that runs it (or, on-premises without an
 * issuer, an application accepting the site's certificate), and what its pod needs to use it.
 */
function azureIdentityOf(
  copy: PlannedCopy,
  ctx: IdentityContext,
  azure: DeclaredAzureSite,
): pulumi.Output<Partial<CopyIdentity>> {
  const prefix = copy.dataset.name;
  const account = copy.name;
  const runs = copy.runsOn;
  const grant = (ref: StoreRef | undefined, blobs?: string[]) =>
    ref?.azure
      ? [
          {
            storageAccountId: ref.azure.accountId,
            container: ref.azure.container,
            prefixes: [prefix],
            ...(blobs ? { blobs } : {}),
          },
        ]
      : [];
  const manifestBlobs = ctx.manifest ? [ctx.manifest.key] : undefined;
  const grants = {
    reads: grant(ctx.source, copy.kind === "drill" ? manifestBlobs : undefined),
    writes: grant(ctx.destination, copy.kind === "backup" ? manifestBlobs : undefined),
    ...(copy.kind === "staging" ? { deletes: true } : {}),
  };
  // Without an issuer Entra can fetch, the on-premises copies present the site's certificate to an
  // Entra application instead of a federated token.
  const certified = runs === "onprem" ? entraOf(ctx.sites) : undefined;
  if (certified) {
    const app = new AzureDataCopyApplication(
      `${account}-azure`,
      {
        ...ctx.common,
        certificates: certified.certificates,
        namespace: DATA_COPY_NAMESPACE,
        serviceAccount: account,
        ...grants,
      },
      azure.opts,
    );
    return pulumi.all([app.clientId, app.tenantId]).apply(([clientId, tenantId]) => ({
      entra: { tenantId, clientId, certificateSecret: certified.certificateSecret },
    }));
  }
  const identity = new AzureDataCopyIdentity(
    `${account}-azure`,
    {
      ...ctx.common,
      ...azure.where,
      oidcIssuerUrl: issuerOf(runs, ctx.sites, { aws: ctx.aws, azure }),
      namespace: DATA_COPY_NAMESPACE,
      serviceAccount: account,
      ...grants,
    },
    azure.opts,
  );
  return pulumi.all([identity.clientId, identity.tenantId]).apply(([clientId, tenantId]) =>
    runs === "azure"
      ? {
          // AKS's workload identity webhook projects the token and sets the environment.
          serviceAccountAnnotations: {
            "azure.workload.identity/client-id": clientId,
            "azure.workload.identity/tenant-id": tenantId,
          },
          podLabels: { "azure.workload.identity/use": "true" },
        }
      : {
          tokens: [{ audience: ENTRA_AUDIENCE, path: "azure" }],
          env: {
            AZURE_CLIENT_ID: clientId,
            AZURE_TENANT_ID: tenantId,
            AZURE_FEDERATED_TOKEN_FILE: `${TOKENS}/azure`,
            AZURE_AUTHORITY_HOST: "https://login.microsoftonline.com/",
          },
        },
  );
}
