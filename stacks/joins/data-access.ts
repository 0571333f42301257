import { didYouMean } from "../../components/facts";
import type { WorkloadSpec } from "../../components/kubernetes";
import type { ConfigIssue } from "../../components/validation";
import type { Sites } from "../config";

/** An egress rule the cluster phase adds to a workload's catalog entry: where its data is. */
export interface DataPath {
  toCidrs: string[];
  ports: number[];
}

/** The egress to on-premises storage for a workload that reads its datasets; none otherwise. */
export function onPremStoragePath(
  sites: Sites,
  w: WorkloadSpec,
  staged: ReadonlySet<string> = new Set(),
): DataPath | undefined {
  const onprem = sites.onprem;
  const storage = onprem?.storage;
  const hosted = new Set([...(onprem?.stores.flatMap((s) => s.datasets) ?? []), ...staged]);
  if (!storage || !(w.datasets ?? []).some((d) => hosted.has(d.name))) return undefined;
  return { toCidrs: [...storage.cidrs], ports: [...storage.ports] };
}

/**
 * A workload reading a dataset no site hosts: a typo (its data access would silently go), or a
 * dataset missing from the config. Placement could neither price nor protect the read, and no
 * identity would grant it: refused, with the nearest hosted name.
 */
export function unhostedDatasetIssues(sites: Sites, catalog: readonly WorkloadSpec[]): ConfigIssue[] {
  const known = [...sites.datasetHomes().keys()].sort();
  return catalog.flatMap((w, i) =>
    (w.datasets ?? []).flatMap((d, j) => {
      if (known.includes(d.name)) return [];
      const near = didYouMean(d.name, known);
      return [
        {
          path: `workloads[${i}].datasets[${j}].name`,
          message: `"${d.name}" is hosted by no site${near ? `; did you mean "${near}"?` : ""} Add it to a site's datasets (aws.buckets[].datasets, azure.storage[].datasets or onprem.datasets)${known.length > 0 ? `; hosted now: ${known.join(", ")}` : ""}`,
        },
      ];
    }),
  );
}

const RANK = { public: 0, internal: 1, confidential: 2, restricted: 3 } as const;

/**
 * A workload reading a dataset classified above its own: placement places it by its own
 * classification, so restricted data could follow it to a public cloud. Refused for datasets whose
 * entry names a classification (a plain name takes the stack's, which says nothing about it).
 */
export function readerClassificationIssues(sites: Sites, catalog: readonly WorkloadSpec[]): ConfigIssue[] {
  const datasets = new Map(
    sites
      .datasets()
      .filter((d) => d.classificationDeclared)
      .map((d) => [d.name, d]),
  );
  return catalog.flatMap((w, i) =>
    (w.datasets ?? []).flatMap((r, j) => {
      const d = datasets.get(r.name);
      if (!d || RANK[d.classification] <= RANK[w.classification]) return [];
      return [
        {
          path: `workloads[${i}].classification`,
          message: `is ${w.classification}, and the workload reads ${d.name} (datasets[${j}]), which is ${d.classification}: a workload holds the data it reads; classify it ${d.classification} or higher`,
        },
      ];
    }),
  );
}
