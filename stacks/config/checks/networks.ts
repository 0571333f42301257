import { INSIDE_RANGES } from "../../../components/facts";
import { findOverlaps } from "../../../components/validation";
import type { SiteNetwork } from "../sites";
import type { ConfigCheck } from "./check";
import { issueAt } from "./check";

/**
 * Networks of one platform must not overlap: joined by VPN, routes become ambiguous; not yet
 * joined, cross-cluster rules (ipBlock of a peer's networks) would match the wrong pods. The links'
 * tunnel inside addresses are routed too (BGP peers over them): they come first, so a site's
 * network that overlaps them is the one named.
 */
export const networksDisjoint: ConfigCheck = {
  name: "networks do not overlap",
  check: (sites) => {
    const linked = sites.links.length > 0;
    const networks: SiteNetwork[] = [
      ...(linked ? INSIDE_RANGES.map((cidr) => ({ cidr, path: "vpn.links" })) : []),
      ...sites.all.flatMap((s) => s.networks),
    ];
    const rule = linked
      ? "networks joined by VPN must not overlap"
      : "the networks of one platform must not overlap (peer rules name them, and links may join them later)";
    const whose = (n: SiteNetwork) => (n.defaulted ? ` (${n.defaulted}; set ${n.path} to move it)` : "");
    return findOverlaps(networks.map((n) => ({ ...n, name: n.path }))).map(({ a, b }) =>
      issueAt(b.path.split("."), `"${b.cidr}"${whose(b)} overlaps ${a.path} "${a.cidr}"${whose(a)}; ${rule}`),
    );
  },
};
