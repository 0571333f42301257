// AWS policy documents (IAM identity policies, trust policies, bucket, access point and key
// policies) read the way AWS evaluates them: a condition narrows who a statement applies to only
// when it must hold for every request. So `...IfExists` operators (true when the key is absent),
// `ForAllValues:` (true for an empty key), negated operators (`StringNotEquals`: everyone but a
// few), `Null` tests, wildcard or variable values (`o-*`, `arn:aws:iam::*:role/x`, `${aws:username}`)
// and address ranges that are the internet however they are written never count.
import { type Block, internetFamilies, parseBlock } from "./cidr";
import type { ResourceContext } from "./rule";
import { containsUnknown, entries, isUnknown, list, type Props, strings, UNKNOWN } from "./values";

/** A verdict that may wait for the update: true, false, or not known during preview. */
export type Tri = boolean | typeof UNKNOWN;

/** One `Operator: { key: values }` entry of a Condition block. */
export interface Condition {
  /** As written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  /** The base operator, lower case (`stringlike`). */
  base: string;
  ifExists: boolean;
  qualifier: "forallvalues" | "foranyvalue" | undefined;
  /** Lower case. */
  key: string;
  values: unknown[];
}

/** One statement, normalised. */
export interface Statement {
  index: number;
  sid: string | undefined;
  effect: "allow" | "deny" | "other";
  principal: unknown;
  notPrincipal: unknown;
  /** Actions and resources as written; `UNKNOWN` elements are values known after apply. */
  actions: unknown[] | undefined;
  notActions: unknown[] | undefined;
  resources: unknown[] | undefined;
  notResources: unknown[] | undefined;
  conditions: Condition[];
  /** Whether the Condition block itself (or an entry of it) is unknown. */
  conditionsUnknown: boolean;
  /** Whether anything in the statement is unknown (its effect, principal, actions, ...). */
  unknown: boolean;
}

/** A parsed document, `UNKNOWN` (built from values known after apply), or undefined (none, or not JSON). */
export type Document = { statements: Statement[] } | typeof UNKNOWN | undefined;

/** Reads a policy input: a JSON string, an object (v7 accepts both), or unknown. */
export function parseDocument(value: unknown): Document {
  if (isUnknown(value)) return UNKNOWN;
  let doc: unknown = value;
  if (typeof value === "string") {
    if (value.trim() === "") return undefined;
    try {
      doc = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (doc === null || typeof doc !== "object") return undefined;
  const raw = (doc as Props).Statement;
  if (isUnknown(raw)) return UNKNOWN;
  const statements = list(raw).flatMap((s, index): Statement[] => {
    if (isUnknown(s)) return [unknownStatement(index)];
    if (s === null || typeof s !== "object") return [];
    const st = s as Props;
    const field = (k: string) => (st[k] === undefined ? undefined : list(st[k]));
    const effect = typeof st.Effect === "string" ? st.Effect.toLowerCase() : "";
    const { conditions, unknown } = parseConditions(st.Condition);
    return [
      {
        index,
        sid: typeof st.Sid === "string" ? st.Sid : undefined,
        effect: effect === "allow" ? "allow" : effect === "deny" ? "deny" : "other",
        principal: st.Principal,
        notPrincipal: st.NotPrincipal,
        actions: field("Action"),
        notActions: field("NotAction"),
        resources: field("Resource"),
        notResources: field("NotResource"),
        conditions,
        conditionsUnknown: unknown,
        unknown: containsUnknown(st),
      },
    ];
  });
  return { statements };
}

function unknownStatement(index: number): Statement {
  return {
    index,
    sid: undefined,
    effect: "other",
    principal: UNKNOWN,
    notPrincipal: undefined,
    actions: [UNKNOWN],
    notActions: undefined,
    resources: [UNKNOWN],
    notResources: undefined,
    conditions: [],
    conditionsUnknown: true,
    unknown: true,
  };
}

function parseConditions(block: unknown): { conditions: Condition[]; unknown: boolean } {
  if (isUnknown(block)) return { conditions: [], unknown: true };
  let unknown = false;
  const conditions = entries(block).flatMap(([operator, keys]): Condition[] => {
    if (isUnknown(keys)) {
      unknown = true;
      return [];
    }
    const [q, op] = operator.includes(":") ? operator.split(":", 2) : [undefined, operator];
    const lower = (op ?? "").toLowerCase();
    const ifExists = lower.endsWith("ifexists");
    const q2 = q?.toLowerCase();
    const qualifier = q2 === "forallvalues" || q2 === "foranyvalue" ? q2 : undefined;
    return entries(keys).map(([key, values]) => {
      if (isUnknown(values)) unknown = true;
      return {
        operator,
        base: ifExists ? lower.slice(0, -"ifexists".length) : lower,
        ifExists,
        qualifier,
        key: key.toLowerCase(),
        values: list(values),
      };
    });
  });
  return { conditions, unknown };
}

/** Positive matching operators: they hold only for the values listed. */
const POSITIVE = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
  "ipaddress",
  "numericequals",
]);

/** Whether a value is fixed: no wildcard, no policy variable. */
export function isFixed(value: unknown): boolean {
  return typeof value === "string" && value !== "" && !/[*?]/.test(value) && !value.includes("${");
}

/** Whether a condition holds for every request only with the listed values of `key`. */
export function pins(c: Condition): Tri {
  if (!POSITIVE.has(c.base) || c.ifExists || c.qualifier === "forallvalues") return false;
  if (c.values.some(isUnknown)) return UNKNOWN;
  if (c.values.length === 0) return false;
  if (c.base === "ipaddress") {
    const blocks = c.values.map((v) => (typeof v === "string" ? parseBlock(v) : undefined));
    if (blocks.some((b) => b === undefined)) return false;
    return internetFamilies(blocks as Block[]).length === 0;
  }
  if (c.key === "aws:userid")
    // AWS counts `AROLEID:*` (any session of one role) as fixed.
    return c.values.every((v) => isFixed(v) || (typeof v === "string" && /^[A-Z0-9]+:\*$/.test(v)));
  return c.values.every(isFixed);
}

/** Why a condition on a caller key does not pin the callers, for messages; undefined when it does. */
export function whyNotPinning(c: Condition): string | undefined {
  if (pins(c) !== false) return undefined;
  if (c.ifExists) return `${c.operator} passes when the key is absent`;
  if (c.qualifier === "forallvalues") return `${c.operator} passes when the key is absent or empty`;
  if (c.base === "null") return `${c.operator} tests only whether the key is present`;
  if (!POSITIVE.has(c.base)) return `${c.operator} matches everyone but the values listed`;
  if (c.base === "ipaddress") return `${c.operator} ${c.values.join(", ")} covers the internet`;
  return `${c.values.map((v) => JSON.stringify(v)).join(", ")} is no fixed value`;
}

/** Whether some condition of the statement pins one of `keys`. */
export function pinnedBy(statement: Statement, keys: ReadonlySet<string>): Tri {
  let unknown = statement.conditionsUnknown;
  for (const c of statement.conditions) {
    if (!keys.has(c.key) && ![...keys].some((k) => k.endsWith("/") && c.key.startsWith(k))) continue;
    const v = pins(c);
    if (v === true) return true;
    if (v === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : false;
}

/** Whether some condition of the statement pins any key at all (a constraint of any kind). */
export function constrained(statement: Statement): Tri {
  let unknown = statement.conditionsUnknown;
  for (const c of statement.conditions) {
    const v = pins(c);
    if (v === true) return true;
    if (v === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : false;
}

/**
 * Whether the principal means everyone: `*`, `{ AWS: "*" }`, any principal value with a wildcard
 * (`arn:aws:iam::*:root`), or a NotPrincipal (everyone but a few).
 */
export function everyone(statement: Statement): Tri {
  if (statement.notPrincipal !== undefined) return true;
  const p = statement.principal;
  if (isUnknown(p)) return UNKNOWN;
  if (p === "*") return true;
  let unknown = false;
  for (const [, v] of entries(p))
    for (const item of list(v)) {
      if (isUnknown(item)) unknown = true;
      else if (typeof item === "string" && item.includes("*")) return true;
    }
  return unknown ? UNKNOWN : false;
}

/** The principal's values of one type (`AWS`, `Service`, `Federated`), lower case. */
export function principals(statement: Statement, type: string): string[] {
  const p = statement.principal;
  const want = type.toLowerCase();
  return entries(p)
    .filter(([k]) => k.toLowerCase() === want)
    .flatMap(([, v]) => strings(v));
}

/** IAM's wildcard match of `pattern` (`s3:Get*`) against `action`, case-insensitive. */
export function matches(pattern: string, action: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".")}$`,
    );
    compiled.set(pattern, re);
  }
  return re.test(action.toLowerCase());
}

/** Each pattern's expression, built once: the permission rules test every statement against dozens of actions. */
const compiled = new Map<string, RegExp>();

/**
 * Whether a run of wildcards (`*`, `**`, `?*`) matches any text of at least `shortest` characters:
 * it holds a `*` and no more `?` than that.
 */
function anyText(part: string, shortest: number): boolean {
  return /^[*?]*\*[*?]*$/.test(part) && part.split("?").length - 1 <= shortest;
}

/**
 * Whether an Action pattern matches every action: wildcards only (`*`, `**`, `?*`), or wildcards on
 * both sides of the colon (`*:*`, `?*:*`). Service prefixes have two characters or more, action
 * names three or more.
 */
export function everyActionPattern(pattern: string): boolean {
  const p = pattern.trim();
  if (anyText(p, 6)) return true;
  const [service = "", name, ...rest] = p.split(":");
  return name !== undefined && rest.length === 0 && anyText(service, 2) && anyText(name, 3);
}

/** AWS partitions: an ARN naming one with wildcards everywhere else is every resource an account can name. */
const PARTITION = /^(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*|aws-eusc)$/i;

/**
 * Whether a Resource pattern matches every resource: wildcards only (`*`, `**`), or an ARN whose
 * service and later segments are wildcards or empty, ending in a wildcard (`arn:*`,
 * `arn:aws:*:*:*:*`, `arn:*:*::*:*`), the partition a wildcard or a partition's name.
 */
export function everyResourcePattern(pattern: string): boolean {
  const p = pattern.trim();
  if (anyText(p, 3)) return true;
  const [arn, partition = "", ...rest] = p.split(":");
  if (arn?.toLowerCase() !== "arn") return false;
  const wild = (x: string) => /^[*?]*$/.test(x);
  const last = rest.length > 0 ? rest[rest.length - 1] : partition;
  if (!(wild(partition) || PARTITION.test(partition))) return false;
  if (rest.length > 0 && !(rest[0] !== "" && wild(rest[0] ?? ""))) return false;
  return rest.every(wild) && (last ?? "").includes("*");
}

/** Whether the statement grants `action` (through Action, or through NotAction not excluding it). */
export function grants(statement: Statement, action: string): Tri {
  if (statement.actions !== undefined) {
    if (statement.actions.some((a) => typeof a === "string" && matches(a, action))) return true;
    return statement.actions.some(isUnknown) ? UNKNOWN : false;
  }
  if (statement.notActions !== undefined) {
    if (statement.notActions.some(isUnknown)) return UNKNOWN;
    return !statement.notActions.some((a) => typeof a === "string" && matches(a, action));
  }
  return false;
}

/** Whether the statement applies to every resource: `Resource: "*"` in any spelling (`arn:*`, `arn:aws:*:*:*:*`) or any NotResource. */
export function everyResource(statement: Statement): Tri {
  if (statement.notResources !== undefined) return true;
  if (statement.resources === undefined) return false;
  if (statement.resources.some((r) => typeof r === "string" && everyResourcePattern(r))) return true;
  return statement.resources.some(isUnknown) ? UNKNOWN : false;
}

/** Whether the statement grants every action (`*`, `*:*`, `?*` and the like, or a NotAction). */
export function everyAction(statement: Statement): Tri {
  if (statement.notActions !== undefined) return true;
  if (statement.actions === undefined) return false;
  if (statement.actions.some((a) => typeof a === "string" && everyActionPattern(a))) return true;
  return statement.actions.some(isUnknown) ? UNKNOWN : false;
}

/** Both true: true; either false: false; else unknown. */
export function and(...values: Tri[]): Tri {
  if (values.some((v) => v === false)) return false;
  return values.every((v) => v === true) ? true : UNKNOWN;
}

/** Either true: true; both false: false; else unknown. */
export function or(...values: Tri[]): Tri {
  if (values.some((v) => v === true)) return true;
  return values.every((v) => v === false) ? false : UNKNOWN;
}

export function not(value: Tri): Tri {
  return value === UNKNOWN ? UNKNOWN : !value;
}

/** How a statement reads in a message. */
export function label(statement: Statement): string {
  return `Statement[${statement.index}]${statement.sid ? ` (${statement.sid})` : ""}`;
}

/**
 * Condition keys that pin a resource policy to known callers, as S3's "is this policy public"
 * evaluation and IAM Access Analyzer count them (their values must be fixed).
 */
export const CALLER_KEYS: ReadonlySet<string> = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:userid",
    "kms:CallerAccount",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
  ].map((k) => k.toLowerCase()),
);

/** Whether a statement lets everyone in: an Allow to `*` (or NotPrincipal) that no caller key pins. */
export function publicStatement(s: Statement): boolean | typeof UNKNOWN {
  if (s.effect !== "allow") return false;
  const open = everyone(s);
  if (open === false) return false;
  const pinned = pinnedBy(s, CALLER_KEYS);
  if (pinned === true) return false;
  return open === true && pinned === false ? true : UNKNOWN;
}

/** The conditions on caller keys that do not pin, said why. */
function notPinning(conditions: readonly Condition[]): string {
  const reasons = conditions
    .filter((c) => CALLER_KEYS.has(c.key))
    .flatMap((c) => {
      const why = whyNotPinning(c);
      return why ? [`${c.key}: ${why}`] : [];
    });
  return reasons.length > 0 ? ` (${reasons.join("; ")})` : "";
}

/** Reports each statement of the document at `field` that is public. */
export function reportPublicStatements(
  ctx: Pick<ResourceContext, "report" | "known">,
  field: string,
  value: unknown,
  fix: string,
): void {
  const doc = parseDocument(value);
  if (isUnknown(doc)) {
    ctx.known(UNKNOWN, field);
    return;
  }
  for (const s of doc?.statements ?? []) {
    const verdict = publicStatement(s);
    if (verdict === UNKNOWN) ctx.known(UNKNOWN, `${field} ${label(s)}`);
    if (verdict !== true) continue;
    const who =
      s.notPrincipal !== undefined
        ? "NotPrincipal (everyone but a few)"
        : `Principal ${JSON.stringify(s.principal)}`;
    ctx.report(
      `${field} ${label(s)} allows ${JSON.stringify(s.actions ?? s.notActions)} to ${who} with no condition pinning the callers${notPinning(s.conditions)}; ${fix}`,
    );
  }
}
