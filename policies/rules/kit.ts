// What every rule of the pack is made of, written once: its facts (name, description, remediation,
// the benchmark ids it covers as tags, default level, config schema), the resource types it
// checks, and a check that reads the resource's inputs and says what is wrong, one sentence each.
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/** A resource's inputs as the analyzer hands them over: plain JSON, secrets unwrapped. */
export type Props = Record<string, unknown>;

/** Benchmark ids a rule covers, each `<framework>:<id>` (see `BENCHMARKS`). */
export type BenchmarkId = `${keyof typeof BENCHMARKS}:${string}`;

/** The frameworks the tags name. */
export const BENCHMARKS = {
  checkov: "Checkov (bridgecrew) policy ids",
  "aws-fsbp": "AWS Foundational Security Best Practices controls",
  "cis-eks": "CIS Amazon EKS Benchmark",
  "cis-aks": "CIS Azure Kubernetes Service Benchmark",
  "cis-k8s": "CIS Kubernetes Benchmark",
  mcsb: "Microsoft cloud security benchmark",
  "hybrid-ai-infra": "this library's own security model (DESIGN.md)",
} as const;

/** What a rule says about itself. */
export interface RuleFacts {
  /** kebab-case, unique in the pack. */
  name: string;
  description: string;
  /** What to change so the rule passes. */
  remediation: string;
  /** The benchmark ids it covers. */
  benchmarks: readonly BenchmarkId[];
  /** Its level when the pack's configuration says nothing. */
  enforcementLevel: EnforcementLevel;
  /** Its knobs (JSON schema), read back with `config`. */
  configSchema?: PolicyConfigSchema;
}

/** Says one thing wrong; `urn` for a stack rule's finding on another resource. */
export type Report = (message: string, urn?: string) => void;

/** What a resource check sees. */
export interface ResourceCheckArgs {
  type: string;
  name: string;
  urn: string;
  props: Props;
  /** The rule's configuration, schema defaults applied. */
  config: Record<string, unknown>;
}

/** A rule on one resource of the listed types. */
export interface ResourceRuleSpec extends RuleFacts {
  types: readonly string[];
  check: (args: ResourceCheckArgs, report: Report) => void;
}

/** A rule on the whole stack. */
export interface StackRuleSpec extends RuleFacts {
  check: (resources: readonly PolicyResource[], config: Record<string, unknown>, report: Report) => void;
}

function facts(spec: RuleFacts) {
  return {
    name: spec.name,
    description: spec.description,
    remediationSteps: spec.remediation,
    tags: [...spec.benchmarks],
    enforcementLevel: spec.enforcementLevel,
    ...(spec.configSchema ? { configSchema: spec.configSchema } : {}),
  };
}

/** Builds a resource policy that runs `check` on resources of `types` only. */
export function resourceRule(
  spec: ResourceRuleSpec,
): ResourceValidationPolicy & { types: readonly string[] } {
  return {
    ...facts(spec),
    types: spec.types,
    validateResource: (args: ResourceValidationArgs, reportViolation) => {
      if (!spec.types.includes(args.type)) return;
      spec.check(
        {
          type: args.type,
          name: args.name,
          urn: args.urn,
          props: args.props as Props,
          config: args.getConfig<Record<string, unknown>>(),
        },
        (message, urn) => reportViolation(message, urn),
      );
    },
  };
}

/** Builds a stack policy. */
export function stackRule(spec: StackRuleSpec): StackValidationPolicy {
  return {
    ...facts(spec),
    validateStack: (args: StackValidationArgs, reportViolation) => {
      spec.check(args.resources, args.getConfig<Record<string, unknown>>(), (message, urn) =>
        reportViolation(message, urn),
      );
    },
  };
}

/** The value at a dotted path of `props` (`vpcConfig.endpointPublicAccess`), or undefined. */
export function get(props: unknown, path: string): unknown {
  let value: unknown = props;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** `value` as an array (absent: empty). */
export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/** `value` as an array of strings, dropping anything else. */
export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/** True for `true` and `"true"` (some providers pass booleans as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}
