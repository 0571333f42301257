import type { WorkloadSpec } from "../../components/kubernetes";
import type { ConfigIssue } from "../../components/validation";
import type { Sites } from "../config";

/** An egress rule the cluster phase adds to a workload's catalog entry: where its data is. */
export interface DataPath {
  toCidrs: string[];
  ports: number[];
}

/** The egress to on-premises storage for a workload that reads its datasets; none otherwise. */
export function onPremStoragePath(sites: Sites, w: WorkloadSpec): DataPath | undefined {
  const onprem = sites.onprem;
  const storage = onprem?.storage;
  const hosted = new Set(onprem?.stores.flatMap((s) => s.datasets) ?? []);
  if (!storage || !(w.datasets ?? []).some((d) => hosted.has(d.name))) return undefined;
  return { toCidrs: [...storage.cidrs], ports: [...storage.ports] };
}

/**
 * A workload reading a dataset no site hosts: placement cannot say where it is, so it prices no
 * egress and keeps no workload away from it. Restricted data must have a known home: refused.
 */
export function unhostedDatasetIssues(sites: Sites, catalog: readonly WorkloadSpec[]): ConfigIssue[] {
  const homes = sites.datasetHomes();
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
  sites: Sites,
  catalog: readonly WorkloadSpec[],
): { dataset: string; workloads: string[] }[] {
  const homes = sites.datasetHomes();
  const readers = new Map<string, string[]>();
  for (const w of catalog)
    for (const d of w.datasets ?? [])
      if (!homes.has(d.name)) readers.set(d.name, [...(readers.get(d.name) ?? []), w.name]);
  return [...readers]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([dataset, workloads]) => ({ dataset, workloads }));
}
