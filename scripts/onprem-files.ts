// `npm run onprem-files -- --stack prod --dir out/`: the step between the two deploy phases. The
// platform phase outputs what the on-premises side needs (the router's strongSwan, FRR and
// interface files, the resolver's unbound snippet) as secret stack outputs; this writes them as
// files, with the modes they need and the commands that load them, from
// `pulumi stack output --json --show-secrets` (run here, or read from a file with --outputs).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, type ConfigIssue } from "../components/validation";

/** One file to install on-premises. */
export interface OnPremFile {
  /** Where it goes, relative to the output directory (the same path under `/` on the host). */
  path: string;
  /** Octal file mode: secrets stay readable by root alone. */
  mode: number;
  content: string;
  /** What to run once it is in place. */
  load: string;
}

/** The stack outputs this reads, as `pulumi stack output --json --show-secrets` prints them. */
interface PlatformStackOutputs {
  vpn?: {
    onpremRouter?: {
      swanctlConf?: unknown;
      bgpdConf?: unknown;
      interfacesScript?: unknown;
      charonConf?: unknown;
    };
  };
  dns?: { onpremUnbound?: unknown };
  /** Cross-site services: dc1's resolver answers their names with dc1's gateway. */
  traffic?: { onpremUnbound?: unknown };
}

/** What `pulumi stack output` prints for a secret it was not asked to show. */
const MASKED = "[secret]";

/**
 * The on-premises files of a platform stack's outputs. A stack whose links never reach on-premises
 * has none; a masked secret or a missing output is one ConfigError naming it and the step to take.
 */
export function onPremFiles(stack: string, outputs: PlatformStackOutputs): OnPremFile[] {
  const issues: ConfigIssue[] = [];
  const text = (path: string, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (value === MASKED || typeof value !== "string") {
      issues.push({
        path,
        message: `is ${value === MASKED ? "masked" : "not text"}; read the outputs with pulumi stack output --json --show-secrets`,
      });
      return undefined;
    }
    return value;
  };
  const router = outputs.vpn?.onpremRouter;
  const swanctl = text("vpn.onpremRouter.swanctlConf", router?.swanctlConf);
  const bgpd = text("vpn.onpremRouter.bgpdConf", router?.bgpdConf);
  const interfaces = text("vpn.onpremRouter.interfacesScript", router?.interfacesScript);
  const charon = text("vpn.onpremRouter.charonConf", router?.charonConf);
  const unbound = text("dns.onpremUnbound", outputs.dns?.onpremUnbound);
  const names = text("traffic.onpremUnbound", outputs.traffic?.onpremUnbound);
  if (issues.length > 0) throw new ConfigError(`platform stack "${stack}" outputs`, issues);
  if (!router && !unbound)
    throw new ConfigError(`platform stack "${stack}" outputs`, [
      {
        path: "vpn.onpremRouter",
        message:
          "is not an output: the stack has no VPN link to on-premises, or the platform phase has not run; run pulumi up on the platform phase first",
      },
    ]);
  const name = `hybrid-ai-infra-${stack}`;
  const files: OnPremFile[] = [];
  if (interfaces)
    files.push({
      path: `usr/local/sbin/${name}-interfaces.sh`,
      mode: 0o700,
      content: interfaces,
      load: `/usr/local/sbin/${name}-interfaces.sh (before strongSwan starts, and at every boot: a systemd unit with Before=strongswan.service)`,
    });
  if (charon)
    files.push({
      path: `etc/strongswan.d/${name}.conf`,
      mode: 0o644,
      content: charon,
      load: "systemctl restart strongswan (charon reads its settings at start)",
    });
  if (swanctl)
    files.push({
      path: `etc/swanctl/conf.d/${name}.conf`,
      mode: 0o600,
      content: swanctl,
      load: "swanctl --load-all",
    });
  if (bgpd)
    files.push({
      path: `etc/frr/${name}.bgpd.conf`,
      mode: 0o600,
      content: bgpd,
      load: `vtysh -f /etc/frr/${name}.bgpd.conf && vtysh -c "write memory"`,
    });
  if (unbound)
    files.push({
      path: `etc/unbound/unbound.conf.d/${name}.conf`,
      mode: 0o644,
      content: unbound,
      load: "unbound-checkconf && unbound-control reload",
    });
  if (names)
    files.push({
      path: `etc/unbound/unbound.conf.d/${name}-services.conf`,
      mode: 0o644,
      content: names,
      load: "unbound-checkconf && unbound-control reload (the cross-site services' names, answered with dc1's gateway)",
    });
  return files;
}

/** Writes the files under `dir` with their modes; returns what to run, in order. */
export function writeOnPremFiles(dir: string, files: readonly OnPremFile[]): string[] {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, file.content, { mode: file.mode });
    // writeFileSync applies the mode only to a new file: an existing one keeps its old mode.
    chmodSync(path, file.mode);
  }
  return files.map((f) => f.load);
}

const USAGE = `usage: npm run -s onprem-files -- --stack NAME --dir DIR [--outputs FILE]

Writes the on-premises side of a platform stack (the VPN router's strongSwan, FRR and interface
files, the resolver's unbound snippets: forwarding, and the cross-site services' names) under DIR, as they go under / on the router and the
resolver, with root-only modes for the secrets, and prints the commands that load them. Reads the
stack's outputs with \`pulumi stack output --json --show-secrets --stack NAME\`, or from FILE (that
command's output; - for stdin).`;

/** Where the command writes; a test passes its own. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STDIO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** `npm run onprem-files` with `argv`; returns the exit code. */
export function onPremFilesCli(argv: string[], io: Io = STDIO): number {
  let values: { stack?: string; dir?: string; outputs?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        dir: { type: "string" },
        outputs: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    io.err(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  if (!values.stack || !values.dir) {
    io.err(`--stack and --dir are required\n${USAGE}\n`);
    return 2;
  }
  try {
    const raw =
      values.outputs === undefined
        ? execFileSync("pulumi", ["stack", "output", "--json", "--show-secrets", "--stack", values.stack], {
            encoding: "utf8",
          })
        : readFileSync(values.outputs === "-" ? 0 : values.outputs, "utf8");
    const files = onPremFiles(values.stack, JSON.parse(raw) as PlatformStackOutputs);
    const dir = resolve(values.dir);
    const steps = writeOnPremFiles(dir, files);
    io.out(
      [
        `wrote ${files.length} files under ${dir}; copy each to the same path under / on the router (resolver files on the resolver), then run, in order:`,
        ...steps.map((s) => `  ${s}`),
        "",
      ].join("\n"),
    );
    return 0;
  } catch (e) {
    const missingCli = (e as NodeJS.ErrnoException).code === "ENOENT" && values.outputs === undefined;
    io.err(
      missingCli
        ? "the Pulumi CLI is not on PATH: install it, or save `pulumi stack output --json --show-secrets` elsewhere and pass the file with --outputs\n"
        : `${(e as Error).message}\n`,
    );
    return 1;
  }
}

if (require.main === module) process.exitCode = onPremFilesCli(process.argv.slice(2));
