import type { OnPremRouter, RouterTunnel } from "./router";

/**
 * Seconds before a lifetime ends at which strongSwan rekeys (and the spread it adds): AWS's default
 * rekey margin, so both ends rekey in the same window and neither lets an SA expire.
 */
export const REKEY_MARGIN_SECONDS = 540;

function connection(router: OnPremRouter, tunnel: RouterTunnel): string {
  const p = router.proposals;
  return `    ${tunnel.name} {
        version = 2
        local_addrs = ${router.publicIp}
        remote_addrs = ${tunnel.peerOutside}
        proposals = ${p.ike}
        rekey_time = ${p.ikeRekeySeconds - REKEY_MARGIN_SECONDS}s
        over_time = ${REKEY_MARGIN_SECONDS}s
        rand_time = ${REKEY_MARGIN_SECONDS}s
        dpd_delay = ${p.dpdDelaySeconds}s
        mobike = no
        unique = replace
        keyingtries = 0
        # Route-based: the XFRM interface with this id carries the tunnel; BGP decides what enters it.
        if_id_in = ${tunnel.ifId}
        if_id_out = ${tunnel.ifId}
        local {
            auth = psk
            id = ${router.publicIp}
        }
        remote {
            auth = psk
            id = ${tunnel.peerOutside}
        }
        children {
            ${tunnel.name} {
                mode = tunnel
                local_ts = 0.0.0.0/0
                remote_ts = 0.0.0.0/0
                esp_proposals = ${p.esp}
                rekey_time = ${p.childRekeySeconds - REKEY_MARGIN_SECONDS}s
                life_time = ${p.childRekeySeconds}s
                rand_time = ${REKEY_MARGIN_SECONDS}s
                start_action = start
                dpd_action = restart
                close_action = start
            }
        }
    }`;
}

function secret(tunnel: RouterTunnel): string {
  return `    ike-${tunnel.name} {
        id = ${tunnel.peerOutside}
        secret = "${tunnel.presharedKey}"
    }`;
}

/**
 * The router's `/etc/swanctl/swanctl.conf`: one IKEv2 connection per cloud tunnel, exactly the
 * suite's proposals (nothing weaker is offered or accepted), 0.0.0.0/0 selectors bound to an XFRM
 * interface per tunnel, DPD, and lifetimes that rekey inside the clouds' windows. It holds the
 * pre-shared keys: a secret.
 */
export function renderSwanctlConf(router: OnPremRouter): string {
  return `# swanctl.conf rendered by hybrid-ai-infra: IKEv2 only, ${router.proposals.ike}.
# Keep charon.plugins.kernel-netlink.install_routes_xfrmi at its default, no (routes come from BGP); one XFRM
# interface per tunnel (see the interfaces script rendered beside this file).
connections {
${router.tunnels.map((t) => connection(router, t)).join("\n")}
}

secrets {
${router.tunnels.map(secret).join("\n")}
}
`;
}

/** Commands that create each tunnel's XFRM interface with its inside address (run once at boot, as root). */
export function renderInterfacesScript(router: OnPremRouter, uplink = "eth0"): string {
  const sources = [...new Set(router.tunnels.flatMap((t) => (t.bgpSource ? [t.bgpSource] : [])))];
  const lines = [
    ...sources.map((address) => `ip address add ${address}/32 dev lo`),
    ...router.tunnels.flatMap((t) => [
      `ip link add xfrm-${t.ifId} type xfrm dev ${uplink} if_id ${t.ifId}`,
      // AWS and Azure do not reassemble encrypted fragments: keep packets under the tunnel MTU.
      `ip link set xfrm-${t.ifId} mtu 1436 up`,
      t.bgpSource
        ? `ip route add ${t.peerInside}/32 dev xfrm-${t.ifId} src ${t.bgpSource}`
        : `ip address add ${t.localInside} dev xfrm-${t.ifId}`,
    ]),
  ];
  return `#!/bin/sh
# XFRM interfaces of the hybrid-ai-infra tunnels (rendered); ${uplink} is the router's uplink.
set -e
${lines.join("\n")}
iptables -t mangle -A FORWARD -o xfrm-+ -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
`;
}
