// One site's gateway configuration for HAProxy (2.6 as Debian packages it, 3.4 as the image runs
// it: the text passes `haproxy -dW -c` on both). Every choice below was measured in a network
// namespace lab (docs/traffic.md): weighted power-of-two choices (leastconn ignores weights at
// light load), active HTTP checks plus live-traffic observation, retries redispatched to another
// site, idempotent replays only, local preference through backup servers. No Pulumi.
import type { Algorithm } from "./settings";

/** How quickly the gateway notices a site is lost or back, and how long it waits for answers. */
export interface GatewayTiming {
  /** TCP connect timeout to a site's entry (also a check's connect timeout, when shorter than `interMs`). */
  connectMs: number;
  /** Idle client timeout. */
  clientMs: number;
  /** Default longest response; a service's own `serverTimeoutMs` replaces it. */
  serverMs: number;
  /** A check's wait for its answer once connected. */
  checkMs: number;
  /** Checks of a healthy site, this far apart. */
  interMs: number;
  /** Checks of a site that just failed one, this far apart. */
  fastInterMs: number;
  /** Checks of a site that is DOWN, this far apart. */
  downInterMs: number;
  /** Failed checks in a row that mark a site DOWN. */
  fall: number;
  /** Passed checks in a row that mark it UP again. */
  rise: number;
  /** Attempts after the first on another site, for a request whose connection or answer failed. */
  retries: number;
  /** Connection errors in a row, seen on live traffic, that mark a site DOWN before its checks do. */
  errorLimit: number;
}

/** Production timings: a site lost is DOWN by checks alone within 6.5 s (`detectionWindowMs`). */
export const DEFAULT_TIMING: GatewayTiming = {
  connectMs: 1000,
  clientMs: 60_000,
  serverMs: 60_000,
  checkMs: 1000,
  interMs: 2000,
  fastInterMs: 500,
  downInterMs: 2000,
  fall: 2,
  rise: 3,
  retries: 3,
  errorLimit: 3,
};

/** One place a service answers: a site's internal load balancer address, or the local Service's name. */
export interface GatewayServer {
  /** Server name in HAProxy's logs and metrics (`site` or `site-a`, `site-b` for several addresses). */
  name: string;
  /** The site it belongs to. */
  site: string;
  /** IPv4 address or DNS name. */
  address: string;
  port: number;
  /** 1..256, relative to the backend's other servers. */
  weight: number;
}

/** One service the gateway fronts. */
export interface GatewayBackend {
  /** Backend name: the service's name (metrics read `proxy="<name>"`). */
  name: string;
  /** The gateway port clients use. */
  port: number;
  /** The service's private name: HTTP services sharing a port are told apart by it, and checks send it. */
  host: string;
  mode: "http" | "tcp";
  algorithm: Algorithm;
  /** HTTP health check path. */
  healthPath: string;
  /** The longest legitimate answer (HAProxy `timeout server`). */
  serverTimeoutMs: number;
  /** The gateway's own site: with `preferLocal`, its servers are active and the others backups. */
  preferLocal: boolean;
  servers: GatewayServer[];
}

/** One site's gateway. */
export interface GatewayConfig {
  /** The site whose gateway this is. */
  site: string;
  backends: GatewayBackend[];
  /** Address to bind; default every address (the pod's). */
  bindAddress?: string;
  /** Metrics (`/metrics`, Prometheus) and probe (`/healthz`) port; default 8404. */
  metricsPort?: number;
  /** Cap on file descriptors (HAProxy derives its connection limit from it); default 8192. */
  fdHardLimit?: number;
  /** Default `DEFAULT_TIMING`. */
  timing?: Partial<GatewayTiming>;
  /** `raw` (default: the container log adds timestamps) or `rfc5424` (timestamps in each line). */
  logFormat?: "raw" | "rfc5424";
}

/** The port the gateway serves metrics and its probe on. */
export const GATEWAY_METRICS_PORT = 8404;

/**
 * The longest time from a site failing to HAProxy marking it DOWN by health checks alone: a check
 * may just have passed (inter), then `fall` checks must fail, fastinter apart, each taking at most
 * its connect timeout (min(connect, inter)) plus `timeout check`. Live traffic usually marks it
 * sooner (`observe layer4`); this is the bound the config promises.
 */
export function detectionWindowMs(timing: Partial<GatewayTiming> = {}): number {
  const t = { ...DEFAULT_TIMING, ...timing };
  const perCheck = Math.min(t.connectMs, t.interMs) + t.checkMs;
  return t.interMs + (t.fall - 1) * t.fastInterMs + t.fall * perCheck;
}

const ms = (v: number) => `${v}ms`;

/** HAProxy's configuration for one site's gateway, and the detection window it promises. */
export function renderGatewayConfig(config: GatewayConfig): { text: string; detectionWindowMs: number } {
  const t = { ...DEFAULT_TIMING, ...config.timing };
  const bind = config.bindAddress ?? "";
  const lines = [
    `# HAProxy gateway for site ${config.site}, rendered by hybrid-ai-infra; edits are overwritten.`,
    "global",
    // To the container's stderr; no chroot, user, pidfile or stats socket: it runs as any non-root
    // user on a read-only root filesystem.
    `    log stderr format ${config.logFormat ?? "raw"} local0 info`,
    // No global maxconn: HAProxy derives it from the descriptor limit, capped here. A fixed maxconn
    // above what a non-root process may raise its limit to stops HAProxy at start.
    `    fd-hard-limit ${config.fdHardLimit ?? 8192}`,
    // In-flight requests get 30 s to finish on a soft stop (the pod's grace period is longer).
    "    hard-stop-after 30s",
    "",
    "defaults",
    "    mode http",
    "    log global",
    "    option dontlognull",
    "    option log-health-checks",
    `    timeout connect ${ms(t.connectMs)}`,
    `    timeout client ${ms(t.clientMs)}`,
    `    timeout server ${ms(t.serverMs)}`,
    "    timeout http-request 10s",
    "    timeout http-keep-alive 10s",
    "    timeout queue 5s",
    `    timeout check ${ms(t.checkMs)}`,
    // A request whose connection fails, or whose site closes or stalls before answering, is tried
    // again, each time on another site (redispatch 1), at most `retries` times.
    `    retries ${t.retries}`,
    "    option redispatch 1",
    "    retry-on conn-failure empty-response response-timeout",
    "",
  ];
  const byPort = new Map<number, GatewayBackend[]>();
  for (const b of config.backends) byPort.set(b.port, [...(byPort.get(b.port) ?? []), b]);
  for (const [port, backends] of [...byPort].sort(([a], [b]) => a - b)) {
    const tcp = backends.filter((b) => b.mode === "tcp");
    if (tcp.length > 0 && backends.length > 1)
      throw new Error(
        `gateway ${config.site}: port ${port}: TCP service ${tcp[0]?.name} cannot share a port (${backends.map((b) => b.name).join(", ")})`,
      );
    // HAProxy 3.3+ refuses a frontend and a backend of one name: frontends are named by port.
    lines.push(`frontend fe-${port}`, `    bind ${bind}:${port}`);
    if (tcp.length > 0) {
      lines.push("    mode tcp", "    option tcplog", `    default_backend ${backends[0]?.name}`, "");
      continue;
    }
    lines.push(
      "    option httplog",
      // A failed connection is always safe to retry (nothing was sent); a request that reached a
      // site is replayed only when repeating it does no harm.
      "    acl idempotent method GET HEAD OPTIONS PUT DELETE",
      "    http-request disable-l7-retry unless idempotent",
    );
    if (backends.length === 1) {
      lines.push(`    default_backend ${backends[0]?.name}`, "");
      continue;
    }
    // Several HTTP services on one port: the Host header picks, an unknown host gets 421.
    lines.push(
      `    acl known_host req.hdr(host),host_only -m str -i ${backends.map((b) => b.host).join(" ")}`,
      "    http-request deny deny_status 421 unless known_host",
      ...backends.map((b) => `    use_backend ${b.name} if { req.hdr(host),host_only -m str -i ${b.host} }`),
      "",
    );
  }
  const check = ` check inter ${ms(t.interMs)} fastinter ${ms(t.fastInterMs)} downinter ${ms(t.downInterMs)} fall ${t.fall} rise ${t.rise} observe layer4 error-limit ${t.errorLimit} on-error mark-down`;
  for (const b of [...config.backends].sort((x, y) => x.name.localeCompare(y.name))) {
    lines.push(`backend ${b.name}`, `    balance ${b.algorithm}`);
    if (b.mode === "tcp") {
      // The check is a TCP connect; retries and redispatch still cover failed connections.
      lines.push("    mode tcp");
    } else {
      lines.push(
        "    option httpchk",
        `    http-check send meth GET uri ${b.healthPath} ver HTTP/1.1 hdr host ${b.host}`,
        "    http-check expect status 200",
      );
    }
    lines.push(`    timeout server ${ms(b.serverTimeoutMs)}`);
    // Every other site is a backup, used (all of them, by weight) only while no local server is UP.
    const backups = b.preferLocal && b.servers.some((s) => s.site === config.site);
    if (backups) lines.push("    option allbackups");
    for (const s of b.servers) {
      // A DNS name (the local Service) is resolved again while running, so a recreated Service is
      // followed; the gateway still starts when it does not resolve yet.
      const named = !/^\d+\.\d+\.\d+\.\d+$/.test(s.address);
      const resolve = named ? " resolvers cluster init-addr last,libc,none" : "";
      const backup = backups && s.site !== config.site ? " backup" : "";
      lines.push(`    server ${s.name} ${s.address}:${s.port} weight ${s.weight}${check}${resolve}${backup}`);
    }
    lines.push("");
  }
  if (config.backends.some((b) => b.servers.some((s) => !/^\d+\.\d+\.\d+\.\d+$/.test(s.address)))) {
    // The pod's resolver (cluster DNS), for the local Service's name.
    lines.push("resolvers cluster", "    parse-resolv-conf", "    hold valid 10s", "");
  }
  lines.push(
    "frontend metrics",
    `    bind ${bind}:${config.metricsPort ?? GATEWAY_METRICS_PORT}`,
    // Scrapes and probes are not worth a line each; failed ones still are.
    "    option httplog",
    "    option dontlog-normal",
    "    http-request use-service prometheus-exporter if { path /metrics }",
    "    monitor-uri /healthz",
    "    http-request deny",
    "",
  );
  return { text: lines.join("\n"), detectionWindowMs: detectionWindowMs(t) };
}
