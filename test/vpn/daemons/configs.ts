// The files the harness owns: strongswan.conf (which plugins, where the vici socket and the log
// are, what charon may do to routing) and FRR's lab-only lines. The swanctl.conf and the
// bgpd configuration come from the caller, as a library renders them.

/**
 * charon's plugins. kernel-libipsec (userspace ESP on a TUN device, ipsec0) must come before
 * kernel-netlink: the first plugin providing the kernel-ipsec feature wins, and kernel-netlink
 * still provides addresses, routes and events. No updown plugin: an `updown` script a production
 * config names is not run here.
 */
const CHARON_PLUGINS =
  "random nonce openssl gcm aes sha1 sha2 hmac kdf gmp pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici";

/** The routing table kernel-libipsec fills (it ignores install_routes = no); see README in withRouters. */
export const CHARON_ROUTING_TABLE = 220;

/** strongswan.conf for one router, read by charon and swanctl through STRONGSWAN_CONF. */
export function strongswanConf(paths: { vici: string; charonLog: string }): string {
  return `# Written by test/vpn/daemons (lab only): used through STRONGSWAN_CONF by charon and swanctl.
charon {
    # Exactly these plugins; /etc/strongswan.d is not read (it says load = no for kernel-libipsec).
    load_modular = no
    load = ${CHARON_PLUGINS}
    # Route-based: forwarding into ipsec0 is decided by the main table (inside /30, BGP routes).
    # kernel-libipsec installs a route per outbound policy into routing_table anyway; the harness
    # deletes the ip rule that would consult that table.
    install_routes = no
    install_virtual_ip = no
    routing_table = ${CHARON_ROUTING_TABLE}
    routing_table_prio = ${CHARON_ROUTING_TABLE}
    # Fail fast in a lab (a site's own strongswan.conf, read after this, may say otherwise).
    retransmit_tries = 3
    retransmit_timeout = 2.0
    retransmit_base = 1.4
    filelog {
        charonlog {
            path = ${paths.charonLog}
            time_format = %H:%M:%S
            ike_name = yes
            append = no
            # ike 2: proposals, notifies and state changes. cfg and knl 1: at 2 every vici client
            # and every address event is logged, burying what failed.
            default = 1
            ike = 2
            cfg = 1
            knl = 1
            esp = 1
            flush_line = yes
        }
    }
    syslog {
        daemon {
            default = -1
        }
    }
    plugins {
        vici {
            socket = unix://${paths.vici}
        }
        kernel-libipsec {
            load = yes
        }
    }
}
swanctl {
    # Without a list swanctl tries every compiled-in plugin and complains about the absent ones.
    load = random openssl pem pkcs1 x509 pubkey
    socket = unix://${paths.vici}
}
`;
}

/** zebra's configuration: nothing but the lab's hostname and log file. */
export function zebraConf(hostname: string, log: string): string {
  return `! Written by test/vpn/daemons (lab only).
hostname ${hostname}
log file ${log} informational
!
`;
}

/**
 * The caller's bgpd configuration with the lab's hostname and log file: inserted after any leading
 * comments and `frr version` / `frr defaults` lines (FRR wants `frr defaults` first), before
 * anything else, so a `log file` of the caller's own would win.
 */
export function bgpdConf(rendered: string, hostname: string, log: string): string {
  const lines = rendered.split("\n");
  let at = 0;
  while (at < lines.length && /^\s*(!.*|#.*|frr (version|defaults)\b.*)?$/.test(lines[at] ?? "")) at += 1;
  const lab = [
    "! Lab-only lines added by test/vpn/daemons/harness.ts:",
    `hostname ${hostname}`,
    `log file ${log} informational`,
    "!",
  ];
  return [...lines.slice(0, at), ...lab, ...lines.slice(at)].join("\n");
}

/** The /etc/swanctl layout `swanctl --load-all --file` looks for next to the file. */
export const SWANCTL_SUBDIRS = [
  "x509",
  "x509ca",
  "x509ocsp",
  "x509aa",
  "x509ac",
  "x509crl",
  "pubkey",
  "private",
  "rsa",
  "ecdsa",
  "bliss",
  "pkcs8",
  "pkcs12",
];
