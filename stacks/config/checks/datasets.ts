import { formatPath } from "../../../components/validation";
import type { ConfigCheck } from "./check";
import { issueAt } from "./check";

/** A dataset lives in one place; placement prices egress from there. */
export const datasetsHostedOnce: ConfigCheck = {
  name: "each dataset has one home",
  check: (sites) => {
    const homes = new Map<string, string>();
    return sites.all.flatMap((site) =>
      site.stores.flatMap((store) =>
        store.datasets.flatMap((dataset, j) => {
          const other = homes.get(dataset);
          homes.set(dataset, formatPath(store.path));
          return other
            ? [
                issueAt(
                  [...store.path, "datasets", j],
                  `dataset "${dataset}" is already hosted by ${other}; give it one home`,
                ),
              ]
            : [];
        }),
      ),
    );
  },
};

/** Workloads reach on-premises datasets only at the addresses config gives. */
export const onPremStorageGiven: ConfigCheck = {
  name: "on-premises datasets have storage addresses",
  check: ({ onprem }) =>
    onprem && onprem.stores.length > 0 && !onprem.storage
      ? [
          issueAt(
            ["onprem", "storage"],
            "is not set, and onprem.datasets are: give the addresses and ports that serve them, e.g. storage: { cidrs: [10.10.40.0/24], ports: [443] }, or workloads reading them have no egress to them",
          ),
        ]
      : [],
};
