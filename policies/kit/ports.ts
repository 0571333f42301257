// Ports and protocols as firewall rules write them, normalised: AWS writes a protocol as `tcp`,
// `TCP`, `6` or `-1` (all), Azure as `Tcp`, `tcp` or `*`; a port as a number, a range `20-30`,
// `*`, or `fromPort`/`toPort` (0-65535 or -1 for all). Rules compare meanings, not spellings.
import { numberOf } from "./values";

export type Protocol = "tcp" | "udp" | "icmp" | "all" | "other";

/** A protocol by name or IANA number, whatever its spelling; undefined when it is not one. */
export function protocolOf(value: unknown): Protocol | undefined {
  // Not `token()`: it drops the `-` of `-1`, AWS's "all protocols".
  const t =
    typeof value === "number" ? String(value) : typeof value === "string" ? value.trim().toLowerCase() : "";
  if (t === "") return undefined;
  if (["-1", "all", "*", "any"].includes(t)) return "all";
  if (t === "tcp" || t === "6") return "tcp";
  if (t === "udp" || t === "17") return "udp";
  if (["icmp", "1", "icmpv6", "58"].includes(t)) return "icmp";
  return "other";
}

/** An inclusive port range. */
export interface PortRange {
  from: number;
  to: number;
}

export const ALL_PORTS: PortRange = { from: 0, to: 65535 };

/** AWS `fromPort`/`toPort`: both -1 (or all-protocol rules) mean every port. */
export function awsPorts(
  protocol: Protocol | undefined,
  fromPort: unknown,
  toPort: unknown,
): PortRange | undefined {
  if (protocol === "all") return ALL_PORTS;
  const from = numberOf(fromPort);
  const to = numberOf(toPort);
  if (from === undefined && to === undefined)
    return protocol === "tcp" || protocol === "udp" ? undefined : ALL_PORTS;
  if (from === -1 || to === -1) return ALL_PORTS;
  return { from: from ?? 0, to: to ?? from ?? 65535 };
}

/** An Azure port expression: `22`, `20-30`, `*`; undefined when it is not one. */
export function azurePorts(value: unknown): PortRange | undefined {
  if (typeof value === "number") return { from: value, to: value };
  if (typeof value !== "string") return undefined;
  const t = value.trim();
  if (t === "*" || t.toLowerCase() === "any") return ALL_PORTS;
  const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(t);
  if (!m) return undefined;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

export const inRange = (range: PortRange, port: number) => range.from <= port && port <= range.to;

/** How a range reads in a message. */
export function showRange(range: PortRange): string {
  if (range.from <= 0 && range.to >= 65535) return "every port";
  return range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
}

/** What a sensitive port is. */
export interface SensitivePort {
  port: number;
  protocols: readonly ("tcp" | "udp")[];
  service: string;
}

/**
 * Ports no rule may open to the internet: remote administration (SSH, RDP, WinRM, Telnet, VNC),
 * cluster and container APIs (Kubernetes, etcd, kubelet, Docker), and the data and file services
 * that AWS FSBP EC2.19 calls high-risk. Sources: AWS Security Hub EC2.19 and EC2.53/EC2.54, CIS
 * AWS 5.2/5.3, Checkov CKV_AWS_24/25, CKV_AZURE_9/10, the Kubernetes ports reference.
 */
export const SENSITIVE_PORTS: readonly SensitivePort[] = [
  { port: 20, protocols: ["tcp"], service: "FTP data" },
  { port: 21, protocols: ["tcp"], service: "FTP" },
  { port: 22, protocols: ["tcp"], service: "SSH" },
  { port: 23, protocols: ["tcp"], service: "Telnet" },
  { port: 25, protocols: ["tcp"], service: "SMTP" },
  { port: 53, protocols: ["tcp", "udp"], service: "DNS (an open resolver)" },
  { port: 110, protocols: ["tcp"], service: "POP3" },
  { port: 111, protocols: ["tcp", "udp"], service: "rpcbind" },
  { port: 135, protocols: ["tcp"], service: "Microsoft RPC" },
  { port: 137, protocols: ["udp"], service: "NetBIOS name" },
  { port: 138, protocols: ["udp"], service: "NetBIOS datagram" },
  { port: 139, protocols: ["tcp"], service: "NetBIOS session" },
  { port: 143, protocols: ["tcp"], service: "IMAP" },
  { port: 161, protocols: ["udp"], service: "SNMP" },
  { port: 389, protocols: ["tcp", "udp"], service: "LDAP" },
  { port: 445, protocols: ["tcp"], service: "SMB" },
  { port: 1433, protocols: ["tcp"], service: "SQL Server" },
  { port: 1434, protocols: ["udp"], service: "SQL Server browser" },
  { port: 1521, protocols: ["tcp"], service: "Oracle" },
  { port: 2049, protocols: ["tcp", "udp"], service: "NFS" },
  { port: 2375, protocols: ["tcp"], service: "Docker API" },
  { port: 2376, protocols: ["tcp"], service: "Docker API (TLS)" },
  { port: 2379, protocols: ["tcp"], service: "etcd" },
  { port: 2380, protocols: ["tcp"], service: "etcd peers" },
  { port: 3000, protocols: ["tcp"], service: "development servers" },
  { port: 3306, protocols: ["tcp"], service: "MySQL" },
  { port: 3389, protocols: ["tcp", "udp"], service: "RDP" },
  { port: 4333, protocols: ["tcp"], service: "mSQL" },
  { port: 5000, protocols: ["tcp"], service: "development servers" },
  { port: 5432, protocols: ["tcp"], service: "PostgreSQL" },
  { port: 5500, protocols: ["tcp"], service: "VNC" },
  { port: 5601, protocols: ["tcp"], service: "Kibana" },
  { port: 5900, protocols: ["tcp"], service: "VNC" },
  { port: 5985, protocols: ["tcp"], service: "WinRM" },
  { port: 5986, protocols: ["tcp"], service: "WinRM (TLS)" },
  { port: 6379, protocols: ["tcp"], service: "Redis" },
  { port: 6443, protocols: ["tcp"], service: "Kubernetes API" },
  { port: 8080, protocols: ["tcp"], service: "HTTP proxies and consoles" },
  { port: 8088, protocols: ["tcp"], service: "HTTP consoles" },
  { port: 8888, protocols: ["tcp"], service: "HTTP consoles (Jupyter)" },
  { port: 9200, protocols: ["tcp"], service: "Elasticsearch" },
  { port: 9300, protocols: ["tcp"], service: "Elasticsearch nodes" },
  { port: 10250, protocols: ["tcp"], service: "kubelet API" },
  { port: 10255, protocols: ["tcp"], service: "kubelet read-only API" },
  { port: 11211, protocols: ["tcp", "udp"], service: "memcached" },
  { port: 27017, protocols: ["tcp"], service: "MongoDB" },
];

/** The sensitive ports a rule of `protocol` over `range` opens. */
export function sensitiveIn(protocol: Protocol, range: PortRange): SensitivePort[] {
  if (protocol === "icmp" || protocol === "other") return [];
  return SENSITIVE_PORTS.filter(
    (p) => inRange(range, p.port) && (protocol === "all" || p.protocols.includes(protocol)),
  );
}

/** An authorized internet port as the config writes it: `443/tcp` (protocol defaults to tcp). */
export function parseAuthorized(text: string): { port: number; protocol: "tcp" | "udp" } | undefined {
  const m = /^(\d+)(?:\/(tcp|udp))?$/i.exec(text.trim());
  if (!m) return undefined;
  return { port: Number(m[1]), protocol: (m[2]?.toLowerCase() as "tcp" | "udp" | undefined) ?? "tcp" };
}
