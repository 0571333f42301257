// A two-router lab with the real daemons: two network namespaces joined by a veth pair, strongSwan's
// charon (kernel-libipsec: ESP in userspace on a TUN device, ipsec0, since this kernel has no XFRM)
// and FRR (zebra + bgpd) in each. Everything a run creates carries this process's pid (namespaces
// `hai-<name>-<pid>-<n>`, run dirs under os.tmpdir()/hybrid-ai-infra-vpn-<pid>/), and withRouters
// removes it again, also when a start or the caller's function fails. What a killed run left behind
// is swept by the next one. README.md beside this file lists the lab's gotchas it relies on.
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
import { bgpdConf, CHARON_ROUTING_TABLE, SWANCTL_SUBDIRS, strongswanConf, zebraConf } from "./configs";

export interface RouterSpec {
  /** Short name, [a-z0-9]{1,8}: namespace `hai-<name>-<pid>-<n>` and run dir. */
  name: string;
  /** This router's outside (public) address, e.g. "198.51.100.10" (a /32 on the veth; a device route to the peer's outside address is added). */
  outsideAddress: string;
  /** The complete swanctl.conf text to load (connections + secrets), as a library renders it. */
  swanctlConf: string;
  /** The complete FRR bgpd configuration text (router bgp ...), as a library renders it. The harness inserts lab-only lines (hostname, log file) but does not change the BGP semantics. */
  bgpdConf: string;
  /** Inside tunnel addresses (CIDR, e.g. "169.254.21.2/30") put on libipsec's ipsec0 once charon runs: in production they sit on XFRM interfaces, which this kernel lacks. */
  insideAddresses: string[];
  /** LAN addresses (CIDR, e.g. "10.10.0.1/16") held on an in-namespace veth pair, whose prefixes BGP advertises. */
  lanAddresses: string[];
}

export interface Lab {
  /** Runs a command inside router `name`'s network namespace (STRONGSWAN_CONF set to the router's); resolves stdout, rejects with a CommandError. */
  exec(router: string, argv: string[], options?: { env?: Record<string, string> }): Promise<string>;
  /** swanctl with that router's STRONGSWAN_CONF (which names its vici socket), e.g. ["--list-sas"]. */
  swanctl(router: string, args: string[]): Promise<string>;
  /** vtysh -c <command> against that router's FRR (its vty socket dir), returns stdout (use `... json` commands). */
  vtysh(router: string, command: string): Promise<string>;
  /** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; throws with `what` and the last value/log excerpts. A check that throws counts as "not yet". */
  waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs?: number): Promise<T>;
  /** charon's log of a router, for assertions and failure messages. */
  charonLog(router: string): Promise<string>;
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
const NAMESPACE = /^hai-[a-z0-9]{1,8}-(\d+)-\d+$/;
const RUN_DIR = /^hybrid-ai-infra-vpn-(\d+)$/;

// --- machine support --------------------------------------------------------------------------

/** Whether this machine can run the daemons. `skip` is true when it is not Linux or not root (the tests skip); false when it should but lacks something (packages, /dev/net/tun, capabilities): the tests fail. */
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
  if (process.platform !== "linux")
    return { ok: false, skip: true, reason: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, skip: true, reason: "not root (namespaces need it)" };
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
      skip: false,
      reason: `missing ${missing.join(", ")}; install them with: ${APT_INSTALL_COMMAND}`,
    };
  }
  if (!existsSync("/dev/net/tun")) {
    return { ok: false, skip: false, reason: "/dev/net/tun is missing (kernel-libipsec needs a TUN device)" };
  }
  // CAP_NET_ADMIN (12) for links and addresses, CAP_SYS_ADMIN (21) for namespaces and mounts.
  if (!hasCapabilities(12, 21)) {
    return {
      ok: false,
      skip: false,
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

// --- validation -------------------------------------------------------------------------------

function validCidr(cidr: string): boolean {
  const [address, length, ...rest] = cidr.split("/");
  return (
    rest.length === 0 &&
    address !== undefined &&
    isIPv4(address) &&
    /^\d{1,2}$/.test(length ?? "x") &&
    Number(length) <= 32
  );
}

function validate(a: RouterSpec, b: RouterSpec): void {
  for (const spec of [a, b]) {
    const problems = [
      /^[a-z0-9]{1,8}$/.test(spec.name) ? "" : `name ${JSON.stringify(spec.name)} is not [a-z0-9]{1,8}`,
      isIPv4(spec.outsideAddress) ? "" : `outsideAddress ${spec.outsideAddress} is not IPv4`,
      ...[...spec.insideAddresses, ...spec.lanAddresses].map((cidr) =>
        validCidr(cidr) ? "" : `${cidr} is not an IPv4 CIDR`,
      ),
      spec.insideAddresses.length > 0 ? "" : "no insideAddresses",
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`RouterSpec ${spec.name}: ${problems.join("; ")}`);
  }
  if (a.name === b.name) throw new Error(`both routers are named ${a.name}`);
  if (a.outsideAddress === b.outsideAddress) throw new Error(`both routers have outside ${a.outsideAddress}`);
}

// --- one router -------------------------------------------------------------------------------

interface Daemon {
  name: "charon" | "zebra" | "bgpd";
  child: ChildProcess;
  /** Set once the process has exited. */
  exit: string | undefined;
  exited: Promise<void>;
}

interface Router {
  spec: RouterSpec;
  peer: RouterSpec;
  ns: string;
  dir: string;
  frrDir: string;
  vtyDir: string;
  strongswanConf: string;
  swanctlConf: string;
  vici: string;
  charonLog: string;
  daemons: Daemon[];
}

/** What teardown needs, also from the process's exit handler. */
interface ActiveLab {
  namespaces: string[];
  dir: string;
  routers: Router[];
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
      for (const daemon of lab.routers.flatMap((router) => router.daemons)) {
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

/** The end of every log of the routers, for failure messages. */
async function logTails(routers: readonly Router[], lines = 30): Promise<string> {
  const parts = await Promise.all(
    routers.flatMap((router) => [
      readTail(router.charonLog, lines),
      readTail(join(router.dir, "charon.out"), 10),
      readTail(join(router.frrDir, "bgpd.log"), lines),
      readTail(join(router.frrDir, "zebra.log"), 10),
      readTail(join(router.dir, "bgpd.out"), 10),
      readTail(join(router.dir, "zebra.out"), 10),
    ]),
  );
  return parts.join("");
}

function startDaemon(router: Router, name: Daemon["name"], argv: string[], env?: NodeJS.ProcessEnv): void {
  const output = openSync(join(router.dir, `${name}.out`), "w");
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
  router.daemons.push(daemon);
}

/** Throws when one of the router's daemons has exited. */
function assertRunning(router: Router): void {
  const dead = router.daemons.find((daemon) => daemon.exit !== undefined);
  if (dead) throw new Error(`${dead.name} of ${router.spec.name} ${dead.exit}`);
}

/** Polls until `ready` holds, the daemons of `router` stay alive meanwhile. */
async function until(router: Router, what: string, ready: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    assertRunning(router);
    if (await Promise.resolve(ready()).catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${router.spec.name}: timed out waiting for ${what}`);
    await sleep(50);
  }
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
  constructor(
    private readonly routers: readonly Router[],
    private readonly paths: Record<Command, string>,
  ) {}

  private router(name: string): Router {
    const router = this.routers.find((r) => r.spec.name === name);
    if (!router)
      throw new Error(`no router ${name} (have ${this.routers.map((r) => r.spec.name).join(", ")})`);
    return router;
  }

  private envOf(router: Router, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, STRONGSWAN_CONF: router.strongswanConf, ...extra };
  }

  /** `ip netns exec <ns> argv`. */
  ns(router: Router, argv: readonly string[], env?: Record<string, string>): Promise<string> {
    return run([this.paths.ip, "netns", "exec", router.ns, ...argv], { env: this.envOf(router, env) });
  }

  /** `ip -n <ns> args`: no mount namespace switch, quicker than `ip netns exec`. */
  ip(router: Router, args: readonly string[]): Promise<string> {
    return run([this.paths.ip, "-n", router.ns, ...args]);
  }

  exec(router: string, argv: string[], options: { env?: Record<string, string> } = {}): Promise<string> {
    return this.ns(this.router(router), argv, options.env);
  }

  swanctl(router: string, args: string[]): Promise<string> {
    // The vici socket lives in the run dir, so swanctl needs neither the namespace nor charon's mounts.
    const r = this.router(router);
    return run([this.paths.swanctl, ...args], { env: this.envOf(r) });
  }

  vtysh(router: string, command: string): Promise<string> {
    return run([this.paths.vtysh, "--vty_socket", this.router(router).vtyDir, "-c", command]);
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
      await sleep(250);
    }
    const daemons = this.routers
      .flatMap((r) =>
        r.daemons.filter((d) => d.exit !== undefined).map((d) => `${d.name} of ${r.spec.name} ${d.exit}`),
      )
      .join("; ");
    throw new Error(
      `timed out after ${timeoutMs} ms waiting for: ${what}\nlast check: ${last.slice(0, 4000)}` +
        (daemons ? `\ndead daemons: ${daemons}` : "") +
        (await logTails(this.routers)),
    );
  }

  async charonLog(router: string): Promise<string> {
    return readFile(this.router(router).charonLog, "utf8").catch(() => "");
  }

  // --- bring-up --------------------------------------------------------------------------------

  async writeConfigs(router: Router, frr: { uid: number; gid: number }): Promise<void> {
    const swanctlDir = join(router.dir, "swanctl");
    await mkdir(router.vtyDir, { recursive: true });
    await Promise.all(SWANCTL_SUBDIRS.map((sub) => mkdir(join(swanctlDir, sub), { recursive: true })));
    await writeFile(
      router.strongswanConf,
      strongswanConf({ vici: router.vici, charonLog: router.charonLog }),
    );
    await writeFile(router.swanctlConf, router.spec.swanctlConf, { mode: 0o600 });
    const hostname = router.spec.name;
    await writeFile(join(router.frrDir, "zebra.conf"), zebraConf(hostname, join(router.frrDir, "zebra.log")));
    await writeFile(
      join(router.frrDir, "bgpd.conf"),
      bgpdConf(router.spec.bgpdConf, hostname, join(router.frrDir, "bgpd.log")),
    );
    // For bgpd -C: the caller's text alone (its `log` lines blanked), so that the line numbers are
    // the caller's and what bgpd rejects comes out on stdout/stderr rather than in a log file.
    const checkText = router.spec.bgpdConf.replace(/^\s*log .*$/gm, "!");
    await writeFile(join(router.frrDir, "bgpd-check.conf"), checkText);
    // zebra and bgpd run as user frr (FRR refuses root): their dir, files and sockets are frr's.
    const frrFiles = ["zebra.conf", "bgpd.conf", "bgpd-check.conf"].map((f) => join(router.frrDir, f));
    await Promise.all(
      [router.frrDir, router.vtyDir, ...frrFiles].map((path) => chown(path, frr.uid, frr.gid)),
    );
    // bgpd -C reads the file as bgpd reads it at start. Both skip a line they reject and go on
    // (exit 0), so look for the complaints: "No such command on config line 3: ...".
    const check = await execute([BGPD, "-C", "-f", join(router.frrDir, "bgpd-check.conf")]);
    const rejected = `${check.stdout}\n${check.stderr}`
      .split("\n")
      .filter((line) => / on config line \d+/.test(line));
    if (rejected.length > 0) {
      throw new Error(`bgpd rejects lines of ${router.spec.name}'s bgpdConf:\n${rejected.join("\n")}`);
    }
  }

  async network(a: Router, b: Router): Promise<void> {
    await run([this.paths.ip, "netns", "add", a.ns]);
    await run([this.paths.ip, "netns", "add", b.ns]);
    await run([
      this.paths.ip,
      "link",
      "add",
      "wan0",
      "netns",
      a.ns,
      "type",
      "veth",
      "peer",
      "name",
      "wan0",
      "netns",
      b.ns,
    ]);
    await all([this.routerNetwork(a), this.routerNetwork(b)]);
    await this.ns(a, [this.paths.ping, "-c", "1", "-W", "2", b.spec.outsideAddress]).catch(
      (error: unknown) => {
        throw new Error(
          `underlay ping ${a.spec.outsideAddress} -> ${b.spec.outsideAddress} failed: ${String(error)}`,
        );
      },
    );
  }

  private async routerNetwork(router: Router): Promise<void> {
    const { outsideAddress, lanAddresses } = router.spec;
    await this.ip(router, ["link", "set", "lo", "up"]);
    await this.ip(router, ["addr", "add", `${outsideAddress}/32`, "dev", "wan0"]);
    await this.ip(router, ["link", "set", "wan0", "up"]);
    await this.ip(router, [
      "route",
      "add",
      `${router.peer.outsideAddress}/32`,
      "dev",
      "wan0",
      "src",
      outsideAddress,
    ]);
    if (lanAddresses.length > 0) {
      // No dummy or bridge link type in this kernel: a veth pair with both ends inside, both up.
      await this.ip(router, ["link", "add", "lan0", "type", "veth", "peer", "name", "lan0-peer"]);
      for (const cidr of lanAddresses) await this.ip(router, ["addr", "add", cidr, "dev", "lan0"]);
      await this.ip(router, ["link", "set", "lan0-peer", "up"]);
      await this.ip(router, ["link", "set", "lan0", "up"]);
    }
    // Forwarding between LAN and tunnel; decrypted packets re-enter through ipsec0, so no rp_filter.
    await this.ns(router, [
      this.paths.sysctl,
      "-qw",
      "net.ipv4.ip_forward=1",
      "net.ipv4.conf.all.rp_filter=0",
      "net.ipv4.conf.default.rp_filter=0",
    ]);
  }

  /** Starts charon; once it runs, drops its table-220 rule and puts the inside addresses on ipsec0. */
  async charon(router: Router): Promise<void> {
    // charon's pid file is compiled in (/run/charon.pid): a private /run per charon, in the mount
    // namespace `ip netns exec` creates (mounts there do not propagate back).
    startDaemon(
      router,
      "charon",
      [
        this.paths.ip,
        "netns",
        "exec",
        router.ns,
        this.paths.sh,
        "-c",
        'mount -t tmpfs -o mode=755 tmpfs /run && exec "$0"',
        CHARON,
      ],
      this.envOf(router),
    );
    await until(router, "charon's vici socket", () => socketExists(router.vici));
    await until(router, "ipsec0 (kernel-libipsec's TUN device)", async () => {
      await this.ip(router, ["link", "show", "ipsec0"]);
      return true;
    });
    // kernel-libipsec ignores install_routes = no: it routes 0.0.0.0/0 into ipsec0 in its own table
    // and adds a rule consulting that table before main, once, at start. Delete the rule, so only
    // the main table (connected inside /30, BGP routes) decides what enters the tunnel.
    const table = String(CHARON_ROUTING_TABLE);
    await until(router, `charon's "lookup ${table}" ip rule`, async () =>
      (await this.ip(router, ["rule", "show"])).includes(`lookup ${table}`),
    );
    await this.ip(router, ["rule", "del", "pref", table, "table", table]);
    await this.ip(router, ["-6", "rule", "del", "pref", table, "table", table]).catch(() => "");
    for (const cidr of router.spec.insideAddresses)
      await this.ip(router, ["addr", "add", cidr, "dev", "ipsec0"]);
    await this.ip(router, ["link", "set", "ipsec0", "up"]);
  }

  async loadSwanctl(router: Router): Promise<void> {
    assertRunning(router);
    const what = `swanctl --load-all of ${router.spec.name}'s swanctlConf`;
    const load = await execute(
      [this.paths.swanctl, "--load-all", "--noprompt", "--file", router.swanctlConf],
      {
        env: this.envOf(router),
      },
    ).catch((error: unknown) => {
      throw new Error(`${what} failed: ${String(error)}`);
    });
    // A syntax error makes swanctl load nothing and still exit 0 ("invalid config file ...").
    const output = `${load.stderr}\n${load.stdout}`.trim();
    if (/syntax error|invalid config file|failed/.test(output) || !/^loaded connection '/m.test(output)) {
      throw new Error(`${what} loaded no connection or failed:\n${output}`);
    }
  }

  async zebra(router: Router): Promise<void> {
    const d = router.frrDir;
    const zserv = join(d, "zserv.api");
    startDaemon(router, "zebra", [
      ...[this.paths.ip, "netns", "exec", router.ns, ZEBRA],
      ...[
        "-f",
        join(d, "zebra.conf"),
        "-i",
        join(d, "zebra.pid"),
        "-z",
        zserv,
        "--vty_socket",
        router.vtyDir,
      ],
    ]);
    await until(router, "zebra's zserv.api socket", () => socketExists(zserv));
  }

  async bgpd(router: Router): Promise<void> {
    const d = router.frrDir;
    startDaemon(router, "bgpd", [
      ...[this.paths.ip, "netns", "exec", router.ns, BGPD],
      ...["-f", join(d, "bgpd.conf"), "-i", join(d, "bgpd.pid"), "-z", join(d, "zserv.api")],
      ...["--vty_socket", router.vtyDir],
    ]);
    await until(router, "bgpd's vty socket", () => socketExists(join(router.vtyDir, "bgpd.vty")));
  }

  /** Stops every daemon and removes namespaces; returns what went wrong, if anything. */
  async teardown(lab: ActiveLab): Promise<string[]> {
    const problems: string[] = [];
    const daemons = this.routers.flatMap((router) => router.daemons).reverse();
    for (const daemon of daemons) if (daemon.exit === undefined) daemon.child.kill("SIGTERM");
    const stopped = await Promise.race([
      Promise.all(daemons.map((daemon) => daemon.exited)).then(() => true),
      sleep(3000).then(() => false),
    ]);
    if (!stopped) {
      for (const daemon of daemons) if (daemon.exit === undefined) daemon.child.kill("SIGKILL");
      await Promise.race([Promise.all(daemons.map((daemon) => daemon.exited)), sleep(2000)]);
    }
    for (const ns of lab.namespaces) {
      await killNamespace(this.paths.ip, ns).catch((error: unknown) => problems.push(String(error)));
    }
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

function router(spec: RouterSpec, peer: RouterSpec, base: string, n: number): Router {
  const dir = join(base, spec.name);
  const frrDir = join(dir, "frr");
  return {
    spec,
    peer,
    ns: `hai-${spec.name}-${process.pid}-${n}`,
    dir,
    frrDir,
    vtyDir: join(frrDir, "vty"),
    strongswanConf: join(dir, "strongswan.conf"),
    swanctlConf: join(dir, "swanctl", "swanctl.conf"),
    vici: join(dir, "charon.vici"),
    charonLog: join(dir, "charon.log"),
    daemons: [],
  };
}

/** Like Promise.all, but settles every promise first: nothing keeps running into the teardown. */
async function all(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
}

async function bringUp(lab: Harness, a: Router, b: Router, frr: { uid: number; gid: number }): Promise<void> {
  await all([lab.writeConfigs(a, frr), lab.writeConfigs(b, frr)]);
  await lab.network(a, b);
  // zebra needs no tunnel: it starts alongside charon, and picks up ipsec0's addresses as they come.
  await all([lab.charon(a), lab.charon(b), lab.zebra(a), lab.zebra(b)]);
  // b first: put the responder second in withRouters' arguments and it is ready when a initiates.
  await lab.loadSwanctl(b);
  await lab.loadSwanctl(a);
  // bgpd once the inside addresses exist (else its first connect fails and waits for the connect timer).
  await all([lab.bgpd(a), lab.bgpd(b)]);
}

/**
 * Creates both namespaces joined by a veth pair, starts charon (kernel-libipsec) and FRR (zebra +
 * bgpd) in each from the specs, runs `fn`, and always tears everything down (namespaces,
 * processes, run dirs), also when fn throws or a start fails. `b`'s swanctl.conf is loaded first:
 * pass the responder as `b`.
 */
export async function withRouters(
  a: RouterSpec,
  b: RouterSpec,
  fn: (lab: Lab) => Promise<void>,
): Promise<void> {
  const support = daemonSupport();
  if (!support.ok) throw new Error(`cannot run the VPN daemons: ${support.reason}`);
  const paths = commandPaths();
  const frr = frrUser();
  if (Array.isArray(paths) || !frr) throw new Error("unreachable: daemonSupport checked the commands");
  validate(a, b);
  installExitHook(paths.ip);
  await sweep(paths.ip);

  sequence += 1;
  const processDir = join(tmpdir(), `hybrid-ai-infra-vpn-${process.pid}`);
  const base = join(processDir, String(sequence));
  if (!/^[A-Za-z0-9._/-]+$/.test(base))
    throw new Error(`run dir ${base} has characters the configs cannot hold`);
  const routers = [router(a, b, base, sequence), router(b, a, base, sequence)] as const;
  const lab = new Harness(routers, paths);
  const state: ActiveLab = { namespaces: routers.map((r) => r.ns), dir: base, routers: [...routers] };
  active.add(state);

  let failure: unknown;
  try {
    await mkdir(base, { recursive: true });
    // FRR runs as frr and must reach its dir: 0755 whatever the umask.
    await chmod(processDir, 0o755);
    await chmod(base, 0o755);
    const started = Date.now();
    try {
      await bringUp(lab, routers[0], routers[1], frr);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(
        `VPN lab bring-up failed after ${Date.now() - started} ms: ${message}${await logTails(routers)}`,
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
