// Reading a swanctl.conf as the lab needs it: each connection's text as written, the settings that
// place it (addresses, XFRM interface ids), and the secrets block. strongSwan's settings syntax:
// `name { ... }` sections, `key = value` pairs, `#` comments (not inside quotes).

/** One connection of a swanctl.conf. */
export interface SwanctlConnection {
  name: string;
  /** The connection's section, verbatim, from `name {` to its closing brace. */
  text: string;
  /** Its own settings (not its children's or `local`/`remote`'s), e.g. `remote_addrs`. */
  settings: Record<string, string>;
}

/** One section of `secrets`, e.g. `ike-aws-dc1-1 { id = ...; secret = ... }`. */
export interface SwanctlSecret {
  name: string;
  /** The section, verbatim. */
  text: string;
  /** The identities it is for (`id` and `id-*` settings). */
  ids: string[];
}

/** A swanctl.conf split into its connections and the body of its `secrets` section. */
export interface SwanctlFile {
  connections: SwanctlConnection[];
  /** What `secrets { ... }` holds, verbatim (empty when there is none). */
  secrets: string;
  /** The sections of `secrets`. */
  secretSections: SwanctlSecret[];
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === "#" && !quoted) return line.slice(0, i);
  }
  return line;
}

/** Splits `text`; throws, naming the line, on what it cannot read (unbalanced braces, stray text). */
export function splitSwanctlConf(text: string): SwanctlFile {
  const lines = text.split("\n");
  const connections: SwanctlConnection[] = [];
  const secretSections: SwanctlSecret[] = [];
  let secret: SwanctlSecret | undefined;
  let secretStart = -1;
  let secrets = "";
  // Path of open sections, and where the current top-level child started.
  const open: string[] = [];
  let childStart = -1;
  let child: SwanctlConnection | undefined;
  let secretsStart = -1;
  lines.forEach((raw, index) => {
    const line = stripComment(raw).trim();
    if (line === "") return;
    const where = `swanctl.conf line ${index + 1}: ${JSON.stringify(raw)}`;
    const section = /^([A-Za-z0-9_.-]+)\s*\{$/.exec(line);
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/.exec(line);
    if (section?.[1]) {
      open.push(section[1]);
      if (open.length === 1 && section[1] === "secrets") secretsStart = index;
      if (open.length === 2 && open[0] === "connections") {
        childStart = index;
        child = { name: section[1], text: "", settings: {} };
      }
      if (open.length === 2 && open[0] === "secrets") {
        secretStart = index;
        secret = { name: section[1], text: "", ids: [] };
      }
    } else if (line === "}") {
      if (open.length === 0) throw new Error(`${where}: unbalanced }`);
      if (open.length === 2 && open[0] === "connections" && child) {
        child.text = lines.slice(childStart, index + 1).join("\n");
        connections.push(child);
        child = undefined;
      }
      if (open.length === 2 && open[0] === "secrets" && secret) {
        secret.text = lines.slice(secretStart, index + 1).join("\n");
        secretSections.push(secret);
        secret = undefined;
      }
      if (open.length === 1 && open[0] === "secrets")
        secrets = lines.slice(secretsStart + 1, index).join("\n");
      open.pop();
    } else if (pair?.[1] && pair[2] !== undefined) {
      if (open.length === 2 && child) child.settings[pair[1]] = pair[2].trim();
      if (open.length === 2 && secret && /^id(-|$)/.test(pair[1])) secret.ids.push(pair[2].trim());
      if (open.length === 0) throw new Error(`${where}: a setting outside any section`);
    } else {
      throw new Error(`${where}: cannot read it`);
    }
  });
  if (open.length > 0) throw new Error(`swanctl.conf: section ${open.join(".")} is not closed`);
  return { connections, secrets, secretSections };
}

/** The remote identity of a connection: its `remote { id }`, else its remote address. */
export function remoteId(connection: SwanctlConnection): string {
  const remote = /\n\s*remote\s*\{([^}]*)\}/.exec(connection.text)?.[1] ?? "";
  return /^\s*id\s*=\s*(\S+)\s*$/m.exec(remote)?.[1] ?? connection.settings.remote_addrs ?? "";
}

/**
 * A swanctl.conf with one connection and the secrets for its peer: a charon per tunnel end holds
 * what that end would (a cloud's tunnel endpoint knows its own key, not its neighbour's).
 */
export function oneConnectionFile(connection: SwanctlConnection, file: SwanctlFile): string {
  const id = remoteId(connection);
  // Two tunnels to one peer share its identity (AWS's two tunnels to a router): the section named
  // after the connection, `ike-<name>` as the library writes it, tells their keys apart.
  const named = file.secretSections.filter((s) => s.name === `ike-${connection.name}` && s.ids.includes(id));
  const secrets = named.length > 0 ? named : file.secretSections.filter((s) => s.ids.includes(id));
  if (secrets.length === 0) throw new Error(`no secret of the file is for ${connection.name}'s peer ${id}`);
  return `connections {\n${connection.text}\n}\n\nsecrets {\n${secrets.map((s) => s.text).join("\n")}\n}\n`;
}
