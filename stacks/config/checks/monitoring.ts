import type { ConfigCheck } from "./check";
import { issueAt } from "./check";

/**
 * The clouds' metrics stores are made by the stack; on-premises has its own, and config must name
 * it (or turn monitoring off). A store for a site that is not there is a typo.
 */
export const monitoringStoresGiven: ConfigCheck = {
  name: "a metrics store for every site",
  check: (sites) => {
    const monitoring = sites.config.monitoring;
    if (monitoring?.enabled === false) return [];
    if (sites.onprem && !monitoring?.onprem)
      return [
        issueAt(
          ["monitoring", "onprem", "remoteWriteUrl"],
          `is not set, and onprem "${sites.onprem.name}" needs a Prometheus-compatible store for its metrics; give its remote-write URL (https), or set monitoring.enabled: false`,
        ),
      ];
    if (!sites.onprem && monitoring?.onprem)
      return [
        issueAt(
          ["monitoring", "onprem"],
          "names a store for an on-premises site, and the config has no onprem",
        ),
      ];
    return [];
  },
};
