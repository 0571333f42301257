// The data copies an environment runs, decided from its config and placement before anything is
// declared: a backup and its restore drill per declared backup, and a staging per dataset that a
// workload reads on a cluster that neither hosts it nor reaches it over a link. Plain values:
// the platform phase declares their stores and identities from them, the plan prints them.

import type { WorkloadSpec } from "../../components/kubernetes";
import { boundedName, describeSchedule } from "../../components/kubernetes/internal";
import type { PlacementResult } from "../../components/placement";
import {
  backupRoutes,
  copyRunsOn,
  DATA_DEFAULTS,
  type Dataset,
  type DatasetBackup,
  type SiteKind,
  type Sites,
  stagedDatasets,
  stagingOptions,
} from "../config";

/** One copy the environment runs. */
export interface PlannedCopy {
  kind: "backup" | "staging" | "drill";
  /** Its Kubernetes name (CronJob, Job, ServiceAccount), at most 52 characters. */
  name: string;
  dataset: Dataset;
  /** The site it reads (the dataset's home; a drill: the backup's site). */
  from: SiteKind;
  /** The site it writes (a drill: the backup's site, which it reads back). */
  to: SiteKind;
  /** The site whose cluster runs it. */
  runsOn: SiteKind;
  /** Cron, UTC. */
  schedule: string;
  bandwidth?: string | undefined;
  /** The backup it makes or drills. */
  backup?: DatasetBackup;
  /** Staging: the workloads placed on `to` that read the dataset there. */
  readers?: string[];
}

/** A Kubernetes name part from a dataset or site name. */
const slug = (s: string) => s.replace(/[._]/g, "-");

/** Every copy of the environment, backups and drills first, then staging, each sorted by name. */
export function planCopies(
  sites: Sites,
  workloads: { catalog?: readonly WorkloadSpec[] | undefined; decision?: PlacementResult | undefined } = {},
): PlannedCopy[] {
  const data = sites.config.data;
  const nameOf = (kind: SiteKind) => sites.of(kind)?.name ?? kind;
  const backups = backupRoutes(sites).flatMap((route): PlannedCopy[] => {
    const d = route.dataset;
    const site = nameOf(route.to);
    return [
      {
        kind: "backup",
        name: boundedName(`backup-${slug(d.name)}-to-${slug(site)}`, 52),
        dataset: d,
        from: route.from,
        to: route.to,
        runsOn: route.runsOn,
        schedule: route.backup.schedule,
        bandwidth: route.backup.bandwidth ?? data?.bandwidth,
        backup: route.backup,
      },
      {
        // The drill reads the backup where it is, with that site's own identity.
        kind: "drill",
        name: boundedName(`drill-${slug(d.name)}-on-${slug(site)}`, 52),
        dataset: d,
        from: route.to,
        to: route.to,
        runsOn: route.to,
        schedule: data?.drill?.schedule ?? DATA_DEFAULTS.drillSchedule,
        bandwidth: route.backup.bandwidth ?? data?.bandwidth,
        backup: route.backup,
      },
    ];
  });
  const staging = stagingCopies(sites, workloads);
  return [...backups.sort(byName), ...staging.sort(byName)];
}

function byName(a: PlannedCopy, b: PlannedCopy): number {
  return a.name.localeCompare(b.name);
}

/** Where placement put each workload's parts, by site kind. */
function sitesOfWorkload(sites: Sites, decision: PlacementResult, workload: string): SiteKind[] {
  const kinds = decision.assignments
    .filter((a) => a.workload === workload)
    .flatMap((a) => sites.all.filter((s) => s.name === a.target).map((s) => s.kind));
  return [...new Set(kinds)];
}

function stagingCopies(
  sites: Sites,
  {
    catalog,
    decision,
  }: { catalog?: readonly WorkloadSpec[] | undefined; decision?: PlacementResult | undefined },
): PlannedCopy[] {
  if (!catalog || !decision) return [];
  const stageable = stagedDatasets(sites);
  const datasets = new Map(sites.datasets().map((d) => [d.name, d]));
  const readers = new Map<string, { dataset: Dataset; to: SiteKind; readers: string[] }>();
  for (const w of catalog) {
    for (const to of sitesOfWorkload(sites, decision, w.name)) {
      for (const { name } of w.datasets ?? []) {
        const dataset = datasets.get(name);
        if (!dataset || dataset.home === to || !stageable[to].includes(name)) continue;
        const key = `${name}|${to}`;
        const entry = readers.get(key) ?? { dataset, to, readers: [] };
        entry.readers.push(w.name);
        readers.set(key, entry);
      }
    }
  }
  const data = sites.config.data;
  return [...readers.values()].map(({ dataset, to, readers: names }) => ({
    kind: "staging" as const,
    name: boundedName(`stage-${slug(dataset.name)}-to-${slug(sites.of(to)?.name ?? to)}`, 52),
    dataset,
    from: dataset.home,
    to,
    runsOn: copyRunsOn(dataset.home, to),
    schedule: dataset.staging.schedule ?? data?.stagingSchedule ?? DATA_DEFAULTS.stagingSchedule,
    bandwidth: dataset.staging.bandwidth ?? data?.bandwidth,
    readers: [...names].sort(),
  }));
}

/** A dataset as the plan shows it: where it lives, where it is backed up, where it may be and is staged. */
export interface DatasetView {
  name: string;
  classification: string;
  residency?: string[];
  /** Site and store, e.g. `dc1 (onprem), store dc1`. */
  home: string;
  /** The home site's name (its cluster's, as placement names targets). */
  homeSite: string;
  backups: { to: string; schedule: string; retention: string; runsOn: string }[];
  /** Per other site: staged (with its readers and schedule), reachable over a link, may be staged, or why not. */
  staging: {
    site: string;
    state: "staged" | "reachable" | "allowed" | "refused";
    detail: string;
    /** Staged: the workloads placed there that read it, and when the copy is refreshed. */
    readers?: string[];
    schedule?: string;
  }[];
}

/** What the plan prints per dataset. */
export function datasetViews(sites: Sites, copies: readonly PlannedCopy[]): DatasetView[] {
  const nameOf = (kind: SiteKind) => sites.of(kind)?.name ?? kind;
  return sites.datasets().map((d) => {
    const staged = copies.filter((c) => c.kind === "staging" && c.dataset.name === d.name);
    return {
      name: d.name,
      classification: d.classification,
      ...(d.residency ? { residency: d.residency } : {}),
      home: `${nameOf(d.home)} (${d.home}), store ${d.store}`,
      homeSite: nameOf(d.home),
      backups: d.backups.map((b) => ({
        to: nameOf(b.to),
        schedule: describeSchedule(b.schedule),
        retention:
          b.to === "azure"
            ? `old versions ${b.retentionDays} days (Azure keeps versions by age)`
            : `old versions ${b.retentionDays} days, the newest ${b.versions} kept past that`,
        runsOn: nameOf(copyRunsOn(d.home, b.to)),
      })),
      staging: stagingOptions(sites, d).map((o) => {
        const copy = staged.find((c) => c.to === o.site);
        if (copy)
          return {
            site: nameOf(o.site),
            state: "staged" as const,
            detail: `for ${copy.readers?.join(", ")}, refreshed ${describeSchedule(copy.schedule)}`,
            readers: copy.readers ?? [],
            schedule: describeSchedule(copy.schedule),
          };
        if (sites.remoteDatasets(o.site).includes(d.name))
          return {
            site: nameOf(o.site),
            state: "reachable" as const,
            detail: "read over the VPN link, not staged",
          };
        if (o.problems.length === 0)
          return {
            site: nameOf(o.site),
            state: "allowed" as const,
            detail: "may be staged when a reader is placed there",
          };
        return { site: nameOf(o.site), state: "refused" as const, detail: o.problems.join("; ") };
      }),
    };
  });
}
