/** One problem found in a component's arguments or a stack's configuration. */
export interface ConfigIssue {
  /** Where the problem is, as a property path: `instanceTypes[0]`, `network.cidr`. Empty for the whole value. */
  readonly path: string;
  /** What is wrong and what would be valid. */
  readonly message: string;
}

/**
 * The one error every component, the stack config and the placement engine raise for bad input.
 * It lists every problem at once, each with its path, so a user fixes them in one pass and needs
 * no stack trace to understand it.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  /**
   * @param subject what was being validated, e.g. `AwsGpuNodeGroup "train"` or `stack config "dev"`.
   * @param issues every problem found; at least one.
   */
  constructor(
    readonly subject: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatConfigError(subject, issues));
  }
}

export function formatConfigError(subject: string, issues: readonly ConfigIssue[]): string {
  const line = (issue: ConfigIssue): string =>
    issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  if (issues.length === 1 && issues[0]) {
    return `${subject}: ${line(issues[0])}`;
  }
  return [`${subject}: ${issues.length} problems`, ...issues.map((issue) => `  - ${line(issue)}`)].join("\n");
}

/** The subject line for a component: `AwsGpuNodeGroup "train"`. */
export function componentSubject(kind: string, name: string): string {
  return `${kind} ${JSON.stringify(name)}`;
}

/** Joins a property path the way a TypeScript reader writes it: `pools[0].node.gpu`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") {
      out += `[${key}]`;
    } else {
      const text = String(key);
      out += /^[A-Za-z_$][\w$]*$/.test(text) ? (out ? `.${text}` : text) : `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

/** Renders a user's value inside a message, short enough to read and never more than one line. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // JSON would print these as null, hiding what the file said (`.nan`, `.inf`, a division gone wrong).
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (typeof value === "object" && value !== null && isOutputLike(value)) return "an Output";
  let text: string;
  try {
    text = typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// Pulumi Outputs carry this marker; checking it here keeps this folder free of Pulumi imports.
function isOutputLike(value: object): boolean {
  return (value as { __pulumiOutput?: unknown }).__pulumiOutput === true;
}
