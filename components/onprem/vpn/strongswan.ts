import { AWS_TUNNEL_DEFAULTS, deadPeerSeconds, type StrongSwanProposals } from "../../facts";
import type { OnPremRouter, RouterTunnel } from "./router";

/**
 * Seconds before a lifetime ends from which strongSwan may rekey, and the random spread it adds:
 * AWS's default rekey margin (RekeyMarginTimeSeconds, 270 s), so the router rekeys inside the last
 * 540-270 s of a lifetime, before the lifetime both ends agree on runs out.
 */
export const REKEY_MARGIN_SECONDS = AWS_TUNNEL_DEFAULTS.rekeyMarginSeconds;

/** What the rendered files need, said once in each file's header. */
export const ROUTER_VERSIONS =
  "Needs strongSwan 5.8.0 or later (XFRM interfaces, if_id_in/if_id_out); tested with strongSwan 5.9.8 and FRR 8.4.4 (Debian 12).";

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
        # AWS advises turning IKE unique IDs off (a peer may set up a new IKE SA before the old one
        # goes); duplicates cannot arise at start, since only this router initiates.
        unique = no
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
                # The router is the one end that initiates (the clouds only answer), at start, after
                # a dead peer and after the peer closes the SA.
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
# ${ROUTER_VERSIONS}
# One XFRM interface per tunnel (the interfaces script rendered beside this file). Routes come from
# BGP: charon installs none (kernel-netlink's install_routes_xfrmi, 5.9.10 and later, stays off).
connections {
${router.tunnels.map((t) => connection(router, t)).join("\n")}
}

secrets {
${router.tunnels.map(secret).join("\n")}
}
`;
}

/**
 * charon's settings for the router (`/etc/strongswan.d/hybrid-ai-infra.conf`): how long an
 * unanswered request is retransmitted, which with `dpd_delay` decides how soon a dead peer is
 * noticed. They are global to charon, so they apply to every connection on the router.
 */
export function renderCharonConf(p: StrongSwanProposals): string {
  const { timeoutSeconds, base, tries } = p.retransmit;
  return `# charon settings rendered by hybrid-ai-infra (/etc/strongswan.d/hybrid-ai-infra.conf).
# ${ROUTER_VERSIONS}
# Dead-peer detection: a DPD request after ${p.dpdDelaySeconds} s without traffic, retransmitted ${tries} times
# (${timeoutSeconds} s, then x${base} each time): a silent peer is declared dead after ${deadPeerSeconds(p).toFixed(1)} s, within the
# clouds' own DPD timeout. strongSwan's defaults (4 s, x1.8, 5 tries) would take ${p.dpdDelaySeconds + 165} s.
charon {
    retransmit_timeout = ${timeoutSeconds}
    retransmit_base = ${base}
    retransmit_tries = ${tries}
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
      // AWS and Azure do not reassemble encrypted fragments: keep packets under the tunnel MTU
      // (AWS's table for the suite's ESP behind NAT; Azure's 1400).
      `ip link set xfrm-${t.ifId} mtu ${t.mtu.mtu} up`,
      t.bgpSource
        ? `ip route add ${t.peerInside}/32 dev xfrm-${t.ifId} src ${t.bgpSource}`
        : `ip address add ${t.localInside} dev xfrm-${t.ifId}`,
    ]),
    ...router.tunnels.map(
      (t) =>
        `iptables -t mangle -A FORWARD -o xfrm-${t.ifId} -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss ${t.mtu.mss}`,
    ),
  ];
  return `#!/bin/sh
# XFRM interfaces of the hybrid-ai-infra tunnels (rendered); ${uplink} is the router's uplink.
# ${ROUTER_VERSIONS}
set -e
${lines.join("\n")}
`;
}
