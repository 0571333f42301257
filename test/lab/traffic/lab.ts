// Network-namespace lab for the cross-site gateway: a gateway namespace (HAProxy and the load
// generator) and one namespace per site (its service, bound to the entry address the traffic plan
// pinned for it), joined by a bridge in a namespace of its own. Nothing runs in the root namespace
// but `ip`; every address is in LAB_BLOCK, so traffic stays inside the namespaces this run made.
// Every name carries this process's pid; `close()` kills what it started (by pid, then whatever is
// left inside its namespaces) and deletes the namespaces, also after a failure; a later run sweeps
// what a killed run left behind.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cidrContains } from "../../../components/validation";

/** Every address the lab uses; a gateway config forwarding anywhere else is refused. */
export const LAB_BLOCK = "10.77.0.0/24";
const PREFIX = "hxt";
const HERE = __dirname;

/** A site in the lab: its name and the address its service answers on (the plan's entry address). */
export interface LabSite {
  name: string;
  address: string;
  /** Milliseconds the service waits before answering a request (not /healthz). */
  delayMs?: number;
}

/** What the load generator reports. */
export interface LoadSummary {
  startEpochMs: number;
  total: number;
  ok: number;
  failed: number;
  seconds: number;
  rps: number;
  perSite: Record<string, number>;
  latencyMs: { p50: number; p99: number; max: number };
}

/** One request as the load generator logged it: start offset and duration (ms), status, site, error. */
export interface LoggedRequest {
  t: number;
  d: number;
  s: number;
  site?: string | null;
  err?: string;
}

function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Deletes namespaces an earlier, killed run of this lab left (their pid is gone). */
function sweep(): void {
  const names = ip("netns", "list")
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(`${PREFIX}-`));
  for (const name of names) {
    const pid = Number(name.split("-")[1]);
    if (Number.isInteger(pid) && !alive(pid)) removeNamespace(name);
  }
}

function removeNamespace(name: string): void {
  try {
    for (const pid of ip("netns", "pids", name).split("\n").filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // already gone
      }
    }
  } catch {
    // no such namespace
  }
  try {
    ip("netns", "del", name);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The lab: namespaces up, services and the gateway started on demand. */
export class GatewayLab {
  readonly dir = mkdtempSync(join(tmpdir(), "hybrid-ai-infra-traffic-"));
  private readonly tag = `${PREFIX}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  private readonly children = new Set<ChildProcess>();
  private readonly backends = new Map<string, ChildProcess>();
  private readonly namespaces: string[] = [];

  private constructor(
    readonly gatewayAddress: string,
    readonly sites: LabSite[],
  ) {}

  /** Creates the namespaces and the bridge; every address must be in LAB_BLOCK. */
  static start(gatewayAddress: string, sites: LabSite[]): GatewayLab {
    for (const a of [gatewayAddress, ...sites.map((s) => s.address)])
      if (!cidrContains(LAB_BLOCK, `${a}/32`)) throw new Error(`lab address ${a} is outside ${LAB_BLOCK}`);
    sweep();
    const lab = new GatewayLab(gatewayAddress, sites);
    try {
      lab.up();
    } catch (e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private ns(role: string): string {
    return `${this.tag}-${role}`;
  }

  private up(): void {
    const br = this.ns("br");
    ip("netns", "add", br);
    this.namespaces.push(br);
    ip("-n", br, "link", "set", "lo", "up");
    ip("-n", br, "link", "add", "br0", "type", "bridge");
    ip("-n", br, "link", "set", "br0", "up");
    const roles = [
      { role: "gw", address: this.gatewayAddress },
      ...this.sites.map((s) => ({ role: s.name, address: s.address })),
    ];
    roles.forEach(({ role, address }, i) => {
      const name = this.ns(role);
      ip("netns", "add", name);
      this.namespaces.push(name);
      ip("-n", name, "link", "set", "lo", "up");
      ip("link", "add", "eth0", "netns", name, "type", "veth", "peer", "name", `p${i}`, "netns", br);
      ip("-n", br, "link", "set", `p${i}`, "master", "br0", "up");
      ip("-n", name, "addr", "add", `${address}/24`, "dev", "eth0");
      ip("-n", name, "link", "set", "eth0", "up");
    });
  }

  private spawnIn(
    role: string,
    command: string[],
    logFile: string,
    env: NodeJS.ProcessEnv = {},
  ): ChildProcess {
    // stderr straight to a file: HAProxy writes its log to stderr without blocking and drops what a
    // full pipe will not take, so a pipe read by this (busy) process lost request lines under load.
    const fd = openSync(join(this.dir, logFile), "w");
    try {
      const child = spawn("ip", ["netns", "exec", this.ns(role), ...command], {
        stdio: ["ignore", "ignore", fd],
        env: { ...process.env, ...env },
      });
      this.children.add(child);
      child.on("exit", () => this.children.delete(child));
      return child;
    } finally {
      closeSync(fd);
    }
  }

  /** A bounded check from the gateway namespace: at most `tries` x 50 ms. */
  async waitHttp(url: string, tries = 100): Promise<void> {
    for (let i = 0; i < tries; i++) {
      try {
        execFileSync(
          "ip",
          ["netns", "exec", this.ns("gw"), "curl", "-fsS", "-o", "/dev/null", "--max-time", "1", url],
          {
            stdio: "ignore",
          },
        );
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`not answering from the gateway namespace: ${url}`);
  }

  /** Starts a site's service on its entry address. */
  async startBackend(site: string, port: number): Promise<void> {
    const s = this.sites.find((x) => x.name === site);
    if (!s) throw new Error(`no lab site ${site}`);
    const child = this.spawnIn(
      site,
      ["node", join(HERE, "backend.mjs"), s.address, String(port), site, String(s.delayMs ?? 0)],
      `backend-${site}.log`,
    );
    this.backends.set(site, child);
    await this.waitHttp(`http://${s.address}:${port}/healthz`);
  }

  /** Kills a site's service at once (SIGKILL): its connections are reset, new ones refused. */
  async killBackend(site: string): Promise<void> {
    const child = this.backends.get(site);
    if (!child) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    this.backends.delete(site);
  }

  /** Cuts a site off (its bridge port down: packets to it vanish, as over a lost tunnel), or restores it. */
  partition(site: string, state: "down" | "up"): void {
    const index = this.sites.findIndex((s) => s.name === site) + 1;
    if (index === 0) throw new Error(`no lab site ${site}`);
    ip("-n", this.ns("br"), "link", "set", `p${index}`, state);
  }

  /** Runs a bounded wrk (duration `seconds`) from the gateway namespace; returns requests/s. */
  wrk(url: string, seconds: number, connections: number): number {
    if (!cidrContains(LAB_BLOCK, `${new URL(url).hostname}/32`)) throw new Error(`${url} is outside the lab`);
    const out = execFileSync(
      "ip",
      ["netns", "exec", this.ns("gw"), "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, url],
      { encoding: "utf8" },
    );
    return Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? Number.NaN);
  }

  /** The gateway's log (stderr), HAProxy's own view: checks, state changes, every request. */
  gatewayLog(): string {
    return readFileSync(join(this.dir, "haproxy.log"), "utf8");
  }

  /** Where the gateway's log ends now: pass it to `settledGatewayLog` to read what a run adds. */
  gatewayLogOffset(): number {
    return this.gatewayLog().length;
  }

  /**
   * The gateway's log from `offset` (see `gatewayLogOffset`), once it holds `count` request lines
   * of `backend`: HAProxy logs a request after the client has its answer. Cut by offset, not by
   * time: HAProxy stamps a request with its clock as of the event loop's last wake-up, which on a
   * starved machine can precede the client's own start. Bounded: at most `tries` x 100 ms, then
   * the log as it is (the caller's count check fails and says so).
   */
  async settledGatewayLog(backend: string, offset: number, count: number, tries = 50): Promise<string> {
    let text = this.gatewayLog().slice(offset);
    for (let i = 0; i < tries && parseGatewayLog(text, backend).requests.length < count; i++) {
      await sleep(100);
      text = this.gatewayLog().slice(offset);
    }
    return text;
  }

  /** Starts HAProxy with `config` in the gateway namespace; waits for its probe and for `upServers` UP. */
  async startGateway(config: string, wait: { proxy: string; upServers: number }): Promise<void> {
    for (const m of config.matchAll(/^\s+server \S+ (\d+\.\d+\.\d+\.\d+):\d+/gm))
      if (!cidrContains(LAB_BLOCK, `${m[1]}/32`))
        throw new Error(`the gateway forwards to ${m[1]}, outside the lab`);
    const file = join(this.dir, "haproxy.cfg");
    writeFileSync(file, config);
    this.spawnIn("gw", ["haproxy", "-f", file, "-db"], "haproxy.log", { TZ: "UTC" });
    await this.waitHttp(`http://${this.gatewayAddress}:8404/healthz`);
    for (let i = 0; i < 100; i++) {
      const up = this.metrics()
        .split("\n")
        .filter(
          (l) => l.startsWith(`haproxy_server_status{proxy="${wait.proxy}",`) && l.includes('state="UP"} 1'),
        );
      if (up.length >= wait.upServers) return;
      await sleep(100);
    }
    throw new Error(`the gateway's servers did not come UP:\n${this.gatewayLog().slice(-2000)}`);
  }

  /** Waits (at most `tries` x 100 ms) until HAProxy reports `server` of `proxy` in `state`; false if it never does. */
  async waitServerState(proxy: string, server: string, state: "UP" | "DOWN", tries = 100): Promise<boolean> {
    const line = `haproxy_server_status{proxy="${proxy}",server="${server}",state="${state}"} 1`;
    for (let i = 0; i < tries; i++) {
      if (this.metrics().split("\n").includes(line)) return true;
      await sleep(100);
    }
    return false;
  }

  /** The gateway's Prometheus metrics. */
  metrics(): string {
    return execFileSync(
      "ip",
      [
        "netns",
        "exec",
        this.ns("gw"),
        "curl",
        "-fsS",
        "--max-time",
        "2",
        `http://${this.gatewayAddress}:8404/metrics`,
      ],
      { encoding: "utf8" },
    );
  }

  /** Runs the bounded load generator in the gateway namespace and returns its summary (and every request). */
  async load(args: { url: string; n: number; c: number; rate?: number; timeoutMs?: number }): Promise<{
    summary: LoadSummary;
    requests: LoggedRequest[];
  }> {
    if (!cidrContains(LAB_BLOCK, `${new URL(args.url).hostname}/32`))
      throw new Error(`${args.url} is outside the lab`);
    const out = join(this.dir, `load-${Date.now()}.json`);
    const command = [
      "node",
      join(HERE, "load.mjs"),
      "--url",
      args.url,
      "--n",
      String(args.n),
      "--c",
      String(args.c),
      "--timeout",
      String(args.timeoutMs ?? 10_000),
      "--out",
      out,
      ...(args.rate ? ["--rate", String(args.rate)] : []),
    ];
    const child = this.spawnIn("gw", command, "load.log");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0)
      throw new Error(
        `the load generator failed (${code}): ${readFileSync(join(this.dir, "load.log"), "utf8")}`,
      );
    const doc = JSON.parse(readFileSync(out, "utf8")) as { summary: LoadSummary; log: LoggedRequest[] };
    return { summary: doc.summary, requests: doc.log };
  }

  /** Kills everything this lab started and deletes its namespaces; safe to call twice. */
  close(): void {
    for (const child of this.children) child.kill("SIGKILL");
    for (const name of [...this.namespaces].reverse()) removeNamespace(name);
    this.namespaces.length = 0;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A state change of a server, from the gateway's RFC 5424 log. */
export interface StateChange {
  /** Epoch ms. */
  at: number;
  server: string;
  state: "UP" | "DOWN";
}

/** A request line of the gateway's log (httplog): when it was accepted, where it went, its retries. */
export interface GatewayRequest {
  /** Epoch ms it was accepted. */
  at: number;
  server: string;
  status: number;
  retries: number;
  redispatched: boolean;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** Reads HAProxy's log (RFC 5424 lines, TZ=UTC) for `backend`: server state changes and requests. */
export function parseGatewayLog(
  text: string,
  backend: string,
): { changes: StateChange[]; requests: GatewayRequest[] } {
  const changes: StateChange[] = [];
  const requests: GatewayRequest[] = [];
  const stateRe = new RegExp(`^<\\d+>1 (\\S+) .*Server ${backend}/(\\S+) is (DOWN|UP)`);
  // "[05/Dec/2026:08:01:25.326] fe-8080 storefront/s3 0/505/0/4/509 200 135 - - ---- 32/32/31/1/+1"
  const requestRe = new RegExp(
    `\\[(\\d\\d)/(\\w{3})/(\\d{4}):(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})\\] fe-\\S+ ${backend}/(\\S+) \\S+ (-?\\d+) .* \\d+/\\d+/\\d+/\\d+/(\\+?)(\\d+) `,
  );
  for (const line of text.split("\n")) {
    const s = line.match(stateRe);
    if (s) {
      changes.push({
        at: Date.parse((s[1] ?? "").replace(/(\.\d{3})\d+/, "$1")),
        server: s[2] ?? "",
        state: s[3] as "UP" | "DOWN",
      });
      continue;
    }
    const r = line.match(requestRe);
    if (r) {
      const [, dd, mon, yyyy, hh, mi, ss, mss, server, status, plus, retries] = r;
      requests.push({
        at: Date.UTC(
          Number(yyyy),
          MONTHS[mon ?? ""] ?? 0,
          Number(dd),
          Number(hh),
          Number(mi),
          Number(ss),
          Number(mss),
        ),
        server: server ?? "",
        status: Number(status),
        retries: Number(retries),
        redispatched: plus === "+",
      });
    }
  }
  return { changes, requests };
}

/** Each site's share of the answered requests. */
export function shares(perSite: Record<string, number>, sites: string[]): Record<string, number> {
  const n = sites.reduce((sum, s) => sum + (perSite[s] ?? 0), 0);
  return Object.fromEntries(sites.map((s) => [s, n > 0 ? (perSite[s] ?? 0) / n : 0]));
}

export { sleep };
