import { flagRepeats, formatPath } from "../../../components/validation";
import type { ConfigCheck } from "./check";
import { collect, issueAt } from "./check";

/** A configuration declares at least one site. */
export const someSite: ConfigCheck = {
  name: "at least one site",
  check: (sites) =>
    sites.all.length > 0 ? [] : [issueAt([], "configures no site: add `aws`, `azure` and/or `onprem`")],
};

/** Each site's cluster is a placement target: their names must differ. */
export const targetNamesDistinct: ConfigCheck = {
  name: "placement targets named once",
  check: (sites) => {
    const path = (kind: string) => (kind === "onprem" ? ["onprem", "name"] : [kind, "cluster", "name"]);
    return sites.all.flatMap((site, i) => {
      const first = sites.all.findIndex((s) => s.name === site.name);
      const earlier = sites.all[first];
      return first < i && earlier
        ? [
            issueAt(
              path(site.kind),
              `"${site.name}" is also ${path(earlier.kind).join(".")}; placement targets need distinct names`,
            ),
          ]
        : [];
    });
  },
};

/**
 * Buckets and storage accounts share the stack's `buckets` output and their components' names: a
 * second one of a name would replace the first in both.
 */
export const storesNamedOnce: ConfigCheck = {
  name: "buckets and storage accounts named once",
  check: (sites) => {
    const stores = sites.all.flatMap((s) => (s.kind === "onprem" ? [] : s.stores));
    return stores.flatMap((store, i) => {
      const first = stores.findIndex((other) => other.name === store.name);
      const earlier = stores[first];
      return first < i && earlier
        ? [
            issueAt(
              [...store.path, "name"],
              `"${store.name}" is already the name of ${formatPath(earlier.path)}; name every bucket and storage account once`,
            ),
          ]
        : [];
    });
  },
};

/**
 * Pool names are child resource names and placement pools: the components would refuse a repeat
 * only once the program runs, in their own words; "system" is the cluster's own pool.
 */
export const poolNamesUnique: ConfigCheck = {
  name: "pool names unique per cluster, system reserved",
  check: (sites) => {
    const clouds = [
      ["aws", "nodeGroups", sites.aws?.config.cluster.nodeGroups ?? []],
      ["azure", "nodePools", sites.azure?.config.cluster.nodePools ?? []],
    ] as const;
    return clouds.flatMap(([kind, field, pools]) => {
      const path = (i: number) => [kind, "cluster", field, i, "name"];
      return [
        ...collect((sink) =>
          flagRepeats(
            sink,
            pools.map((p) => p.name),
            path,
            "pool names must be unique per cluster",
          ),
        ),
        ...pools.flatMap((p, i) =>
          p.name === "system"
            ? [issueAt(path(i), '"system" is the cluster\'s own system pool; name this pool otherwise')]
            : [],
        ),
      ];
    });
  },
};
