import type { WorkloadSpec } from "../components/kubernetes";
import type { ConfigIssue } from "../components/validation";
import type { PlatformConfig } from "./config";
import type { VpnSite } from "./vpn";

/** An egress rule the cluster phase adds to a workload's catalog entry: where its data is. */
export interface DataPath {
  toCidrs: string[];
  ports: number[];
}

/** Ports on-premises storage serves on when config names none: HTTPS (an S3-compatible store). */
export const ONPREM_STORAGE_PORTS: readonly number[] = [443];

/** The site hosting each dataset (config allows one home per dataset). */
export function datasetHomes(config: PlatformConfig): Map<string, VpnSite> {
  const homes = new Map<string, VpnSite>();
  for (const b of config.aws?.buckets ?? []) for (const d of b.datasets ?? []) homes.set(d, "aws");
  for (const s of config.azure?.storage ?? []) for (const d of s.datasets ?? []) homes.set(d, "azure");
  for (const d of config.onprem?.datasets ?? []) homes.set(d, "onprem");
  return homes;
}

/**
 * The datasets hosted on other sites that `site`'s cluster can read. Only on-premises datasets
 * qualify, from a cloud joined to the on-premises site by a VPN link: its storage answers at the
 * addresses config gives, with its own credentials. A cloud's datasets stay with that cloud's
 * cluster: the S3 gateway endpoint is not reachable over a VPN, Azure Storage admits only its
 * private endpoint, and no identity here federates one site's service accounts with another
 * cloud. Placement keeps a workload off a cluster that cannot read its data.
 */
export function remoteDatasetsOf(config: PlatformConfig, site: VpnSite): string[] {
  const joined = (config.vpn?.links ?? []).some((l) => l.sites.includes(site) && l.sites.includes("onprem"));
  if (site === "onprem" || !joined) return [];
  return [...(config.onprem?.datasets ?? [])].sort();
}

/** The egress to on-premises storage for a workload that reads its datasets; none otherwise. */
export function onPremStoragePath(config: PlatformConfig, w: WorkloadSpec): DataPath | undefined {
  const storage = config.onprem?.storage;
  const hosted = new Set(config.onprem?.datasets ?? []);
  if (!storage || !(w.datasets ?? []).some((d) => hosted.has(d.name))) return undefined;
  return { toCidrs: [...storage.cidrs], ports: [...(storage.ports ?? ONPREM_STORAGE_PORTS)] };
}

/**
 * A workload reading a dataset no site hosts: placement cannot say where it is, so it prices no
 * egress and keeps no workload away from it. Restricted data must have a known home: refused.
 */
export function unhostedDatasetIssues(
  config: PlatformConfig,
  catalog: readonly WorkloadSpec[],
): ConfigIssue[] {
  const homes = datasetHomes(config);
  const known = [...homes.keys()].sort();
  return catalog.flatMap((w, i) =>
    (w.datasets ?? []).flatMap((d, j) =>
      homes.has(d.name) || w.classification !== "restricted"
        ? []
        : [
            {
              path: `workloads[${i}].datasets[${j}].name`,
              message: `"${d.name}" is hosted by no site, and ${w.name} is restricted: add it to a site's datasets (aws.buckets[].datasets, azure.storage[].datasets or onprem.datasets)${known.length > 0 ? `; hosted now: ${known.join(", ")}` : ""}`,
            },
          ],
    ),
  );
}

/** Datasets the catalog reads that no site hosts, with the workloads reading them (for a warning). */
export function unhostedDatasets(
  config: PlatformConfig,
  catalog: readonly WorkloadSpec[],
): { dataset: string; workloads: string[] }[] {
  const homes = datasetHomes(config);
  const readers = new Map<string, string[]>();
  for (const w of catalog)
    for (const d of w.datasets ?? [])
      if (!homes.has(d.name)) readers.set(d.name, [...(readers.get(d.name) ?? []), w.name]);
  return [...readers]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([dataset, workloads]) => ({ dataset, workloads }));
}
