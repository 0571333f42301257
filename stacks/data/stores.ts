import { getPrefixListOutput } from "@pulumi/aws/ec2/getPrefixList";
import * as pulumi from "@pulumi/pulumi";
import { AwsEncryptedBucket } from "../../components/aws";
import { AzureEncryptedStorage, DATASETS_CONTAINER, ENTRA_ID_TOKEN_CIDRS } from "../../components/azure";
import type { CommonArgs } from "../../components/kit";
import type { CopyEgress, CopyEnd, CopyStore } from "../../components/kubernetes";
import { routedNetworks, type SiteKind, type Sites } from "../config";
import type { DeclaredAwsSite, DeclaredAzureSite } from "../sites";
import type { PlannedCopy } from "./model";
import type { AzureStoreRef } from "./platform";

// The stores copies read and write, per site: a dataset's home (the site's bucket, storage account
// or on-premises bucket), and the stores backups and staged copies go to (made here on AWS and
// Azure; named by config on-premises). Each is reached as rclone reaches it, with what the
// destination promises (encryption, versions) for the policy pack and the plan.

/** Where backups and staged copies go on a site. */
export const COPY_CONTAINERS = { backup: "backups", staging: "staging" } as const;

/** Mount path of the on-premises store's credentials Secret in a copy's pod. */
export const ONPREM_CREDENTIALS_DIR = "/var/run/secrets/onprem-s3";

/** The profile the on-premises credentials file holds. */
export const ONPREM_PROFILE = "onprem";

/** A dataset's manifest, beside its backup: `_manifests/<dataset>/manifest.md5`. */
export function manifestKey(dataset: string): string {
  return `_manifests/${dataset}/manifest.md5`;
}

/** One store a copy reads or writes, with what identities and annotations need of it. */
export interface StoreRef {
  site: SiteKind;
  /** rclone's view, as an Output (names and keys are known after the platform's update). */
  store: pulumi.Output<CopyStore>;
  /** Bucket or container. */
  root: pulumi.Output<string>;
  /** The AWS bucket and key, for IAM grants. */
  aws?: { bucketArn: pulumi.Output<string>; kmsKeyArn: pulumi.Output<string> };
  /** The Azure account and container, for role assignments. */
  azure?: AzureStoreRef;
  /** How a reader names it, e.g. s3://bucket. */
  url: pulumi.Output<string>;
  /** At rest, as annotations say it. */
  encryption: pulumi.Output<string>;
  versioning: boolean;
}

/** A copy's end in a store: the store, and the dataset's folder there. */
export function endOf(ref: StoreRef, siteName: string, prefix: string): pulumi.Output<CopyEnd> {
  return pulumi.all([ref.store, ref.root, ref.url]).apply(([store, root, url]) => ({
    site: siteName,
    store,
    path: `${root}/${prefix}`,
    url: `${url}/${prefix}`,
  }));
}

/** The stores of an environment's copies: the homes, and the destinations made for the copies. */
export class CopyStores {
  private readonly made = new Map<string, StoreRef>();
  /** The buckets and accounts made for copies, for the stack outputs. */
  readonly outputs: Record<string, pulumi.Input<unknown>> = {};

  constructor(
    private readonly sites: Sites,
    private readonly common: CommonArgs,
    private readonly declared: { aws?: DeclaredAwsSite | undefined; azure?: DeclaredAzureSite | undefined },
    copies: readonly PlannedCopy[],
  ) {
    this.declareDestinations(copies);
  }

  /** The store a dataset lives in. */
  home(site: SiteKind, store: string): StoreRef {
    if (site === "aws") {
      const bucket = this.declared.aws?.bucketsByName.get(store);
      if (!bucket) throw new Error(`no AWS bucket ${store} was declared`);
      return this.awsRef(bucket);
    }
    if (site === "azure") {
      const azure = this.declared.azure;
      const i = azure?.site.stores.findIndex((s) => s.name === store) ?? -1;
      const account = azure?.storage[i]?.account;
      if (!account) throw new Error(`no Azure storage account ${store} was declared`);
      return this.azureRef(account, DATASETS_CONTAINER);
    }
    return this.onpremRef("bucket");
  }

  /** Where a backup or staged copy goes on `site`. */
  destination(site: SiteKind, purpose: "backup" | "staging"): StoreRef {
    if (site === "onprem") return this.onpremRef(purpose === "backup" ? "backupBucket" : "stagingBucket");
    const ref = this.made.get(`${site}|${purpose}`);
    if (!ref) throw new Error(`no ${purpose} store was declared on ${site}`);
    return ref;
  }

  /** The AWS backup and staging buckets, and Azure's copies account, for the copies that need them. */
  private declareDestinations(copies: readonly PlannedCopy[]): void {
    const writes = (site: SiteKind, kind: PlannedCopy["kind"]) =>
      copies.filter((c) => c.kind === kind && c.to === site);
    const retention = (list: PlannedCopy[]) =>
      list.flatMap((c) =>
        c.backup
          ? [{ dataset: c.dataset.name, days: c.backup.retentionDays, versions: c.backup.versions }]
          : [],
      );
    // The whole store keeps old versions at least as long as any dataset in it asks (S3 and Azure
    // apply the shorter of two rules), and never less than the components' default.
    const longest = (r: { days: number }[]) => Math.max(90, ...r.map((x) => x.days));
    const aws = this.declared.aws;
    if (aws) {
      const name = aws.site.name;
      const backups = retention(writes("aws", "backup"));
      if (backups.length > 0) {
        const bucket = new AwsEncryptedBucket(
          `${name}-backups`,
          {
            ...this.common,
            noncurrentVersionExpirationDays: longest(backups),
            retentionByPrefix: backups.map((b) => ({
              prefix: b.dataset,
              noncurrentDays: b.days,
              newerNoncurrentVersions: b.versions,
            })),
          },
          aws.opts,
        );
        this.made.set("aws|backup", this.awsRef(bucket));
        this.outputs[`${name}-backups`] = {
          cloud: "aws",
          name: bucket.bucketName,
          arn: bucket.bucketArn,
          kmsKeyArn: bucket.kmsKeyArn,
        };
      }
      if (writes("aws", "staging").length > 0) {
        // Staged copies are derived data: old versions go after a day.
        const bucket = new AwsEncryptedBucket(
          `${name}-staging`,
          { ...this.common, noncurrentVersionExpirationDays: 1 },
          aws.opts,
        );
        this.made.set("aws|staging", this.awsRef(bucket));
        this.outputs[`${name}-staging`] = {
          cloud: "aws",
          name: bucket.bucketName,
          arn: bucket.bucketArn,
          kmsKeyArn: bucket.kmsKeyArn,
        };
      }
    }
    const azure = this.declared.azure;
    if (azure) {
      const backups = retention(writes("azure", "backup"));
      const staging = writes("azure", "staging").length > 0;
      if (backups.length > 0 || staging) {
        const containers = [
          ...(backups.length > 0 ? [COPY_CONTAINERS.backup] : []),
          ...(staging ? [COPY_CONTAINERS.staging] : []),
        ];
        const zone = azure.storage[0]?.account.privateDnsZoneId;
        const account = new AzureEncryptedStorage(
          `${azure.site.name}-copies`,
          {
            ...this.common,
            ...azure.where,
            network: azure.vnet,
            containers,
            noncurrentVersionExpirationDays: longest(backups),
            retentionByPrefix: [
              ...backups.map((b) => ({ container: COPY_CONTAINERS.backup, prefix: b.dataset, days: b.days })),
            ],
            logAnalyticsWorkspaceId: azure.cluster.logAnalyticsWorkspaceId,
            // One privatelink.blob zone per VNet: the site's first account made it.
            ...(zone ? { privateDnsZoneId: zone } : {}),
          },
          azure.opts,
        );
        if (backups.length > 0) this.made.set("azure|backup", this.azureRef(account, COPY_CONTAINERS.backup));
        if (staging) this.made.set("azure|staging", this.azureRef(account, COPY_CONTAINERS.staging));
        this.outputs[`${azure.site.name}-copies`] = {
          cloud: "azure",
          name: account.accountName,
          id: account.accountId,
          containers,
        };
      }
    }
  }

  private awsRef(bucket: AwsEncryptedBucket): StoreRef {
    const region = this.sites.aws?.region ?? "";
    return {
      site: "aws",
      store: bucket.kmsKeyArn.apply((kmsKeyArn) => ({ kind: "aws-s3" as const, region, kmsKeyArn })),
      root: bucket.bucketName,
      aws: { bucketArn: bucket.bucketArn, kmsKeyArn: bucket.kmsKeyArn },
      url: pulumi.interpolate`s3://${bucket.bucketName}`,
      encryption: pulumi.interpolate`aws:kms ${bucket.kmsKeyArn}`,
      versioning: true,
    };
  }

  private azureRef(account: AzureEncryptedStorage, container: string): StoreRef {
    return {
      site: "azure",
      store: account.accountName.apply((name) => ({ kind: "azure-blob" as const, account: name })),
      root: pulumi.output(container),
      azure: { accountId: account.accountId, container, blobEndpointIp: account.blobEndpointIp },
      url: pulumi.interpolate`https://${account.accountName}.blob.core.windows.net/${container}`,
      encryption: pulumi.interpolate`azure-cmk ${account.keyUri}`,
      versioning: true,
    };
  }

  private onpremRef(which: "bucket" | "backupBucket" | "stagingBucket"): StoreRef {
    const s3 = this.sites.onprem?.config.storage?.s3;
    const bucket = s3?.[which];
    if (!s3 || !bucket)
      throw new Error(`onprem.storage.s3.${which} is not set; the config check should have said so`);
    const store: CopyStore = {
      kind: "onprem-s3",
      endpoint: s3.endpoint,
      region: s3.region ?? "us-east-1",
      provider: s3.provider ?? "Other",
      encryption: s3.encryption,
      ...(s3.kmsKeyId ? { kmsKeyId: s3.kmsKeyId } : {}),
      credentialsFile: `${ONPREM_CREDENTIALS_DIR}/credentials`,
      profile: ONPREM_PROFILE,
    };
    const host = s3.endpoint.replace(/\/+$/, "");
    return {
      site: "onprem",
      store: pulumi.output(store),
      root: pulumi.output(bucket),
      url: pulumi.output(`${host}/${bucket}`),
      encryption: pulumi.output(
        s3.encryption === "sse-kms" ? `sse-kms ${s3.kmsKeyId ?? "(the store's default key)"}` : s3.encryption,
      ),
      versioning: s3.versioning,
    };
  }

  /**
   * Where a copy running on `runsOn` connects to reach a store on `site`: S3 through the VPC's
   * gateway (its prefix list) and the Pod Identity agent from EKS, the VPC's interface endpoints
   * from elsewhere; the private endpoints of the Azure accounts among `refs` and Entra ID; the
   * on-premises store's addresses.
   */
  egress(runsOn: SiteKind, site: SiteKind, refs: readonly StoreRef[]): pulumi.Output<CopyEgress[]> {
    if (site === "aws") {
      const aws = this.declared.aws;
      if (!aws) throw new Error("no AWS site was declared");
      if (runsOn === "aws") {
        const provider = (aws.opts.providers as Record<string, pulumi.ProviderResource> | undefined)?.aws;
        const s3 = getPrefixListOutput(
          { name: `com.amazonaws.${aws.site.region}.s3` },
          provider ? { provider } : {},
        );
        return s3.cidrBlocks.apply((cidrs) => [
          { toCidrs: [...cidrs].sort(), ports: [443], why: "S3 through the VPC's gateway endpoint" },
          { toCidrs: ["169.254.170.23/32"], ports: [80], why: "the EKS Pod Identity agent" },
        ]);
      }
      return pulumi.output([
        {
          toCidrs: routedNetworks(aws.site),
          ports: [443],
          why: `S3 and STS interface endpoints in ${aws.site.name}'s VPC over the VPN`,
        },
      ]);
    }
    if (site === "azure") {
      const azure = this.declared.azure;
      if (!azure) throw new Error("no Azure site was declared");
      // Only the private endpoints of the accounts the copy uses: one address each.
      const ips = pulumi.all(refs.flatMap((r) => (r.azure ? [r.azure.blobEndpointIp] : [])));
      return ips.apply((addresses) => [
        {
          toCidrs: [...new Set(addresses)].sort().map((ip) => `${ip}/32`),
          ports: [443],
          why: `${azure.site.name}'s storage private endpoints`,
        },
        {
          toCidrs: [...ENTRA_ID_TOKEN_CIDRS],
          ports: [443],
          why: "Entra ID's tokens (workload identity's exchange, or a certificate's client assertion)",
        },
      ]);
    }
    const storage = this.sites.onprem?.storage;
    if (!storage) throw new Error("onprem.storage is not set; the config check should have said so");
    return pulumi.output([
      { toCidrs: [...storage.cidrs], ports: [...storage.ports], why: `${this.sites.onprem?.name} storage` },
    ]);
  }
}
