import { cidrContains } from "../../../components/validation";
import { routedNetworks } from "../sites";
import type { CheckIssue, ConfigCheck } from "./check";
import { issueAt } from "./check";

/**
 * The cluster phase talks to every cluster's API server, and the clouds' are private: it runs from
 * a site that reaches each of them, on that cluster's own network or over a VPN link, and from
 * ranges inside that site's network (the EKS endpoint admits exactly those).
 */
export const clusterPhaseReachesClusters: ConfigCheck = {
  name: "the cluster phase reaches every private API server",
  check: (sites) => {
    const deploy = sites.config.deploy;
    const clouds = sites.all.filter((s) => s.kind !== "onprem").map((s) => `${s.name} (${s.kind})`);
    if (!deploy)
      return clouds.length === 0
        ? []
        : [
            issueAt(
              ["deploy"],
              `is not set, and the cluster phase must reach the private API servers of ${clouds.join(" and ")}; say where it runs, e.g. deploy: { from: onprem, cidrs: [10.10.5.0/24] } with VPN links from there, or from a runner inside a cloud's network`,
            ),
          ];
    const from = sites.of(deploy.from);
    if (!from) return [issueAt(["deploy", "from"], `names ${deploy.from}, which the config does not have`)];
    const issues: CheckIssue[] = [];
    for (const target of sites.all) {
      if (target.kind === from.kind) continue;
      const joined = sites.links.some((l) => l.sites.includes(from.kind) && l.sites.includes(target.kind));
      if (!joined)
        issues.push(
          issueAt(
            ["deploy", "from"],
            `"${from.kind}" does not reach ${target.name} (${target.kind}): no VPN link joins them; add vpn.links: [{ sites: [${from.kind}, ${target.kind}] }], or run the cluster phase from a site that reaches every cluster`,
          ),
        );
    }
    const networks = routedNetworks(from);
    deploy.cidrs.forEach((cidr, i) => {
      const inside = networks.some((n) => cidrContains(n, cidr));
      if (!inside)
        issues.push(
          issueAt(
            ["deploy", "cidrs", i],
            networks.length === 0
              ? `cannot be checked: ${from.kind} declares no network; set ${from.kind === "onprem" ? "onprem.networkCidr" : "its network"}`
              : `"${cidr}" is not inside ${from.kind}'s network (${networks.join(", ")}); the cluster phase runs from ${from.kind}, so give the admin or runner ranges there`,
          ),
        );
    });
    return issues;
  },
};
