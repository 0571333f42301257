// A lab of sites with the real daemons, joined by tunnels as route-based IPsec joins them. Each site
// is a network namespace with FRR (zebra + bgpd) and a LAN; each end of each tunnel is a namespace of
// its own with strongSwan's charon. This kernel has no XFRM (no ESP, no xfrm interfaces), so charon
// runs kernel-libipsec: ESP in userspace on a TUN device, ipsec0, one per charon and so one SA pair
// behind it. A site's XFRM interface `xfrm-N` is the TUN device of the charon that runs its
// connection with if_id N, moved into the site's namespace under that name: what the site routes
// into it is encrypted by that connection's SA and nothing else, and what the SA decrypts comes out
// of it, as with an XFRM interface (no extra routing hop: TTLs arrive as they left). The underlay
// is a veth pair per tunnel between the two ends' namespaces, each holding its outside address.
//
// Everything a run creates carries this process's pid (namespaces `hai-<name>-<pid>-<n>`, run dirs
// under os.tmpdir()/hybrid-ai-infra-vpn-<pid>/), and withLab removes it again, also when a start or
// the caller's function fails. What a killed run left behind is swept by the next one. README.md
// beside this file lists the lab's gotchas it relies on.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { chmod, chown, mkdir, readdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { isIPv4 } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAB_REQUIRED } from "../../helpers/lab";
import { bgpdConf, CHARON_ROUTING_TABLE, SWANCTL_SUBDIRS, strongswanConf, zebraConf } from "./configs";
import { oneConnectionFile, type SwanctlConnection, splitSwanctlConf } from "./swanctl-conf";

/** One site: its routing daemon's configuration, its tunnels' configuration and the script that makes its tunnel interfaces. */
export interface SiteSpec {
  /** Short name, [a-z0-9]{1,8}: namespace `hai-<name>-<pid>-<n>` and run dir. */
  name: string;
  /**
   * The complete swanctl.conf (connections + secrets), as a library renders it. Each connection
   * runs in a charon of its own, which loads that connection's section as written with the
   * file's secrets. A connection needs `local_addrs`, `remote_addrs` and `if_id_in` = `if_id_out`.
   */
  swanctlConf: string;
  /** More strongswan.conf for this site's charons (a rendered `charon { ... }` block), read after the lab's. */
  strongswanConf?: string;
  /**
   * The script that creates the site's XFRM interfaces, as a library renders it: `ip` commands,
   * run in the site's namespace line by line, except that `ip link add X type xfrm ... if_id N`
   * creates the veth pair to connection N's namespace. `iptables` lines are not run (no netfilter
   * here); `Lab.notRun` lists them.
   */
  interfacesScript: string;
  /** The complete FRR bgpd configuration text. The harness inserts lab-only lines (hostname, log file) but does not change the BGP semantics. */
  bgpdConf: string;
  /** LAN addresses (CIDR, e.g. "10.10.0.1/16") held on an in-namespace veth pair, whose prefixes BGP advertises. */
  lanAddresses: string[];
}

export interface LabOptions {
  /**
   * When bgpd starts: at once, or once every tunnel has an INSTALLED CHILD SA on both ends (a
   * session FRR opens before its tunnel exists waits out its connect timer).
   */
  bgp: "now" | "after-tunnels";
}

export interface Lab {
  /** Runs a command inside site `site`'s network namespace; resolves stdout, rejects with a CommandError. */
  exec(site: string, argv: string[]): Promise<string>;
  /** The names of a site's connections (one tunnel end each). */
  connections(site: string): string[];
  /** swanctl against the charon of one connection of a site, e.g. ["--list-sas"]. */
  swanctl(site: string, connection: string, args: string[]): Promise<string>;
  /** vtysh -c <command> against that site's FRR (its vty socket dir), returns stdout (use `... json` commands). */
  vtysh(site: string, command: string): Promise<string>;
  /** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; throws with `what` and the last value/log excerpts. A check that throws counts as "not yet". */
  waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** charon's log of one connection of a site. */
  charonLog(site: string, connection: string): Promise<string>;
  /** Cuts the underlay of one tunnel (both ends): nothing passes between its two outside addresses any more. */
  cut(site: string, connection: string): Promise<void>;
  /** Lines of a site's interfaces script the lab did not run. */
  notRun(site: string): string[];
}

/** The packages the daemons come from (Debian 12). */
export const APT_PACKAGES = [
  "strongswan-charon",
  "strongswan-swanctl",
  "libcharon-extra-plugins",
  "libstrongswan-standard-plugins",
  "frr",
  "iproute2",
  "iputils-ping",
  "netcat-openbsd",
  "procps",
];
export const APT_INSTALL_COMMAND = `apt-get install -y --no-install-recommends ${APT_PACKAGES.join(" ")}`;

const CHARON = "/usr/lib/ipsec/charon";
const PLUGINS = "/usr/lib/ipsec/plugins";
const ZEBRA = "/usr/lib/frr/zebra";
const BGPD = "/usr/lib/frr/bgpd";
/** Plugins that are easy to lose: kernel-libipsec (libcharon-extra-plugins), gcm and openssl (libstrongswan-standard-plugins, only a Recommends). */
const REQUIRED_PLUGINS = ["kernel-libipsec", "kernel-netlink", "socket-default", "vici", "gcm", "openssl"];
const COMMAND_TIMEOUT_MS = 20_000;
const START_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_MS = 20_000;
/**
 * Forwarding on and no rp_filter in a namespace (decrypted packets enter on interfaces the reverse
 * route does not use): run by the shell that starts the namespace's first daemon, which saves a
 * process per namespace.
 */
const FORWARDING =
  "-qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0";
const NAMESPACE = /^hai-[a-z0-9]{1,12}-(\d+)-\d+$/;
const RUN_DIR = /^hybrid-ai-infra-vpn-(\d+)$/;

// --- machine support --------------------------------------------------------------------------

/**
 * Whether this machine can run the daemons. Where it is not Linux, not root, or lacks something
 * (packages, /dev/net/tun, capabilities), `skip` is true and the tests skip, saying what to
 * install; where the lab is required (HYBRID_AI_INFRA_LAB=required, as CI runs `npm run test:lab`)
 * it is false and the tests fail rather than skip by accident.
 */
export type DaemonSupport = { ok: true } | { ok: false; reason: string; skip: boolean };

const SEARCH_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A command's absolute path from PATH (and the sbin directories root's PATH sometimes lacks). */
function which(command: string): string | undefined {
  if (command.startsWith("/")) return executable(command) ? command : undefined;
  const dirs = [...(process.env.PATH ?? "").split(":").filter((dir) => dir.startsWith("/")), ...SEARCH_PATH];
  return dirs.map((dir) => join(dir, command)).find(executable);
}

const COMMANDS = ["ip", "swanctl", "vtysh", "ping", "sysctl", "sh", "mount"] as const;
type Command = (typeof COMMANDS)[number];

function commandPaths(): Record<Command, string> | string[] {
  const found: Partial<Record<Command, string>> = {};
  const missing: string[] = [];
  for (const command of COMMANDS) {
    const path = which(command);
    if (path) found[command] = path;
    else missing.push(command);
  }
  return missing.length > 0 ? missing : (found as Record<Command, string>);
}

/** Effective capabilities of this process (CapEff in /proc/self/status). */
function hasCapabilities(...bits: number[]): boolean {
  const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (!line?.[1]) return false;
  const mask = BigInt(`0x${line[1]}`);
  return bits.every((bit) => ((mask >> BigInt(bit)) & 1n) === 1n);
}

function frrUser(): { uid: number; gid: number } | undefined {
  const entry = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === "frr");
  return entry ? { uid: Number(entry[2]), gid: Number(entry[3]) } : undefined;
}

export function daemonSupport(): DaemonSupport {
  const skip = !LAB_REQUIRED;
  if (process.platform !== "linux") return { ok: false, skip, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0)
    return {
      ok: false,
      skip,
      reason: `not root (network namespaces need it); as root, with: ${APT_INSTALL_COMMAND}`,
    };
  const commands = commandPaths();
  const missing = [
    ...(Array.isArray(commands) ? commands : []),
    ...[CHARON, ZEBRA, BGPD].filter((path) => !executable(path)),
    ...REQUIRED_PLUGINS.map((plugin) => join(PLUGINS, `libstrongswan-${plugin}.so`)).filter(
      (path) => !existsSync(path),
    ),
    ...(frrUser() ? [] : ["user frr"]),
  ];
  if (missing.length > 0) {
    return {
      ok: false,
      skip,
      reason: `missing ${missing.join(", ")}; install them with: ${APT_INSTALL_COMMAND}`,
    };
  }
  if (!existsSync("/dev/net/tun")) {
    return { ok: false, skip, reason: "/dev/net/tun is missing (kernel-libipsec needs a TUN device)" };
  }
  // CAP_NET_ADMIN (12) for links and addresses, CAP_SYS_ADMIN (21) for namespaces and mounts.
  if (!hasCapabilities(12, 21)) {
    return {
      ok: false,
      skip,
      reason: "root without CAP_NET_ADMIN and CAP_SYS_ADMIN (a container needs --privileged or --cap-add)",
    };
  }
  return { ok: true };
}

// --- commands ---------------------------------------------------------------------------------

/** A command that exited non-zero, timed out or could not start. */
export class CommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    detail: string,
  ) {
    super(`${argv.join(" ")}: ${detail}${tail("stderr", stderr, 20)}${tail("stdout", stdout, 20)}`);
    this.name = "CommandError";
  }
}

function tail(label: string, text: string, lines: number): string {
  const kept = text.trimEnd().split("\n").slice(-lines).join("\n");
  return kept ? `\n--- ${label} (last ${lines} lines) ---\n${kept}` : "";
}

/** Runs argv (no shell), resolves stdout; rejects with a CommandError. */
async function run(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<string> {
  return (await execute(argv, options)).stdout;
}

/** Runs argv (no shell), resolves both outputs; rejects with a CommandError when it exits non-zero. */
function execute(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error("run: empty argv"));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new CommandError(argv, null, stdout, stderr, `cannot start: ${error.message}`));
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else if (timedOut)
        reject(new CommandError(argv, code, stdout, stderr, `timed out after ${timeoutMs} ms`));
      else reject(new CommandError(argv, code, stdout, stderr, `exit ${code ?? signal}`));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Like Promise.all, but settles every promise first: nothing keeps running into the teardown. */
async function all(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

// --- the model --------------------------------------------------------------------------------

interface Daemon {
  name: "charon" | "zebra" | "bgpd";
  owner: string;
  child: ChildProcess;
  /** Set once the process has exited. */
  exit: string | undefined;
  exited: Promise<void>;
}

/** One end of one tunnel: a connection of a site's swanctl.conf, in a namespace with its own charon. */
interface TunnelEnd {
  site: Site;
  connection: SwanctlConnection;
  /** Its local and remote outside addresses. */
  local: string;
  remote: string;
  ifId: number;
  ns: string;
  dir: string;
  strongswanConf: string;
  swanctlConf: string;
  vici: string;
  charonLog: string;
  /** The end it builds its tunnel with. */
  peer?: TunnelEnd;
  /** Whether the site's script connected it to an interface. */
  attached: boolean;
}

interface Site {
  spec: SiteSpec;
  ns: string;
  dir: string;
  frrDir: string;
  vtyDir: string;
  ends: TunnelEnd[];
  notRun: string[];
}

/** Every problem with the specs at once, before anything is created. */
function model(specs: readonly SiteSpec[], base: string, sequence: number): Site[] {
  const problems: string[] = [];
  const sites = specs.map((spec): Site => {
    if (!/^[a-z0-9]{1,8}$/.test(spec.name))
      problems.push(`site name ${JSON.stringify(spec.name)} is not [a-z0-9]{1,8}`);
    const dir = join(base, spec.name);
    const site: Site = {
      spec,
      ns: `hai-${spec.name}-${process.pid}-${sequence}`,
      dir,
      frrDir: join(dir, "frr"),
      vtyDir: join(dir, "frr", "vty"),
      ends: [],
      notRun: [],
    };
    let file: ReturnType<typeof splitSwanctlConf>;
    try {
      file = splitSwanctlConf(spec.swanctlConf);
    } catch (error) {
      problems.push(`${spec.name}: ${error instanceof Error ? error.message : String(error)}`);
      return site;
    }
    for (const connection of file.connections) {
      const s = connection.settings;
      const where = `${spec.name}'s connection ${connection.name}`;
      const ifIdIn = Number(s.if_id_in);
      const ifIdOut = Number(s.if_id_out);
      if (!s.if_id_out || !Number.isInteger(ifIdOut) || ifIdOut < 1) {
        problems.push(`${where} has no if_id_out: a route-based tunnel needs its XFRM interface id`);
        continue;
      }
      if (ifIdIn !== ifIdOut) {
        problems.push(
          `${where} has if_id_in ${s.if_id_in ?? "(none)"} and if_id_out ${s.if_id_out}: inbound traffic would arrive on another interface than the one that routes into the tunnel`,
        );
        continue;
      }
      if (!isIPv4(s.local_addrs ?? "") || !isIPv4(s.remote_addrs ?? "")) {
        problems.push(`${where} needs one IPv4 local_addrs and remote_addrs`);
        continue;
      }
      if (site.ends.some((e) => e.ifId === ifIdOut)) problems.push(`${where} reuses if_id ${ifIdOut}`);
      const endDir = join(dir, `x${ifIdOut}`);
      site.ends.push({
        site,
        connection,
        local: s.local_addrs as string,
        remote: s.remote_addrs as string,
        ifId: ifIdOut,
        ns: `hai-${spec.name}x${ifIdOut}-${process.pid}-${sequence}`,
        dir: endDir,
        strongswanConf: join(endDir, "strongswan.conf"),
        swanctlConf: join(endDir, "swanctl", "swanctl.conf"),
        vici: join(endDir, "charon.vici"),
        charonLog: join(endDir, "charon.log"),
        attached: false,
      });
    }
    if (site.ends.length === 0) problems.push(`${spec.name}'s swanctlConf has no connection`);
    for (const cidr of spec.lanAddresses) {
      const [address, length] = cidr.split("/");
      if (!isIPv4(address ?? "") || !/^\d{1,2}$/.test(length ?? ""))
        problems.push(`${spec.name}: ${cidr} is not an IPv4 CIDR`);
    }
    return site;
  });
  const names = sites.map((s) => s.spec.name);
  for (const name of new Set(names))
    if (names.filter((n) => n === name).length > 1) problems.push(`two sites are named ${name}`);
  // Each end's peer: the end of another site whose addresses are this end's, swapped.
  const ends = sites.flatMap((s) => s.ends);
  for (const end of ends) {
    const peers = ends.filter((e) => e.site !== end.site && e.local === end.remote && e.remote === end.local);
    if (peers.length !== 1) {
      problems.push(
        `${end.site.spec.name}'s connection ${end.connection.name} (${end.local} -> ${end.remote}) has ${peers.length} peers in the lab; it needs exactly one`,
      );
    } else end.peer = peers[0];
  }
  if (problems.length > 0) throw new Error(`the lab's sites cannot be built:\n- ${problems.join("\n- ")}`);
  return sites;
}

// --- process bookkeeping ----------------------------------------------------------------------

/** One line of an `ip -batch`, and where it comes from (for error messages). */
interface BatchLine {
  command: string;
  source: string;
}

/** What teardown needs, also from the process's exit handler. */
interface ActiveLab {
  namespaces: string[];
  dir: string;
  daemons: Daemon[];
}

const active = new Set<ActiveLab>();
const EXIT_HOOK = Symbol.for("hybrid-ai-infra.vpn-daemons.exit-hook");

/** Last resort when the process exits with a lab up (a test runner tearing down mid-test): synchronous, best effort. */
function installExitHook(ip: string): void {
  const holder = globalThis as unknown as { [EXIT_HOOK]?: boolean };
  if (holder[EXIT_HOOK]) return;
  holder[EXIT_HOOK] = true;
  process.once("exit", () => {
    for (const lab of active) {
      for (const daemon of lab.daemons) {
        if (daemon.exit === undefined && daemon.child.pid) {
          try {
            process.kill(daemon.child.pid, "SIGKILL");
          } catch {}
        }
      }
      for (const ns of lab.namespaces) {
        try {
          const pids = execFileSync(ip, ["netns", "pids", ns], { encoding: "utf8" })
            .split(/\s+/)
            .filter(Boolean);
          for (const pid of pids) process.kill(Number(pid), "SIGKILL");
        } catch {}
        try {
          execFileSync(ip, ["netns", "del", ns], { stdio: "ignore" });
        } catch {}
      }
      rmSync(lab.dir, { recursive: true, force: true });
    }
  });
}

let sequence = 0;

/** Log lines that say nothing about a failure: vici clients coming and going, ESP dropping packets before its SA exists. */
const NOISE =
  /vici client \d+ (connected|disconnected|registered|requests)|could not find an outbound IPsec SA/;

async function readTail(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    return tail(
      path,
      text
        .split("\n")
        .filter((line) => !NOISE.test(line))
        .join("\n"),
      lines,
    );
  } catch {
    return "";
  }
}

/** The end of every log of the sites, for failure messages. */
async function logTails(sites: readonly Site[], lines = 15): Promise<string> {
  const parts = await Promise.all(
    sites.flatMap((site) => [
      ...site.ends.flatMap((end) => [
        readTail(end.charonLog, lines),
        readTail(join(end.dir, "charon.out"), 5),
      ]),
      readTail(join(site.frrDir, "bgpd.log"), lines),
      readTail(join(site.frrDir, "zebra.log"), 5),
      readTail(join(site.dir, "bgpd.out"), 5),
      readTail(join(site.dir, "zebra.out"), 5),
    ]),
  );
  return parts.join("");
}

function socketExists(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

// --- the lab ----------------------------------------------------------------------------------

class Harness implements Lab {
  readonly daemons: Daemon[] = [];

  constructor(
    readonly sites: readonly Site[],
    private readonly paths: Record<Command, string>,
  ) {}

  private site(name: string): Site {
    const site = this.sites.find((s) => s.spec.name === name);
    if (!site) throw new Error(`no site ${name} (have ${this.sites.map((s) => s.spec.name).join(", ")})`);
    return site;
  }

  private end(site: string, connection: string): TunnelEnd {
    const s = this.site(site);
    const end = s.ends.find((e) => e.connection.name === connection);
    if (!end)
      throw new Error(
        `${site} has no connection ${connection} (has ${s.ends.map((e) => e.connection.name).join(", ")})`,
      );
    return end;
  }

  /** `ip -n <ns> args`: no mount namespace switch, quicker than `ip netns exec`. */
  ip(ns: string, args: readonly string[]): Promise<string> {
    return run([this.paths.ip, "-n", ns, ...args]);
  }

  /** `ip netns exec <ns> argv`. */
  inNs(ns: string, argv: readonly string[]): Promise<string> {
    return run([this.paths.ip, "netns", "exec", ns, ...argv]);
  }

  exec(site: string, argv: string[]): Promise<string> {
    return this.inNs(this.site(site).ns, argv);
  }

  connections(site: string): string[] {
    return this.site(site).ends.map((e) => e.connection.name);
  }

  swanctl(site: string, connection: string, args: string[]): Promise<string> {
    // The vici socket lives in the run dir, so swanctl needs neither the namespace nor charon's mounts.
    const end = this.end(site, connection);
    return run([this.paths.swanctl, ...args], {
      env: { ...process.env, STRONGSWAN_CONF: end.strongswanConf },
    });
  }

  vtysh(site: string, command: string): Promise<string> {
    return run([this.paths.vtysh, "--vty_socket", this.site(site).vtyDir, "-c", command]);
  }

  async waitFor<T>(
    what: string,
    check: () => Promise<T | undefined>,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = "nothing yet";
    for (;;) {
      try {
        const value = await check();
        if (value !== undefined) return value;
        last = "undefined";
      } catch (error) {
        last = `threw ${error instanceof Error ? error.message : String(error)}`;
      }
      if (Date.now() > deadline) break;
      await sleep(200);
    }
    const dead = this.daemons
      .filter((d) => d.exit !== undefined)
      .map((d) => `${d.name} of ${d.owner} ${d.exit}`);
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for: ${what}\nlast check: ${last.slice(0, 4000)}` +
        (dead.length > 0 ? `\ndead daemons: ${dead.join("; ")}` : "") +
        (await logTails(this.sites)),
    );
  }

  async charonLog(site: string, connection: string): Promise<string> {
    return readFile(this.end(site, connection).charonLog, "utf8").catch(() => "");
  }

  async cut(site: string, connection: string): Promise<void> {
    const end = this.end(site, connection);
    await this.ip(end.ns, ["link", "set", "wan0", "down"]);
    if (end.peer) await this.ip(end.peer.ns, ["link", "set", "wan0", "down"]);
  }

  notRun(site: string): string[] {
    return [...this.site(site).notRun];
  }

  // --- bring-up --------------------------------------------------------------------------------

  private startDaemon(
    owner: string,
    dir: string,
    name: Daemon["name"],
    argv: string[],
    env?: NodeJS.ProcessEnv,
  ): Daemon {
    const output = openSync(join(dir, `${name}.out`), "w");
    const [file, ...args] = argv;
    if (!file) throw new Error("startDaemon: empty argv");
    const child = spawn(file, args, {
      env: env ?? process.env,
      stdio: ["ignore", output, output],
      detached: true,
    });
    closeSync(output);
    const daemon: Daemon = {
      name,
      owner,
      child,
      exit: undefined,
      exited: new Promise((resolve) => {
        child.once("exit", (code, signal) => {
          daemon.exit = signal ? `killed by ${signal}` : `exited with ${code}`;
          resolve();
        });
        child.once("error", (error) => {
          daemon.exit = `could not start: ${error.message}`;
          resolve();
        });
      }),
    };
    this.daemons.push(daemon);
    return daemon;
  }

  /** Polls until `ready` holds while `daemon` stays alive. */
  private async until(daemon: Daemon, what: string, ready: () => Promise<boolean> | boolean): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (daemon.exit !== undefined) throw new Error(`${daemon.name} of ${daemon.owner} ${daemon.exit}`);
      if (await Promise.resolve(ready()).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`${daemon.owner}: timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  async writeConfigs(frr: { uid: number; gid: number }): Promise<void> {
    await all(
      this.sites.map(async (site) => {
        await mkdir(site.vtyDir, { recursive: true });
        const hostname = site.spec.name;
        await writeFile(join(site.frrDir, "zebra.conf"), zebraConf(hostname, join(site.frrDir, "zebra.log")));
        await writeFile(
          join(site.frrDir, "bgpd.conf"),
          bgpdConf(site.spec.bgpdConf, hostname, join(site.frrDir, "bgpd.log")),
        );
        // For bgpd -C: the caller's text alone (its `log` lines blanked), so that the line numbers are
        // the caller's and what bgpd rejects comes out on stdout/stderr rather than in a log file.
        await writeFile(
          join(site.frrDir, "bgpd-check.conf"),
          site.spec.bgpdConf.replace(/^\s*log .*$/gm, "!"),
        );
        // zebra and bgpd run as user frr (FRR refuses root): their dir, files and sockets are frr's.
        const files = ["zebra.conf", "bgpd.conf", "bgpd-check.conf"].map((f) => join(site.frrDir, f));
        await all([site.frrDir, site.vtyDir, ...files].map((path) => chown(path, frr.uid, frr.gid)));
        // bgpd -C reads the file as bgpd reads it at start. Both skip a line they reject and go on
        // (exit 0), so look for the complaints: "No such command on config line 3: ...".
        const check = await execute([BGPD, "-C", "-f", join(site.frrDir, "bgpd-check.conf")]);
        const rejected = `${check.stdout}\n${check.stderr}`
          .split("\n")
          .filter((line) => / on config line \d+/.test(line));
        if (rejected.length > 0)
          throw new Error(`bgpd rejects lines of ${site.spec.name}'s bgpdConf:\n${rejected.join("\n")}`);
        const file = splitSwanctlConf(site.spec.swanctlConf);
        for (const end of site.ends) {
          await all(SWANCTL_SUBDIRS.map((sub) => mkdir(join(end.dir, "swanctl", sub), { recursive: true })));
          await writeFile(
            end.strongswanConf,
            `${strongswanConf({ vici: end.vici, charonLog: end.charonLog })}${site.spec.strongswanConf ?? ""}`,
          );
          await writeFile(end.swanctlConf, oneConnectionFile(end.connection, file), { mode: 0o600 });
        }
      }),
    );
  }

  /**
   * `ip -batch` from stdin (one process for many commands: each `ip` costs tens of milliseconds on
   * a loaded machine), in namespace `ns` or the root one. A failed line names its source.
   */
  private async batch(ns: string | undefined, lines: readonly BatchLine[]): Promise<void> {
    if (lines.length === 0) return;
    const argv = [this.paths.ip, ...(ns ? ["-n", ns] : []), "-batch", "-"];
    const text = `${lines.map((l) => l.command).join("\n")}\n`;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
      });
      child.once("error", reject);
      child.once("close", (code) => {
        if (code === 0) return resolve();
        const line = Number(/Command failed -:(\d+)/.exec(output)?.[1] ?? 0);
        const failed = lines[line - 1];
        reject(
          new Error(
            `ip -batch in ${ns ?? "the root namespace"} failed${failed ? ` at ${failed.source}: ${failed.command}` : ""}:\n${output.trim()}`,
          ),
        );
      });
      child.stdin.end(text);
    });
  }

  /**
   * Namespaces, the links between them (the underlay per tunnel, each site's LAN) and their
   * addresses and routes. The XFRM interfaces come later, from the charons' TUN devices.
   */
  async network(): Promise<void> {
    const ends = this.sites.flatMap((s) => s.ends);
    const root: BatchLine[] = [];
    const inside = new Map<string, BatchLine[]>();
    const add = (ns: string, command: string, source: string) => {
      const list = inside.get(ns) ?? [];
      list.push({ command, source });
      inside.set(ns, list);
    };
    for (const ns of [...this.sites.map((s) => s.ns), ...ends.map((e) => e.ns)])
      root.push({ command: `netns add ${ns}`, source: "the lab" });
    for (const end of ends) {
      if (end.peer && end.site.spec.name < end.peer.site.spec.name) {
        root.push({
          command: `link add wan0 netns ${end.ns} type veth peer name wan0 netns ${end.peer.ns}`,
          source: "the underlay",
        });
      }
      add(end.ns, "link set lo up", "the lab");
      add(end.ns, `address add ${end.local}/32 dev wan0`, "the underlay");
      add(end.ns, "link set wan0 up", "the underlay");
      add(end.ns, `route add ${end.remote}/32 dev wan0 src ${end.local}`, "the underlay");
    }
    for (const site of this.sites) {
      add(site.ns, "link set lo up", "the lab");
      if (site.spec.lanAddresses.length > 0) {
        // No dummy or bridge link type in this kernel: a veth pair with both ends inside, both up.
        root.push({
          command: `link add lan0 netns ${site.ns} type veth peer name lan0-peer netns ${site.ns}`,
          source: "the LAN",
        });
        for (const cidr of site.spec.lanAddresses) add(site.ns, `address add ${cidr} dev lan0`, "the LAN");
        add(site.ns, "link set lan0-peer up", "the LAN");
        add(site.ns, "link set lan0 up", "the LAN");
      }
    }
    await this.batch(undefined, root);
    await all([...inside.entries()].map(([ns, lines]) => this.batch(ns, lines)));
  }

  /**
   * Runs a site's interfaces script: `ip link add X type xfrm dev D if_id N` moves the TUN device
   * of the charon that runs the site's connection with if_id N into the site's namespace as X
   * (kernel-libipsec keeps reading and writing it there), so what the site routes into X is
   * encrypted by that connection's SA and what the SA decrypts comes out of X, as with an XFRM
   * interface; the other `ip` lines run in the site's namespace, in order; iptables lines are not
   * run (no netfilter here).
   */
  async interfaces(site: Site): Promise<void> {
    const moves: { end: TunnelEnd; line: BatchLine }[] = [];
    const lines: BatchLine[] = [];
    for (const [n, raw] of site.spec.interfacesScript.split("\n").entries()) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line === "set -e") continue;
      const source = `${site.spec.name}'s interfaces script line ${n + 1}`;
      if (/[;&|`$<>()'"\\]/.test(line))
        throw new Error(`${source} ${JSON.stringify(raw)}: the lab runs plain commands only`);
      if (line.startsWith("iptables ")) {
        site.notRun.push(line);
        continue;
      }
      if (!line.startsWith("ip "))
        throw new Error(`${source} ${JSON.stringify(raw)}: the lab runs ip commands only`);
      const xfrm = /^ip link add (\S+) type xfrm dev \S+ if_id (\d+)$/.exec(line);
      if (!xfrm?.[1] || !xfrm[2]) {
        lines.push({ command: line.slice(3), source });
        continue;
      }
      const ifId = Number(xfrm[2]);
      const end = site.ends.find((e) => e.ifId === ifId);
      if (!end)
        throw new Error(
          `${source} ${JSON.stringify(raw)}: no connection of ${site.spec.name}'s swanctl.conf has if_id ${ifId}`,
        );
      moves.push({ end, line: { command: `link set dev ipsec0 netns ${site.ns} name ${xfrm[1]}`, source } });
      end.attached = true;
    }
    const loose = site.ends.filter((e) => !e.attached);
    if (loose.length > 0) {
      throw new Error(
        `${site.spec.name}'s interfaces script creates no XFRM interface with if_id ${loose.map((e) => `${e.ifId} (${e.connection.name})`).join(", ")}`,
      );
    }
    // kernel-libipsec still installs a route "dev ipsec0" for each outbound policy (into table 220,
    // which no rule consults any more) and fails the CHILD SA when there is no such device: a
    // stand-in ipsec0 stays behind for it.
    const standIn = [
      "link add ipsec0 type veth peer name ipsec0-peer",
      "link set ipsec0-peer up",
      "link set ipsec0 up",
    ];
    await all(
      moves.map(({ end, line }) =>
        this.batch(end.ns, [
          line,
          ...standIn.map((command) => ({ command, source: "the lab's stand-in ipsec0" })),
        ]),
      ),
    );
    await this.batch(site.ns, lines);
  }

  /**
   * Starts charon in a tunnel end's namespace. Once its vici socket is up, kernel-libipsec has made
   * ipsec0 and kernel-netlink its "lookup 220" rule (their plugins load before vici). The rule
   * goes: kernel-libipsec ignores install_routes = no, and would route the namespace's own ESP
   * packets into the tunnel.
   */
  async charon(end: TunnelEnd): Promise<void> {
    // charon's pid file is compiled in (/run/charon.pid): a private /run per charon, in the mount
    // namespace `ip netns exec` creates (mounts there do not propagate back).
    const owner = `${end.site.spec.name}/${end.connection.name}`;
    const daemon = this.startDaemon(
      owner,
      end.dir,
      "charon",
      [
        this.paths.ip,
        "netns",
        "exec",
        end.ns,
        this.paths.sh,
        "-c",
        `${this.paths.sysctl} ${FORWARDING} && mount -t tmpfs -o mode=755 tmpfs /run && exec "$0"`,
        CHARON,
      ],
      { ...process.env, STRONGSWAN_CONF: end.strongswanConf },
    );
    await this.until(daemon, "charon's vici socket", () => socketExists(end.vici));
    const table = String(CHARON_ROUTING_TABLE);
    await this.batch(end.ns, [
      { command: `rule del pref ${table} table ${table}`, source: `${owner}'s charon` },
    ]);
  }

  async zebra(site: Site): Promise<void> {
    const d = site.frrDir;
    const zserv = join(d, "zserv.api");
    const daemon = this.startDaemon(site.spec.name, site.dir, "zebra", [
      ...[
        this.paths.ip,
        "netns",
        "exec",
        site.ns,
        this.paths.sh,
        "-c",
        `${this.paths.sysctl} ${FORWARDING} && exec "$0" "$@"`,
        ZEBRA,
      ],
      ...["-f", join(d, "zebra.conf"), "-i", join(d, "zebra.pid"), "-z", zserv, "--vty_socket", site.vtyDir],
    ]);
    await this.until(daemon, "zebra's zserv.api socket", () => socketExists(zserv));
  }

  async bgpd(site: Site): Promise<void> {
    const d = site.frrDir;
    const daemon = this.startDaemon(site.spec.name, site.dir, "bgpd", [
      ...[this.paths.ip, "netns", "exec", site.ns, BGPD],
      ...["-f", join(d, "bgpd.conf"), "-i", join(d, "bgpd.pid"), "-z", join(d, "zserv.api")],
      ...["--vty_socket", site.vtyDir],
    ]);
    await this.until(daemon, "bgpd's vty socket", () => socketExists(join(site.vtyDir, "bgpd.vty")));
  }

  async loadSwanctl(end: TunnelEnd): Promise<void> {
    const what = `swanctl --load-all of ${end.site.spec.name}'s connection ${end.connection.name}`;
    const load = await execute([this.paths.swanctl, "--load-all", "--noprompt", "--file", end.swanctlConf], {
      env: { ...process.env, STRONGSWAN_CONF: end.strongswanConf },
    }).catch((error: unknown) => {
      throw new Error(`${what} failed: ${String(error)}`);
    });
    // A syntax error makes swanctl load nothing and still exit 0 ("invalid config file ...").
    const output = `${load.stderr}\n${load.stdout}`.trim();
    if (/syntax error|invalid config file|failed/.test(output) || !/^loaded connection '/m.test(output)) {
      throw new Error(`${what} loaded no connection or failed:\n${output}`);
    }
  }

  /** Whether both ends of every tunnel have established a CHILD SA (their charon logs say so: no process to run). */
  async tunnelsUp(): Promise<true | undefined> {
    const ends = this.sites.flatMap((s) => s.ends);
    const logs = await Promise.all(ends.map((e) => readFile(e.charonLog, "utf8").catch(() => "")));
    const down = ends
      .filter(
        (e, i) => !new RegExp(`CHILD_SA ${e.connection.name}\\{\\d+\\} established`).test(logs[i] ?? ""),
      )
      .map((e) => `${e.site.spec.name}/${e.connection.name}`);
    if (down.length > 0) throw new Error(`no CHILD SA established on ${down.join(", ")}`);
    return true;
  }

  /** Stops every daemon and removes namespaces; returns what went wrong, if anything. */
  async teardown(lab: ActiveLab): Promise<string[]> {
    const problems: string[] = [];
    const daemons = [...this.daemons].reverse();
    for (const daemon of daemons) if (daemon.exit === undefined) daemon.child.kill("SIGTERM");
    const stopped = await Promise.race([
      Promise.all(daemons.map((daemon) => daemon.exited)).then(() => true),
      sleep(3000).then(() => false),
    ]);
    if (!stopped) {
      for (const daemon of daemons) if (daemon.exit === undefined) daemon.child.kill("SIGKILL");
      await Promise.race([Promise.all(daemons.map((daemon) => daemon.exited)), sleep(2000)]);
    }
    await Promise.all(
      lab.namespaces.map((ns) =>
        killNamespace(this.paths.ip, ns).catch((error: unknown) => problems.push(String(error))),
      ),
    );
    await rm(lab.dir, { recursive: true, force: true }).catch((error: unknown) =>
      problems.push(String(error)),
    );
    return problems;
  }
}

/** Kills whatever still runs in a namespace and deletes it (no-op when it does not exist). */
async function killNamespace(ip: string, ns: string): Promise<void> {
  const list = await run([ip, "netns", "list"]);
  if (!list.split("\n").some((line) => line.split(" ")[0] === ns)) return;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pids = (await run([ip, "netns", "pids", ns]).catch(() => "")).split(/\s+/).filter(Boolean);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(Number(pid), attempt < 5 ? "SIGTERM" : "SIGKILL");
      } catch {}
    }
    await sleep(100);
  }
  await run([ip, "netns", "del", ns]);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the namespaces and run dirs of runs whose process is gone (a killed test run). */
async function sweep(ip: string): Promise<void> {
  const namespaces = (await run([ip, "netns", "list"])).split("\n").map((line) => line.split(" ")[0] ?? "");
  for (const ns of namespaces) {
    const pid = NAMESPACE.exec(ns)?.[1];
    if (pid && !alive(Number(pid))) await killNamespace(ip, ns);
  }
  for (const entry of await readdir(tmpdir())) {
    const pid = RUN_DIR.exec(entry)?.[1];
    if (pid && !alive(Number(pid))) await rm(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

async function bringUp(lab: Harness, frr: { uid: number; gid: number }, options: LabOptions): Promise<void> {
  const ends = lab.sites.flatMap((s) => s.ends);
  const t0 = Date.now();
  const mark = (what: string) => process.env.HAI_LAB_TRACE && console.log(`${what}: ${Date.now() - t0} ms`);
  await lab.writeConfigs(frr);
  mark("configs");
  await lab.network();
  mark("network");
  // zebra needs no tunnel: it starts alongside charon, and picks up interfaces and addresses as they come.
  await all([...ends.map((e) => lab.charon(e)), ...lab.sites.map((s) => lab.zebra(s))]);
  mark("daemons");
  await all(lab.sites.map((s) => lab.interfaces(s)));
  mark("interfaces");
  // Ends that only answer are loaded first, as a cloud's are always there; then every end that
  // initiates at once: if two ends of a tunnel both do, that is a simultaneous start.
  const initiates = (e: TunnelEnd) => /start_action\s*=\s*start\b/.test(e.connection.text);
  await all(ends.filter((e) => !initiates(e)).map((e) => lab.loadSwanctl(e)));
  await all(ends.filter(initiates).map((e) => lab.loadSwanctl(e)));
  mark("loaded");
  if (options.bgp === "after-tunnels")
    await lab.waitFor("every tunnel's CHILD SA established on both ends", () => lab.tunnelsUp());
  mark("tunnels");
  await all(lab.sites.map((s) => lab.bgpd(s)));
  mark("bgpd");
}

/**
 * Creates the sites and their tunnels' namespaces, starts charon (kernel-libipsec) per tunnel end
 * and FRR (zebra + bgpd) per site from the specs, runs `fn`, and always tears everything down
 * (namespaces, processes, run dirs), also when fn throws or a start fails.
 */
export async function withLab(
  specs: readonly SiteSpec[],
  options: LabOptions,
  fn: (lab: Lab) => Promise<void>,
): Promise<void> {
  const support = daemonSupport();
  if (!support.ok) throw new Error(`cannot run the VPN daemons: ${support.reason}`);
  const paths = commandPaths();
  const frr = frrUser();
  if (Array.isArray(paths) || !frr) throw new Error("unreachable: daemonSupport checked the commands");
  installExitHook(paths.ip);
  await sweep(paths.ip);

  sequence += 1;
  const processDir = join(tmpdir(), `hybrid-ai-infra-vpn-${process.pid}`);
  const base = join(processDir, String(sequence));
  if (!/^[A-Za-z0-9._/-]+$/.test(base))
    throw new Error(`run dir ${base} has characters the configs cannot hold`);
  const sites = model(specs, base, sequence);
  const lab = new Harness(sites, paths);
  const state: ActiveLab = {
    namespaces: [...sites.map((s) => s.ns), ...sites.flatMap((s) => s.ends.map((e) => e.ns))],
    dir: base,
    daemons: lab.daemons,
  };
  active.add(state);

  let failure: unknown;
  try {
    await mkdir(base, { recursive: true });
    // FRR runs as frr and must reach its dir: 0755 whatever the umask.
    await chmod(processDir, 0o755);
    await chmod(base, 0o755);
    const started = Date.now();
    try {
      await bringUp(lab, frr, options);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `VPN lab bring-up failed after ${Date.now() - started} ms: ${message}${await logTails(sites)}`,
      );
    }
    await fn(lab);
  } catch (error) {
    failure = error;
  } finally {
    const problems = await lab.teardown(state);
    active.delete(state);
    await rmdir(processDir).catch(() => undefined);
    if (problems.length > 0) {
      const message = `VPN lab teardown: ${problems.join("; ")}`;
      if (failure === undefined) failure = new Error(message);
      else console.error(message);
    }
  }
  if (failure !== undefined) throw failure;
}

/**
 * `withLab` for a describe block: resolves once the lab is up, and keeps it up until `close`.
 * A bring-up failure rejects.
 */
export async function openLab(
  specs: readonly SiteSpec[],
  options: LabOptions,
): Promise<{ lab: Lab; close: () => Promise<void> }> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let opened: (lab: Lab) => void = () => {};
  const ready = new Promise<Lab>((resolve) => {
    opened = resolve;
  });
  const done = withLab(specs, options, async (lab) => {
    opened(lab);
    await released;
  });
  const lab = await Promise.race([ready, done.then(() => undefined)]);
  if (!lab) throw new Error("the lab closed before it opened");
  return {
    lab,
    close: async () => {
      release();
      await done;
    },
  };
}
