import { getPrefixListOutput } from "@pulumi/aws/ec2/getPrefixList";
import * as pulumi from "@pulumi/pulumi";
import { AwsWorkloadIdentity } from "../../components/aws";
import { checkNameLimits, workloadIdentityNames } from "../../components/aws/internal";
import { AzureWorkloadIdentity, DATASETS_CONTAINER, ENTRA_ID_TOKEN_CIDRS } from "../../components/azure";
import type { CommonArgs } from "../../components/kit";
import { identityAccountOf, namespaceOf, type WorkloadSpec } from "../../components/kubernetes";
import type { ConfigIssue } from "../../components/validation";
import type { Sites } from "../config";
import type { AzureStoreRef, StagedStores } from "../data";
import type { DeclaredAwsSite, DeclaredAzureSite } from "../sites";
import type { PlatformWorkloads } from "../types";
import { type DataPath, onPremStoragePath } from "./data-access";

/** The EKS Pod Identity agent, which hands pods their role's credentials (node-local, port 80). */
export const POD_IDENTITY_AGENT: DataPath = { toCidrs: ["169.254.170.23/32"], ports: [80] };

/** Azure workload identity's token exchange with Entra ID, on 443 only. */
export const ENTRA_ID_TOKEN_PATH: DataPath = { toCidrs: [...ENTRA_ID_TOKEN_CIDRS], ports: [443] };

/** A workload's cloud identity: the role (EKS Pod Identity) or the managed identity (Azure). */
export interface WorkloadIdentity {
  awsRoleArn?: pulumi.Output<string>;
  azureClientId?: pulumi.Output<string>;
}

/** What the workload identities give, per workload: the identity, the paths to its data, and its ServiceAccount's annotations. */
export interface WorkloadIdentities {
  identities: Record<string, WorkloadIdentity>;
  dataPaths: Record<string, pulumi.Output<DataPath[]>>;
  serviceAccountAnnotations: Record<string, Record<string, pulumi.Output<string>>>;
}

/**
 * A cloud identity per workload that reads datasets hosted next to the cluster it was placed on,
 * allowed to read only those datasets, and the egress to reach them: EKS Pod Identity and S3 on
 * AWS, Azure workload identity and the storage's private endpoint on Azure, the on-premises
 * storage's addresses for on-premises datasets (on that site, or over a VPN link). Placement has
 * kept every workload off clusters that cannot read its data (`remoteDatasetsOf`).
 */
export function declareWorkloadIdentities(
  sites: Sites,
  common: CommonArgs,
  workloads: PlatformWorkloads,
  declared: { aws?: DeclaredAwsSite | undefined; azure?: DeclaredAzureSite | undefined },
  /** Where each site holds the staged copies of other sites' datasets, which workloads there read. */
  staged?: StagedStores,
): WorkloadIdentities {
  const out: WorkloadIdentities = { identities: {}, dataPaths: {}, serviceAccountAnnotations: {} };
  const { catalog, decision } = workloads;
  if (!catalog || !decision) return out;
  const placedOn = (w: WorkloadSpec, target: string | undefined) =>
    target !== undefined && decision.assignments.some((a) => a.workload === w.name && a.target === target);
  const paths = new Map<string, pulumi.Output<DataPath[]>[]>();
  const addPaths = (w: string, more: pulumi.Input<DataPath[]>) =>
    paths.set(w, [...(paths.get(w) ?? []), pulumi.output(more)]);

  const aws = declared.aws ? awsIdentities(common, declared.aws, staged?.aws) : undefined;
  const azure = declared.azure ? azureIdentities(common, declared.azure, staged?.azure) : undefined;
  for (const w of catalog) {
    const account = identityAccountOf(w);
    if (!account) continue;
    if (aws && placedOn(w, sites.aws?.name)) {
      const declared = aws.declare(w, account);
      if (declared) {
        out.identities[w.name] = { ...out.identities[w.name], awsRoleArn: declared.roleArn };
        addPaths(w.name, declared.paths);
      }
    }
    if (azure && placedOn(w, sites.azure?.name)) {
      const declared = azure.declare(w, account);
      if (declared) {
        out.identities[w.name] = { ...out.identities[w.name], azureClientId: declared.clientId };
        out.serviceAccountAnnotations[w.name] = {
          "azure.workload.identity/client-id": declared.clientId,
          "azure.workload.identity/tenant-id": declared.tenantId,
        };
        addPaths(w.name, declared.paths);
      }
    }
    const onprem = onPremStoragePath(sites, w, staged?.onprem);
    if (onprem) addPaths(w.name, [onprem]);
  }
  for (const [w, list] of paths) out.dataPaths[w] = pulumi.all(list).apply((ps) => ps.flat());
  return out;
}

/** The name of a workload's AWS identity on the AWS site: `<cluster>-<workload>`. */
function awsIdentityName(clusterName: string, workload: string): string {
  return `${clusterName}-${workload}`;
}

/**
 * Every workload that reads datasets may get an AWS identity on the AWS site, named by the cluster
 * and the workload: its IAM role and inline policy names must fit IAM's limits, which the catalog
 * alone decides, so it is checked with the catalog, by catalog path, before placement.
 */
export function awsIdentityNameIssues(sites: Sites, catalog: readonly WorkloadSpec[]): ConfigIssue[] {
  const aws = sites.aws;
  if (!aws) return [];
  const issues: ConfigIssue[] = [];
  catalog.forEach((w, i) => {
    if ((w.datasets ?? []).length === 0) return;
    checkNameLimits(workloadIdentityNames(awsIdentityName(aws.name, w.name), ["workloads", i, "name"]), {
      addIssue: (issue) => issues.push({ path: `workloads[${i}].name`, message: issue.message }),
    });
  });
  return issues;
}

/** Per AWS workload: a Pod Identity role for the datasets in the site's buckets, and S3 and the agent as paths. */
function awsIdentities(common: CommonArgs, aws: DeclaredAwsSite, staged?: StagedStores["aws"]) {
  const { site } = aws;
  const provider = (aws.opts.providers as Record<string, pulumi.ProviderResource> | undefined)?.aws;
  // The S3 gateway endpoint's addresses: the region's prefix list, read at deploy time.
  const s3 = getPrefixListOutput({ name: `com.amazonaws.${site.region}.s3` }, provider ? { provider } : {});
  const home = new Map<string, { bucketArn: pulumi.Output<string>; kmsKeyArn: pulumi.Output<string> }>();
  for (const store of site.stores) {
    const bucket = aws.bucketsByName.get(store.name);
    for (const dataset of store.datasets) if (bucket) home.set(dataset, bucket);
  }
  // A staged copy is read where it was staged, under the dataset's own prefix.
  for (const [dataset, bucket] of staged ?? []) if (!home.has(dataset)) home.set(dataset, bucket);
  return {
    declare(w: WorkloadSpec, account: string) {
      const grants = (w.datasets ?? []).flatMap((d) => {
        const bucket = home.get(d.name);
        return bucket ? [{ bucketArn: bucket.bucketArn, kmsKeyArn: bucket.kmsKeyArn, prefix: d.name }] : [];
      });
      if (grants.length === 0) return undefined;
      const identity = new AwsWorkloadIdentity(
        awsIdentityName(site.name, w.name),
        {
          ...common,
          clusterName: aws.cluster.clusterName,
          namespace: namespaceOf(w),
          serviceAccount: account,
          datasets: grants,
        },
        aws.opts,
      );
      const paths = s3.cidrBlocks.apply((cidrs) => [
        { toCidrs: [...cidrs].sort(), ports: [443] },
        POD_IDENTITY_AGENT,
      ]);
      return { roleArn: identity.roleArn, paths };
    },
  };
}

/** Per Azure workload: a federated identity for the datasets in the site's storage (or their staged copies), and its accounts' private endpoint addresses and Entra ID as paths. */
function azureIdentities(common: CommonArgs, azure: DeclaredAzureSite, staged?: StagedStores["azure"]) {
  const home = new Map<string, AzureStoreRef>();
  for (const { account, datasets } of azure.storage)
    for (const d of datasets)
      home.set(d, {
        accountId: account.accountId,
        container: DATASETS_CONTAINER,
        blobEndpointIp: account.blobEndpointIp,
      });
  for (const [dataset, store] of staged ?? []) if (!home.has(dataset)) home.set(dataset, store);
  return {
    declare(w: WorkloadSpec, account: string) {
      const grants = (w.datasets ?? []).flatMap((d) => {
        const storage = home.get(d.name);
        return storage
          ? [{ storageAccountId: storage.accountId, container: storage.container, prefix: d.name }]
          : [];
      });
      if (grants.length === 0) return undefined;
      const identity = new AzureWorkloadIdentity(
        `${azure.site.name}-${w.name}`,
        {
          ...common,
          ...azure.where,
          oidcIssuerUrl: azure.cluster.oidcIssuerUrl,
          namespace: namespaceOf(w),
          serviceAccount: account,
          datasets: grants,
        },
        azure.opts,
      );
      // Only the private endpoints of the accounts holding its datasets: one address each.
      const accounts = [...new Set(grants.map((g) => g.storageAccountId))];
      const ips = pulumi.all(
        accounts.map((id) => [...home.values()].find((s) => s.accountId === id)?.blobEndpointIp ?? ""),
      );
      const paths = ips.apply((addresses) => [
        { toCidrs: [...new Set(addresses)].sort().map((ip) => `${ip}/32`), ports: [443] },
        ENTRA_ID_TOKEN_PATH,
      ]);
      return { clientId: identity.clientId, tenantId: identity.tenantId, paths };
    },
  };
}
