// Helpers for the AWS suites: reading recorded policies and ARNs. Tags and ConfigErrors: ../helpers/components.
import type { RecordedResource } from "../../scripts/plan";

/** An IAM or bucket policy statement as recorded. */
export interface Statement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The parsed JSON policy document held in one input of a recorded resource. */
export function policyOf(r: RecordedResource, field = "policy"): { Version: string; Statement: Statement[] } {
  const text = r.inputs[field];
  if (typeof text !== "string") throw new Error(`${r.type} ${r.name} has no ${field} string`);
  return JSON.parse(text) as { Version: string; Statement: Statement[] };
}

/** The last path segment of an ARN: the role name of a role ARN. */
export function arnName(arn: string): string {
  return arn.split("/").pop() ?? "";
}
