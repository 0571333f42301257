import { tunnelInsides } from "../../components/facts";
import type { MonitoredTunnel } from "../../components/monitoring";
import type { SiteKind, Sites } from "../config";

// The tunnels each cloud reports on, known from the config alone (VpnLink names tunnels
// `<link>-<n>` and draws inside addresses from the link's slot), so the rules are plain values
// before anything is declared. test/stacks/monitoring.test.ts checks these against the links the
// plan declares.

/** How many tunnels a link of each pair has (components/vpn/links.ts). */
const TUNNELS: Record<string, number> = { "aws-onprem": 2, "aws-azure": 4, "azure-onprem": 2 };

/** A link's name as `VpnLink` is named: its ends' names, in config order. */
function linkName(sites: Sites, kinds: [SiteKind, SiteKind]): string {
  return kinds.map((k) => (k === "onprem" ? (sites.onprem?.name ?? k) : k)).join("-");
}

/**
 * The tunnels each site's cloud reports on, by site kind: AWS per tunnel (its exporter's job is
 * named for the tunnel), Azure per BGP peer (AWS's inside address, or the on-premises router's,
 * which both of Azure's tunnels to it share). On-premises reports none: the clouds' ends cover
 * every link (its router's own view is not collected).
 */
export function tunnelsBySite(sites: Sites): Partial<Record<SiteKind, MonitoredTunnel[]>> {
  const out: Partial<Record<SiteKind, MonitoredTunnel[]>> = {};
  const add = (kind: SiteKind, t: MonitoredTunnel) => {
    out[kind] = [...(out[kind] ?? []), t];
  };
  for (const link of sites.links) {
    const name = linkName(sites, link.sites);
    const count = TUNNELS[link.pair] ?? 0;
    const insides = tunnelInsides(link.slot, count);
    insides.forEach((inside, i) => {
      const tunnel = `${name}-${i + 1}`;
      if (link.sites.includes("aws")) add("aws", { link: name, tunnel, peer: tunnel });
      if (link.pair === "aws-azure") add("azure", { link: name, tunnel, peer: inside.first });
      if (link.pair === "azure-onprem")
        add("azure", { link: name, tunnel, peer: (insides[0] ?? inside).second });
    });
  }
  return out;
}
