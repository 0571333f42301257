import { insideSlot, LINK_KINDS } from "../../../components/facts";
import type { CheckIssue, ConfigCheck } from "./check";
import { issueAt } from "./check";

/** Each link joins two configured sites once; an on-premises end needs its router and network. */
export const linksJoinSites: ConfigCheck = {
  name: "VPN links join two configured sites once",
  check: (sites) => {
    const seen = new Map<string, number>();
    return sites.links.flatMap((link, i): CheckIssue[] => {
      const path = [...link.path, "sites"];
      const [a, b] = link.sites;
      const issues: CheckIssue[] = [];
      if (a === b) issues.push(issueAt(path, `joins ${a} to itself; a link joins two sites`));
      const first = seen.get(link.pair);
      if (first !== undefined) issues.push(issueAt(path, `repeats vpn.links[${first}]`));
      seen.set(link.pair, i);
      for (const site of link.sites)
        if (!sites.of(site)) issues.push(issueAt(path, `names ${site}, which the config does not have`));
      const onprem = sites.onprem;
      if (onprem && link.sites.includes("onprem") && a !== b) {
        if (!onprem.config.router)
          issues.push(
            issueAt(
              ["onprem", "router"],
              `is not set, and vpn.links[${i}] ends on-premises; give the router's publicIp and asn`,
            ),
          );
        if (!onprem.networkCidr)
          issues.push(
            issueAt(["onprem", "networkCidr"], `is not set, and vpn.links[${i}] announces it over BGP`),
          );
      }
      if (a !== b && !(LINK_KINDS as readonly string[]).includes(link.pair))
        issues.push(issueAt(path, `joins ${a} and ${b}; links join ${LINK_KINDS.join(", ")}`));
      return issues;
    });
  },
};

/** No two links take one inside /28 (an explicit insideCidr may hit another link's default). */
export const linksOwnSlots: ConfigCheck = {
  name: "VPN links take an inside /28 each",
  check: (sites) => {
    const taken = new Map<number, number>();
    return sites.links.flatMap((link, i): CheckIssue[] => {
      const first = taken.get(link.slot);
      if (first === undefined) {
        taken.set(link.slot, i);
        return [];
      }
      return [
        issueAt(
          [...link.path, "insideCidr"],
          `takes ${insideSlot(link.slot)}, as vpn.links[${first}] does; give each link its own /28 of 169.254.21.0/24-169.254.22.0/24`,
        ),
      ];
    });
  },
};
