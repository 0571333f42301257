import type { OnPremRouter } from "./router";

/**
 * The router's FRR `bgpd` configuration: an eBGP session to every cloud tunnel's inside address,
 * with the clouds' timers (keepalive 10 s, hold 30 s), announcing the on-premises prefixes and
 * accepting only what is not one of them. The router starts the sessions: Azure does not open BGP
 * from APIPA addresses.
 */
export function renderBgpdConf(router: OnPremRouter): string {
  const neighbors = router.tunnels.flatMap((t) => [
    ` neighbor ${t.peerInside} remote-as ${t.peerAsn}`,
    ` neighbor ${t.peerInside} description ${t.name}`,
    ` neighbor ${t.peerInside} timers 10 30`,
    ...(t.bgpSource
      ? [
          ` neighbor ${t.peerInside} update-source ${t.bgpSource}`,
          ` neighbor ${t.peerInside} ebgp-multihop 2`,
        ]
      : []),
  ]);
  const families = router.tunnels.flatMap((t) => [
    `  neighbor ${t.peerInside} route-map FROM-CLOUD in`,
    `  neighbor ${t.peerInside} route-map TO-CLOUD out`,
  ]);
  return `! bgpd configuration rendered by hybrid-ai-infra
frr defaults traditional
!
ip prefix-list ONPREM seq 5 deny 0.0.0.0/0
${router.prefixes.map((p, i) => `ip prefix-list ONPREM seq ${10 + i * 5} permit ${p}`).join("\n")}
ip prefix-list NOT-ONPREM seq 5 deny 0.0.0.0/0
${router.prefixes.map((p, i) => `ip prefix-list NOT-ONPREM seq ${10 + i * 5} deny ${p} le 32`).join("\n")}
ip prefix-list NOT-ONPREM seq 1000 permit 0.0.0.0/0 le 32
!
route-map TO-CLOUD permit 10
 match ip address prefix-list ONPREM
!
route-map FROM-CLOUD permit 10
 match ip address prefix-list NOT-ONPREM
!
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
