// A `--policy-pack-config` file read and validated exactly as the Pulumi CLI does
// (pkg/resource/analyzer/config.go: parsePolicyPackConfig, ReconcilePolicyPackConfig,
// validatePolicyConfig): each policy starts from its schema's defaults and its own level, `all`
// sets every level, a policy's key sets its level (a string) or level and properties (an object),
// then every policy's properties are validated against `{ type: object, properties, required }`
// built from the schema the pack declares, with gojsonschema's messages. What the CLI ignores
// (keys that name no policy, properties no schema declares, ESC `environments`) is ignored here
// too, and said as a warning.

/** One policy as the pack describes itself (`GetAnalyzerInfo`). */
export interface PackPolicy {
  name: string;
  enforcementLevel: EnforcementLevel;
  properties: Record<string, JsonSchema>;
  required?: readonly string[];
}

/** The subset of JSON Schema the pack's config schemas may use (a test keeps them to it). */
export interface JsonSchema {
  type?: string | string[];
  default?: unknown;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
}

/** The keywords `validate` implements; anything else in a pack schema is refused by the tests. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "default",
  "description",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
]);

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];

/** What `Configure` receives per policy. */
export interface PolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

/** A config file the CLI would refuse. */
export class PackConfigError extends Error {}

const isLevel = (v: unknown): v is EnforcementLevel =>
  typeof v === "string" && (LEVELS as readonly string[]).includes(v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** gojsonschema's name for a value's type. */
function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const given = typeName(v);
  return expected === given || (expected === "number" && given === "integer");
}

/** gojsonschema's text for a value in messages (`"a"`, `14`). */
const literal = (v: unknown) => JSON.stringify(v);

/** Validates `value` at `field` against `schema`, pushing gojsonschema's "field: description" lines. */
function validate(schema: JsonSchema, value: unknown, field: string, errors: string[]): void {
  const say = (description: string) => errors.push(`${field}: ${description}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      say(`Invalid type. Expected: ${types.join(", ")}, given: ${typeName(value)}`);
      return;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    say(`${field} must be one of the following: ${schema.enum.map(literal).join(", ")}`);
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value))
    say(`${field} does not match: ${literal(schema.const)}`);
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      say(`Must be greater than or equal to ${schema.minimum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      say(`Must be greater than ${schema.exclusiveMinimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      say(`Must be less than or equal to ${schema.maximum}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
      say(`Must be less than ${schema.exclusiveMaximum}`);
    if (schema.multipleOf !== undefined && !Number.isInteger(value / schema.multipleOf))
      say(`Must be a multiple of ${schema.multipleOf}`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength)
      say(`String length must be greater than or equal to ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength)
      say(`String length must be less than or equal to ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
      say(`Does not match pattern '${schema.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      say(`Array must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      say(`Array must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems)
      value.forEach((a, i) => {
        value.forEach((b, j) => {
          if (i < j && JSON.stringify(a) === JSON.stringify(b)) say(`array items[${i},${j}] must be unique`);
        });
      });
    if (schema.items)
      value.forEach((item, i) => {
        validate(schema.items as JsonSchema, item, child(field, String(i)), errors);
      });
  }
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (!(name in value)) say(`${name} is required`);
    for (const [k, v] of Object.entries(value)) {
      const own = schema.properties?.[k];
      if (own) validate(own, v, child(field, k), errors);
      else if (schema.additionalProperties === false) say(`Additional property ${k} is not allowed`);
      else if (isObject(schema.additionalProperties))
        validate(schema.additionalProperties, v, child(field, k), errors);
    }
  }
}

const child = (field: string, key: string) => (field === "(root)" ? key : `${field}.${key}`);

/** One policy's properties against its schema, as the CLI reports them (`policy: field: message`). */
export function validatePolicyConfig(policy: PackPolicy, properties: Record<string, unknown>): string[] {
  const errors: string[] = [];
  validate(
    {
      type: "object",
      ...(Object.keys(policy.properties).length > 0 ? { properties: policy.properties } : {}),
      ...(policy.required && policy.required.length > 0 ? { required: [...policy.required] } : {}),
    },
    properties,
    "(root)",
    errors,
  );
  // The CLI trims the root's "(root): " prefix.
  return errors.map((e) => `${policy.name}: ${e.replace(/^\(root\): /, "")}`);
}

/** A config file's entries as the CLI parses them: a level and properties per key. */
function parse(
  file: unknown,
  source: string,
): {
  entries: Map<string, { level?: EnforcementLevel; properties?: Record<string, unknown> }>;
  warnings: string[];
} {
  const entries = new Map<string, { level?: EnforcementLevel; properties?: Record<string, unknown> }>();
  const warnings: string[] = [];
  if (file === undefined || file === null) return { entries, warnings };
  if (!isObject(file)) throw new PackConfigError(`${source}: must be a JSON object of policy names`);
  for (const [key, value] of Object.entries(file)) {
    if (key === "environments") {
      if (!Array.isArray(value))
        throw new PackConfigError(`${source}: "environments" must be an array of strings`);
      value.forEach((v, i) => {
        if (typeof v !== "string")
          throw new PackConfigError(`${source}: "environments[${i}]" must be a string`);
      });
      warnings.push(
        `${source}: environments (${value.join(", ")}) are Pulumi ESC environments, which only the Pulumi CLI resolves; ignored here`,
      );
      continue;
    }
    if (typeof value === "string") {
      if (!isLevel(value))
        throw new PackConfigError(
          `${source}: parsing enforcement level for "${key}": "${value}" is not a valid enforcement level (${LEVELS.join(", ")})`,
        );
      entries.set(key, { level: value });
    } else if (isObject(value)) {
      const { enforcementLevel, ...properties } = value;
      if (enforcementLevel !== undefined && typeof enforcementLevel !== "string")
        throw new PackConfigError(
          `${source}: parsing enforcement level for "${key}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level; must be a string`,
        );
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel))
        throw new PackConfigError(
          `${source}: parsing enforcement level for "${key}": "${enforcementLevel}" is not a valid enforcement level (${LEVELS.join(", ")})`,
        );
      entries.set(key, {
        ...(enforcementLevel !== undefined ? { level: enforcementLevel as EnforcementLevel } : {}),
        ...(Object.keys(properties).length > 0 ? { properties } : {}),
      });
    } else {
      throw new PackConfigError(
        `${source}: parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
      );
    }
  }
  return { entries, warnings };
}

/**
 * Each policy's level and properties under `file` (parsed JSON; undefined: no file), as the CLI
 * reconciles them, or the CLI's refusal as a PackConfigError.
 */
export function resolvePackConfig(
  policies: readonly PackPolicy[],
  file: unknown,
  source = "config",
  packName = "hybrid-ai-infra",
): { config: Record<string, PolicyConfig>; warnings: string[] } {
  const { entries, warnings } = parse(file, source);
  const names = new Set(policies.map((p) => p.name));
  for (const key of entries.keys())
    if (key !== "all" && !names.has(key))
      warnings.push(
        `${source}: "${key}" is not a policy of the pack; the Pulumi CLI ignores it too (a typo?)`,
      );
  const all = entries.get("all")?.level;
  const config: Record<string, PolicyConfig> = {};
  const errors: string[] = [];
  for (const p of policies) {
    const defaults = Object.fromEntries(
      Object.entries(p.properties).flatMap(([k, s]) => (s.default === undefined ? [] : [[k, s.default]])),
    );
    const given = entries.get(p.name);
    const properties = { ...defaults, ...(given?.properties ?? {}) };
    for (const k of Object.keys(given?.properties ?? {}))
      if (!(k in p.properties))
        warnings.push(
          `${source}: ${p.name}.${k} is not a property of ${p.name}; the Pulumi CLI ignores it too`,
        );
    config[p.name] = { enforcementLevel: given?.level ?? all ?? p.enforcementLevel, properties };
    errors.push(...validatePolicyConfig(p, properties));
  }
  if (errors.length > 0)
    throw new PackConfigError(
      `${source}: validating policy config for "${packName}": ${errors.sort().join("; ")}`,
    );
  return { config, warnings };
}
