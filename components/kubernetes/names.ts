import { createHash } from "node:crypto";

/**
 * A name the API server takes where it becomes a label value (a Job's name, a queue's): at most 63
 * characters. A longer one keeps its first 54 characters and ends in 8 hex digits of its SHA-256,
 * so it stays the same from one plan to the next.
 */
export function boundedName(name: string, limit = 63): string {
  if (name.length <= limit) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, limit - 9).replace(/-+$/, "")}-${hash}`;
}

/** A rule of the API server for a name: what it must match, and its longest length. */
export interface NameRule {
  pattern: RegExp;
  max: number;
  /** How the API server's validation calls it, for messages. */
  says: string;
}

const DNS1123_LABEL: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  max: 63,
  says: "a DNS-1123 label (lower-case letters, digits and inner dashes)",
};
const DNS1035_LABEL: NameRule = {
  pattern: /^[a-z]([-a-z0-9]*[a-z0-9])?$/,
  max: 63,
  says: "a DNS-1035 label (starts with a letter; lower-case letters, digits and inner dashes)",
};
const DNS1123_SUBDOMAIN: NameRule = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  max: 253,
  says: "a DNS-1123 subdomain",
};

/**
 * The API server's name rules, by kind of the objects a workload's name becomes
 * (k8s.io/apimachinery validation: ValidateNamespaceName, ValidateServiceName, NameIsDNSSubdomain,
 * and the Job name's label `batch.kubernetes.io/job-name`). An Indexed Job's pods are named and
 * hostnamed `<job>-<index>`, and a pod's hostname is a DNS-1123 label: the Job's name leaves room
 * for the highest index (`indexedJobMax`).
 */
export const NAME_RULES = {
  Namespace: DNS1123_LABEL,
  Service: DNS1035_LABEL,
  Deployment: DNS1123_SUBDOMAIN,
  Job: { ...DNS1123_LABEL, says: "a label value (the Job controller labels its pods with it)" },
  ServiceAccount: DNS1123_SUBDOMAIN,
  NetworkPolicy: DNS1123_SUBDOMAIN,
  PodDisruptionBudget: DNS1123_SUBDOMAIN,
} as const satisfies Record<string, NameRule>;

/** The longest name of an Indexed Job of `completions` pods whose hostnames `<job>-<index>` stay DNS labels. */
export function indexedJobMax(completions: number): number {
  return 63 - 1 - String(Math.max(0, completions - 1)).length;
}

/** Why `name` breaks `rule`, or undefined. */
export function nameProblem(name: string, rule: NameRule, max = rule.max): string | undefined {
  if (name.length > max) return `is ${name.length} characters; at most ${max}`;
  if (!rule.pattern.test(name)) return `is not ${rule.says}`;
  return undefined;
}
