import { distance } from "fastest-levenshtein";
import { z } from "zod";
import { ConfigError, type ConfigIssue, formatPath, showValue } from "./errors";

/**
 * Validates `value` against `schema` and returns the parsed (defaulted) value, or throws one
 * `ConfigError` naming `subject` that lists every problem with its path, the value and what would
 * be valid.
 */
export function parseOrThrow<S extends z.ZodType>(subject: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true, error: unknownFieldMessage });
  if (result.success) return result.data;
  throw new ConfigError(subject, describeIssues(result.error.issues));
}

/** Turns zod issues into messages a platform engineer reads without looking anything up. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // A union fails once per branch. A branch that refuses the value's very type (the name branch
      // of a name-or-entry union given an entry) is not the one the user meant; among the others,
      // the branch with the fewest problems is.
      const best =
        [...issue.errors].sort(
          (a, b) => Number(refusesType(a)) - Number(refusesType(b)) || a.length - b.length,
        )[0] ?? [];
      out.push(...describeIssues(best.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }))));
      continue;
    }
    out.push({ path: formatPath(issue.path), message: describeIssue(issue) });
  }
  return out;
}

/** Whether a union branch's only complaint is the value's type, at the union's own place. */
function refusesType(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.length > 0 && issues.every((i) => i.code === "invalid_type" && i.path.length === 0);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = showValue(input);
  switch (issue.code) {
    case "invalid_type":
      if (input === undefined) return `is required (${article(issue.expected)})`;
      // YAML reads an unquoted 1.30 as the number 1.3: the fix is quotes, not another value.
      if (issue.expected === "string" && typeof input === "number")
        return Number.isInteger(input)
          ? `expected a string, got the number ${got}; YAML reads unquoted digits as a number: quote it in the file, "${got}"`
          : `expected a string, got the number ${got}; YAML reads an unquoted version as a number and drops its trailing zeros (1.30 becomes 1.3): quote it in the file, e.g. "1.30"`;
      return `expected ${article(issue.expected)}, got ${got}`;
    case "invalid_value":
      return `${got} is not valid; use one of ${issue.values.map((v) => showValue(v)).join(", ")}`;
    case "unrecognized_keys":
      return issue.message.startsWith("unknown field")
        ? issue.message
        : `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; check the spelling`;
    case "too_small":
      return `${got} is too small: ${lowerFirst(issue.message)}`;
    case "too_big":
      return `${got} is too big: ${lowerFirst(issue.message)}`;
    case "invalid_format":
    case "not_multiple_of":
      return `${got} ${lowerFirst(issue.message)}`;
    case "invalid_key":
      // A record key failed its schema: say why, in the key schema's own words, not "Invalid key".
      return issue.issues.length > 0
        ? issue.issues
            .map((inner) => describeIssue({ ...inner, input: input ?? inner.input } as z.core.$ZodIssue))
            .join("; ")
        : `${got} is not a valid key`;
    default:
      // Custom refinements write their own sentence, which names the value and the valid choices.
      return issue.message;
  }
}

/**
 * An unknown field's message with the nearest field the object has ("did you mean"), read from the
 * strict object that refused it; other issues keep zod's own message.
 */
function unknownFieldMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "unrecognized_keys") return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod
    ?.def?.shape;
  const known = shape ? Object.keys(shape) : [];
  const keys = issue.keys as string[];
  const named = keys.map((k) => {
    const near = closestName(k, known);
    return `${JSON.stringify(k)}${near ? ` (did you mean "${near}"?)` : ""}`;
  });
  return `unknown field${keys.length > 1 ? "s" : ""} ${named.join(", ")}; check the spelling`;
}

/** The known name nearest to `name` (case-insensitive edit distance), if one is close enough. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { name: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function lowerFirst(text: string): string {
  const trimmed = text.replace(/^(Invalid input|Too small|Too big|Invalid string|Invalid number):\s*/i, "");
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

/** A schema for a number that must be one of `values`, with a message that lists them. */
export function oneOfNumbers(values: readonly number[]) {
  return z.number().refine((v) => values.includes(v), {
    error: (issue) => `${showValue(issue.input)} is not valid; use one of ${values.join(", ")}`,
  });
}

/**
 * Where a rule reports what it finds: zod's refinement context inside a schema, or a plain list
 * where the same rule runs outside one (the stack config's cross-site checks). Rules take this,
 * not zod's context, so they are plain functions both can call.
 */
export interface IssueSink {
  addIssue(issue: { code: "custom"; path?: PropertyKey[]; message: string; input?: unknown }): void;
}
