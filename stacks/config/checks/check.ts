import type { IssueSink } from "../../../components/validation";
import type { Sites } from "../sites";

/**
 * One rule across fields or sites of a stack's configuration, like a placement filter: a name, and
 * a pure function that returns every problem it finds by config path (none when the config passes).
 * The checks run on the site model once every field is valid.
 */
export interface ConfigCheck {
  /** What the check guards, in a few words. */
  readonly name: string;
  readonly check: (sites: Sites) => CheckIssue[];
}

/** A problem a check found, at its config path. */
export interface CheckIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** An issue at a config path. */
export function issueAt(path: readonly (string | number)[], message: string): CheckIssue {
  return { path, message };
}

/** Runs a component's rule (written against an `IssueSink`) and returns what it reported. */
export function collect(rule: (sink: IssueSink) => void): CheckIssue[] {
  const issues: CheckIssue[] = [];
  rule({ addIssue: (i) => issues.push({ path: (i.path ?? []) as (string | number)[], message: i.message }) });
  return issues;
}
