// Where a dataset's copies may go and what each needs, read from the site model: the trust rule
// (dataCopyRejection, placement's own), a VPN link between the two sites (the network path), an
// identity at both ends without a long-lived key (on-premises: its issuer federated with the
// cloud, or its certificate: Roles Anywhere for AWS, an Entra application for Azure), a store to
// write to, and an rclone image on the cluster that runs the copy. The config checks report what a
// declared backup lacks by config path; placement is told where each dataset may be staged; the
// data join declares the rest.
import { trustOf } from "../../components/kit";
import { dataCopyRejection } from "../../components/placement";
import type { Dataset, DatasetBackup } from "./datasets";
import type { SiteKind } from "./fields";
import type { Site, Sites } from "./sites";

/** Why a dataset is copied. */
export type CopyPurpose = "backup" | "staging";

/**
 * The cluster that runs a copy between two sites: the on-premises one whenever on-premises is an
 * end (the on-premises store's keys never leave the site), else the destination's (it writes with
 * its own identity and reads the other cloud through federation, and survives the source's loss).
 */
export function copyRunsOn(from: SiteKind, to: SiteKind): SiteKind {
  return from === "onprem" || to === "onprem" ? "onprem" : to;
}

/** A problem with a copy, at a config path (relative paths are the backup entry's). */
export interface CopyProblem {
  path: (string | number)[];
  message: string;
}

/** What a site is called in messages: its cluster's name and kind. */
function called(site: Site): string {
  return site.kind === "onprem" ? `${site.name} (onprem)` : `${site.name} (${site.kind})`;
}

/**
 * Everything that keeps `dataset` from being copied from its home to `to` for `purpose`, each at
 * the config path that would fix it; empty when the copy can run. `at` is where a message about
 * the target itself goes (the backup's `to`, or the entry's `staging`).
 */
export function copyProblems(
  sites: Sites,
  dataset: Dataset,
  to: SiteKind,
  purpose: CopyPurpose,
  at: (string | number)[],
): CopyProblem[] {
  const home = sites.of(dataset.home);
  const target = sites.of(to);
  if (!home) return [];
  if (!target) return [{ path: at, message: `is ${to}, and this stack has no ${to} site` }];
  if (to === dataset.home)
    return [
      { path: at, message: `is ${to}, where ${dataset.name} already lives; a copy must go to another site` },
    ];
  const problems: CopyProblem[] = [];
  const rejection = dataCopyRejection(
    { name: dataset.name, classification: dataset.classification, residency: dataset.residency ?? null },
    {
      name: target.name,
      trust: trustOf(target.kind, { trust: target.trust }),
      jurisdiction: target.jurisdiction,
    },
    purpose,
  );
  if (rejection) problems.push({ path: at, message: rejection });
  const linked = sites.links.some((l) => l.sites.includes(dataset.home) && l.sites.includes(to));
  if (!linked)
    problems.push({
      path: at,
      message: `${called(home)} and ${called(target)} are joined by no VPN link, and copies go through private endpoints over one; add vpn.links: [{ sites: [${[dataset.home, to].sort().join(", ")}] }]`,
    });
  const onprem = sites.onprem;
  if (onprem && (dataset.home === "onprem" || to === "onprem")) {
    const s3 = onprem.config.storage?.s3;
    if (!s3)
      problems.push({
        path: ["onprem", "storage", "s3"],
        message: `is not set, and ${dataset.name} is copied ${dataset.home === "onprem" ? "from" : "to"} ${onprem.name}: give the on-premises store's S3 endpoint, buckets and credentials Secret`,
      });
    else if (to === "onprem") {
      const bucket = purpose === "backup" ? "backupBucket" : "stagingBucket";
      if (!s3[bucket])
        problems.push({
          path: ["onprem", "storage", "s3", bucket],
          message: `is not set, and ${dataset.name} is ${purpose === "backup" ? "backed up" : "staged"} to ${onprem.name}; name the bucket it goes to`,
        });
      if (purpose === "backup" && !s3.versioning)
        problems.push({
          path: ["onprem", "storage", "s3", "versioning"],
          message: `is false, and ${dataset.name} is backed up to ${onprem.name}: a backup keeps old versions for its retention; turn versioning on in the store and say so here`,
        });
      if (purpose === "backup" && s3.encryption === "none")
        problems.push({
          path: ["onprem", "storage", "s3", "encryption"],
          message: `is "none", and ${dataset.name} is backed up to ${onprem.name}: backups are encrypted at rest; turn on the store's SSE-S3 or SSE-KMS and say which`,
        });
    }
    const cloud = dataset.home === "onprem" ? to : dataset.home;
    const identity = onprem.config.identity;
    if (cloud !== "onprem" && !identity)
      problems.push({
        path: ["onprem", "identity"],
        message: `is not set, and ${dataset.name} is copied between ${onprem.name} and ${cloud} by ${onprem.name}'s cluster: give { issuer: <its service-account issuer> } (its OIDC discovery document fetchable by ${cloud === "aws" ? "AWS IAM" : "Entra ID"}) or ${cloud === "aws" ? "{ rolesAnywhere: {...} } (a certificate from the site's CA)" : "{ entra: { certificates: [...], certificateSecret } } (the copies' own certificate)"}, which the ${cloud} identity trusts`,
      });
    else if (identity && !("issuer" in identity)) {
      // A certificate proves the copies to one cloud by that cloud's own mechanism: Roles Anywhere
      // is AWS's, an application's certificate credential Entra's.
      if (cloud === "azure" && !identity.entra)
        problems.push({
          path: ["onprem", "identity", "entra"],
          message: `is not set, and ${dataset.name} is copied between ${onprem.name} and Azure by ${onprem.name}'s cluster: Roles Anywhere is AWS's alone; give entra: { certificates: [<the copies' certificate, PEM>] } (the Secret is rolesAnywhere's unless certificateSecret names another), for which each copy gets an Entra application (docs/data.md, "Without a public issuer")`,
        });
      if (cloud === "aws" && !identity.rolesAnywhere)
        problems.push({
          path: ["onprem", "identity", "rolesAnywhere"],
          message: `is not set, and ${dataset.name} is copied between ${onprem.name} and AWS by ${onprem.name}'s cluster: an Entra certificate credential is Azure's alone; give rolesAnywhere: {...} (the site's CA as the trust anchor) for AWS (docs/data.md, "Without a public issuer")`,
        });
    }
  }
  const runs = copyRunsOn(dataset.home, to);
  const aws = sites.aws;
  const network = aws?.config.network;
  if (
    runs === "aws" &&
    (dataset.home === "azure" || to === "azure") &&
    network &&
    "cidr" in network &&
    (network.natGateways ?? "none") === "none"
  )
    problems.push({
      path: ["aws", "network", "natGateways"],
      message: `is "none", and ${aws.name}'s cluster copies ${dataset.name} to or from Azure: its pods exchange their token with Entra ID (login.microsoftonline.com), which has no private endpoint; give the VPC a NAT gateway`,
    });
  if (!sites.config.data?.images[runs])
    problems.push({
      path: ["data", "images", runs],
      message: `is not set, and ${sites.of(runs)?.name ?? runs}'s cluster runs the ${purpose} of ${dataset.name}: mirror rclone (docker.io/rclone/rclone:1.75.2) to a registry it pulls from and give <registry>/rclone/rclone:1.75.2@sha256:<digest>`,
    });
  return problems;
}

/** A dataset's backup, with the sites it runs between. */
export interface BackupRoute {
  dataset: Dataset;
  backup: DatasetBackup;
  from: SiteKind;
  to: SiteKind;
  runsOn: SiteKind;
}

/** Every declared backup, in declaration order. */
export function backupRoutes(sites: Sites): BackupRoute[] {
  return sites.datasets().flatMap((dataset) =>
    dataset.backups.map((backup) => ({
      dataset,
      backup,
      from: dataset.home,
      to: backup.to,
      runsOn: copyRunsOn(dataset.home, backup.to),
    })),
  );
}

/** Each other site, and whether the dataset may be staged there (or why not). */
export function stagingOptions(sites: Sites, dataset: Dataset): { site: SiteKind; problems: string[] }[] {
  return sites.all
    .filter((s) => s.kind !== dataset.home)
    .map((s) => ({
      site: s.kind,
      problems: dataset.staging.allowed
        ? copyProblems(sites, dataset, s.kind, "staging", []).map((p) =>
            p.path.length > 0 ? `${p.path.join(".")} ${p.message}` : p.message,
          )
        : [`${dataset.name} says staging: false`],
    }));
}

/**
 * The datasets each site may hold a staged copy of (by site kind): those its classification lets
 * go there, over a link, with identities and a store at both ends. The on-premises site's datasets
 * are read over the links already (sites.remoteDatasets) and are not staged.
 */
export function stagedDatasets(sites: Sites): Record<SiteKind, string[]> {
  const out: Record<SiteKind, string[]> = { aws: [], azure: [], onprem: [] };
  for (const dataset of sites.datasets()) {
    for (const option of stagingOptions(sites, dataset)) {
      if (option.problems.length > 0) continue;
      if (sites.remoteDatasets(option.site).includes(dataset.name)) continue;
      out[option.site].push(dataset.name);
    }
  }
  for (const kind of Object.keys(out) as SiteKind[]) out[kind].sort();
  return out;
}
