import { BGP_CONNECT_RETRY_SECONDS, BGP_TIMERS } from "../../facts";
import type { OnPremRouter, RouterTunnel } from "./router";
import { ROUTER_VERSIONS } from "./strongswan";

/** The name of a tunnel's policy objects: its interface's, so several environments' files on one router never share one. */
const policyName = (t: RouterTunnel) => `XFRM${t.ifId}`;

/**
 * What the router accepts from and announces to one peer. In: only the peer site's own networks
 * (or parts of them) with an AS path of exactly the peer's ASN, so a route the peer learned from
 * a third site (AWS VPN CloudHub, Azure's gateway transit) is refused. Out: only the on-premises
 * prefixes, each carrying the other sites' ASNs, so a site that gets them passed on drops them.
 */
function peerPolicy(router: OnPremRouter, t: RouterTunnel): string[] {
  const name = policyName(t);
  const poison = [...new Set(router.otherSiteAsns)].filter((asn) => asn !== t.peerAsn && asn !== router.asn);
  return [
    `! ${t.name}: from ${t.peerEnd} AS ${t.peerAsn}, its networks only; to it, the on-premises prefixes only`,
    ...t.peerNetworks.map((p, i) => `ip prefix-list FROM-${name} seq ${5 + i * 5} permit ${p} le 32`),
    `bgp as-path access-list FROM-${name} permit ^${t.peerAsn}$`,
    ...router.prefixes.map((p, i) => `ip prefix-list TO-${name} seq ${5 + i * 5} permit ${p}`),
    `route-map FROM-${name} permit 10`,
    ` match ip address prefix-list FROM-${name}`,
    ` match as-path FROM-${name}`,
    `route-map TO-${name} permit 10`,
    ` match ip address prefix-list TO-${name}`,
    ...(poison.length > 0 ? [` set as-path prepend ${poison.join(" ")}`] : []),
    "!",
  ];
}

/**
 * The router's FRR `bgpd` configuration: an eBGP session to every cloud tunnel's inside address
 * with that cloud's timers (AWS 10/30 s, Azure 60/180 s), announcing the on-premises prefixes and
 * accepting from each peer only that peer's own networks. The router opens every session (it
 * retries after 10 s): Azure never opens BGP towards APIPA addresses.
 */
export function renderBgpdConf(router: OnPremRouter): string {
  const neighbors = router.tunnels.flatMap((t) => {
    const timers = BGP_TIMERS[t.peerEnd];
    return [
      ` neighbor ${t.peerInside} remote-as ${t.peerAsn}`,
      ` neighbor ${t.peerInside} description ${t.name}`,
      ` neighbor ${t.peerInside} timers ${timers.keepaliveSeconds} ${timers.holdSeconds}`,
      ` neighbor ${t.peerInside} timers connect ${BGP_CONNECT_RETRY_SECONDS}`,
      ...(t.bgpSource
        ? [
            ` neighbor ${t.peerInside} update-source ${t.bgpSource}`,
            ` neighbor ${t.peerInside} ebgp-multihop 2`,
          ]
        : []),
    ];
  });
  const families = router.tunnels.flatMap((t) => [
    `  neighbor ${t.peerInside} route-map FROM-${policyName(t)} in`,
    `  neighbor ${t.peerInside} route-map TO-${policyName(t)} out`,
  ]);
  return `! bgpd configuration rendered by hybrid-ai-infra
! ${ROUTER_VERSIONS}
frr defaults traditional
!
${router.tunnels.flatMap((t) => peerPolicy(router, t)).join("\n")}
router bgp ${router.asn}
 bgp router-id ${router.publicIp}
 no bgp network import-check
${neighbors.join("\n")}
 !
 address-family ipv4 unicast
${router.prefixes.map((p) => `  network ${p}`).join("\n")}
${families.join("\n")}
 exit-address-family
!
`;
}
