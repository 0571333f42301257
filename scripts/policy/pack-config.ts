// A `--policy-pack-config` file read the way the Pulumi CLI reads it: `all` sets every policy's
// level; a policy's key sets its level (a string) or its level and properties (an object). Each
// policy then gets its schema's defaults under what the file gives, and unknown policies or
// properties are errors, as they are for `pulumi preview`.

/** One policy as the pack describes itself (`GetAnalyzerInfo`). */
export interface PackPolicy {
  name: string;
  enforcementLevel: EnforcementLevel;
  properties: Record<string, { default?: unknown; type?: string }>;
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** What `Configure` receives per policy. */
export interface PolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

/** A config file that does not fit the pack. */
export class PackConfigError extends Error {}

const TYPE_OF: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === "object" && !Array.isArray(v),
};

function level(value: unknown, where: string): EnforcementLevel {
  if (typeof value === "string" && (LEVELS as readonly string[]).includes(value))
    return value as EnforcementLevel;
  throw new PackConfigError(
    `${where}: "${String(value)}" is not an enforcement level; use one of ${LEVELS.join(", ")}`,
  );
}

/** Each policy's level and properties under `file` (parsed JSON; undefined: no file). */
export function resolvePackConfig(
  policies: readonly PackPolicy[],
  file: unknown,
  source = "config",
): Record<string, PolicyConfig> {
  const given = (file ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || Array.isArray(given))
    throw new PackConfigError(`${source}: must be a JSON object of policy names`);
  const names = new Set(policies.map((p) => p.name));
  for (const key of Object.keys(given)) {
    if (key !== "all" && !names.has(key))
      throw new PackConfigError(
        `${source}: "${key}" is not a policy of the pack; its policies are ${[...names].sort().join(", ")}`,
      );
  }
  const all = given.all === undefined ? undefined : level(given.all, `${source}: all`);
  const out: Record<string, PolicyConfig> = {};
  for (const p of policies) {
    const entry = given[p.name];
    const props = entry !== null && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
    const { enforcementLevel: own, ...properties } = props;
    const chosen =
      typeof entry === "string"
        ? level(entry, `${source}: ${p.name}`)
        : own !== undefined
          ? level(own, `${source}: ${p.name}.enforcementLevel`)
          : (all ?? p.enforcementLevel);
    for (const [k, v] of Object.entries(properties)) {
      const schema = p.properties[k];
      if (!schema) throw new PackConfigError(`${source}: ${p.name}.${k} is not a property of ${p.name}`);
      const check = schema.type ? TYPE_OF[schema.type] : undefined;
      if (check && !check(v))
        throw new PackConfigError(`${source}: ${p.name}.${k} must be of type ${schema.type}`);
    }
    const defaults = Object.fromEntries(
      Object.entries(p.properties).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])),
    );
    out[p.name] = { enforcementLevel: chosen, properties: { ...defaults, ...properties } };
  }
  return out;
}
