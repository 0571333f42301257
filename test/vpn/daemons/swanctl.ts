// Reading `swanctl --list-sas --pretty`: vici messages printed one item a line. The pretty form
// carries the same data as `--raw`, but line by line, so a value holding spaces (a DN identity,
// say) cannot be mistaken for the next key.

/** A vici section: values, lists and nested sections by key. */
export interface ViciSection {
  [key: string]: string | string[] | ViciSection;
}

/** One message of the output, e.g. `{ type: "list-sa event", body: { "aws-tunnel1": {...} } }`. */
export interface ViciMessage {
  type: string;
  body: ViciSection;
}

/** Parses `swanctl ... --pretty` output into its messages. Throws on text it does not understand. */
export function parseSwanctlPretty(text: string): ViciMessage[] {
  const messages: ViciMessage[] = [];
  const stack: ViciSection[] = [];
  let list: string[] | undefined;
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (line === "") continue;
    const where = `line ${index + 1} ${JSON.stringify(raw)}`;
    if (list) {
      if (line === "]") list = undefined;
      else list.push(line);
      continue;
    }
    const current = stack.at(-1);
    const empty = /^(.+) \{\}$/.exec(line);
    const open = /^(.+) \{$/.exec(line);
    const listStart = /^(\S+) = \[$/.exec(line);
    const pair = /^(\S+) = (.*)$/.exec(line);
    if (line === "}") {
      if (!stack.pop()) throw new Error(`swanctl output: unbalanced } at ${where}`);
    } else if (empty?.[1]) {
      // An empty message or section printed on one line, e.g. "list-sas reply {}".
      if (current) current[empty[1]] = {};
      else messages.push({ type: empty[1], body: {} });
    } else if (open?.[1]) {
      const section: ViciSection = {};
      if (current) current[open[1]] = section;
      else messages.push({ type: open[1], body: section });
      stack.push(section);
    } else if (listStart?.[1] && current) {
      list = [];
      current[listStart[1]] = list;
    } else if (pair?.[1] && pair[2] !== undefined && current) {
      current[pair[1]] = pair[2];
    } else {
      throw new Error(`swanctl output: cannot read ${where}`);
    }
  }
  if (stack.length > 0 || list)
    throw new Error("swanctl output: truncated (a section or list is not closed)");
  return messages;
}

/** A CHILD SA as `--list-sas` reports it. */
export interface ChildSa {
  /** The config name (`name` key), e.g. "aws-tunnel1-child". */
  name: string;
  uniqueId: string;
  state: string;
  mode: string;
  protocol: string;
  /** UDP encapsulation: always with kernel-libipsec. */
  encap: boolean;
  encrAlg: string;
  encrKeysize: string;
  /** The PFS group: absent for the CHILD SA created with IKE_AUTH, set after a rekey with KE. */
  dhGroup: string | undefined;
  packetsIn: number;
  packetsOut: number;
  /** ESP payload bytes decrypted and encrypted by this SA. */
  bytesIn: number;
  bytesOut: number;
  /** Seconds until the SA is rekeyed, and until it expires. */
  rekeyTime: number | undefined;
  lifeTime: number | undefined;
  localTs: string[];
  remoteTs: string[];
  raw: ViciSection;
}

/** An IKE SA as `--list-sas` reports it, with its CHILD SAs. */
export interface IkeSa {
  /** The connection name. */
  name: string;
  uniqueId: string;
  state: string;
  version: string;
  encrAlg: string;
  encrKeysize: string;
  prfAlg: string;
  dhGroup: string;
  /** Whether this end initiated the IKE SA. */
  initiator: boolean;
  /** Seconds until the IKE SA is rekeyed. */
  rekeyTime: number | undefined;
  children: ChildSa[];
  raw: ViciSection;
}

function text(section: ViciSection, key: string): string {
  const value = section[key];
  return typeof value === "string" ? value : "";
}

function strings(section: ViciSection, key: string): string[] {
  const value = section[key];
  return Array.isArray(value) ? value : [];
}

function subsections(section: ViciSection): [string, ViciSection][] {
  return Object.entries(section).flatMap(([name, value]) =>
    typeof value === "string" || Array.isArray(value) ? [] : [[name, value] as [string, ViciSection]],
  );
}

function sections(section: ViciSection, key: string): [string, ViciSection][] {
  const value = section[key];
  return value === undefined || typeof value === "string" || Array.isArray(value) ? [] : subsections(value);
}

function seconds(section: ViciSection, key: string): number | undefined {
  const value = text(section, key);
  return value === "" ? undefined : Number(value);
}

function childSa(raw: ViciSection): ChildSa {
  return {
    name: text(raw, "name"),
    uniqueId: text(raw, "uniqueid"),
    state: text(raw, "state"),
    mode: text(raw, "mode"),
    protocol: text(raw, "protocol"),
    encap: text(raw, "encap") === "yes",
    encrAlg: text(raw, "encr-alg"),
    encrKeysize: text(raw, "encr-keysize"),
    dhGroup: text(raw, "dh-group") || undefined,
    packetsIn: Number(text(raw, "packets-in") || "0"),
    packetsOut: Number(text(raw, "packets-out") || "0"),
    bytesIn: Number(text(raw, "bytes-in") || "0"),
    bytesOut: Number(text(raw, "bytes-out") || "0"),
    rekeyTime: seconds(raw, "rekey-time"),
    lifeTime: seconds(raw, "life-time"),
    localTs: strings(raw, "local-ts"),
    remoteTs: strings(raw, "remote-ts"),
    raw,
  };
}

/** The IKE SAs of `swanctl --list-sas --pretty` output. */
export function ikeSas(prettyOutput: string): IkeSa[] {
  return parseSwanctlPretty(prettyOutput)
    .filter((message) => message.type === "list-sa event")
    .flatMap((message) => subsections(message.body))
    .map(([name, raw]) => ({
      name,
      uniqueId: text(raw, "uniqueid"),
      state: text(raw, "state"),
      version: text(raw, "version"),
      encrAlg: text(raw, "encr-alg"),
      encrKeysize: text(raw, "encr-keysize"),
      prfAlg: text(raw, "prf-alg"),
      dhGroup: text(raw, "dh-group"),
      initiator: text(raw, "initiator") === "yes",
      rekeyTime: seconds(raw, "rekey-time"),
      children: sections(raw, "child-sas").map(([, child]) => childSa(child)),
      raw,
    }));
}
