// What every rule of the pack is made of, written once: its facts (name, description, remediation,
// the benchmark ids it covers as tags, default level, config schema), the resource types it
// checks (canonical tokens, so every spelling of a type is checked), and a check that reads the
// resource's inputs and says what is wrong, one sentence each.
//
// Preview: inputs that depend on resources not yet created are unknown. A check decides what it
// can per resource: a value known to be wrong is reported at the rule's level even when other
// values are unknown, and a verdict that hinges on an unknown is left to the update (where the
// engine checks the resource again with its values known), said once as the SDK's advisory
// "can't run during preview" note.

import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as sdk from "@pulumi/policy";
import { canonicalType, declaredUnder } from "./types";
import { containsUnknown, get, isUnknown, list, type Props, revive, UNKNOWN_SENTINEL } from "./values";

/** The frameworks the tags name. */
export const BENCHMARKS = {
  checkov: "Checkov (Prisma Cloud) policy ids",
  kics: "KICS (Checkmarx) query ids",
  "aws-fsbp": "AWS Foundational Security Best Practices controls",
  "cis-eks": "CIS Amazon EKS Benchmark v1.8.0",
  "cis-aks": "CIS Azure Kubernetes Service Benchmark v1.8.0",
  "cis-k8s": "CIS Kubernetes Benchmark v1.12",
  mcsb: "Microsoft cloud security benchmark",
  "hybrid-ai-infra": "this library's own security model (DESIGN.md)",
} as const;

/** Benchmark ids a rule covers, each `<framework>:<id>` (see `BENCHMARKS`). */
export type BenchmarkId = `${keyof typeof BENCHMARKS}:${string}`;

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

/** What a check may ask of the resource it is looking at. */
export interface ResourceContext {
  /** The canonical token (`kubernetes:apps:Deployment`). */
  type: string;
  /** The token as declared (`kubernetes:apps/v1:DeploymentPatch`). */
  rawType: string;
  name: string;
  urn: string;
  /** The inputs, unknowns as `UNKNOWN` (for a `*List` kind: one item). */
  props: Props;
  /** A server-side-apply patch: an absent field keeps the live object's value, so only what it sets is judged. */
  patch: boolean;
  /** Component types the resource is declared under (from its URN), outermost first. */
  declaredUnder: readonly string[];
  /** The rule's configuration, schema defaults applied. */
  config: Record<string, unknown>;
  /** Says one thing wrong. */
  report(message: string): void;
  /**
   * Whether `value` is known (nothing in it unknown). When it is not, the verdict on `what` is
   * left to the update: the check should skip it and judge the rest.
   */
  known(value: unknown, what: string): boolean;
  /** Whether a field the resource leaves out counts as the default (false for a patch). */
  judgesAbsent: boolean;
}

/** A rule on one resource of the listed (canonical) types. */
export interface ResourceRuleSpec extends RuleFacts {
  types: readonly string[];
  check: (ctx: ResourceContext) => void;
}

/** A resource as stack rules see it. */
export interface StackResource {
  type: string;
  rawType: string;
  name: string;
  urn: string;
  props: Props;
  patch: boolean;
  protect: boolean;
  declaredUnder: readonly string[];
  /** The URN of the provider that manages it (for Kubernetes objects: which cluster), when known. */
  provider?: string;
  parent?: StackResource;
  /** Every resource it depends on (explicitly or through its inputs). */
  dependencies: readonly StackResource[];
  /** Per input, the resources it was computed from (the CLI gives these; a plan document may not). */
  propertyDependencies: Readonly<Record<string, readonly StackResource[]>>;
}

/** What a stack check may ask. */
export interface StackContext {
  resources: readonly StackResource[];
  config: Record<string, unknown>;
  /** Says one thing wrong about the resource at `urn`. */
  report(message: string, urn: string): void;
  /** As `ResourceContext.known`; `what` names the resource and field. */
  known(value: unknown, what: string): boolean;
  /** The resources of these canonical types. */
  ofType(...types: string[]): StackResource[];
}

/** A rule on the whole stack. */
export interface StackRuleSpec extends RuleFacts {
  check: (ctx: StackContext) => void;
}

/** A rule as the pack serves it, with the facts the tests and docs read. */
export type Rule = (ResourceValidationPolicy & { types: readonly string[] }) | StackValidationPolicy;

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

/**
 * The SDK's error for "can't be known during preview" (exported at run time, not in its types):
 * thrown after a check has reported what it could, it becomes the SDK's advisory note.
 */
const UnknownValueError = (sdk as unknown as { UnknownValueError?: new (s: string, path: string[]) => Error })
  .UnknownValueError;

function leaveToUpdate(undecided: readonly string[]): void {
  if (undecided.length === 0 || !UnknownValueError) return;
  throw new UnknownValueError(UNKNOWN_SENTINEL, [[...new Set(undecided)].join(", ")]);
}

/** Builds a resource policy that runs `check` on every spelling of `types` only. */
export function resourceRule(
  spec: ResourceRuleSpec,
): ResourceValidationPolicy & { types: readonly string[] } {
  const accepted = new Set(spec.types);
  const validateResource = (args: ResourceValidationArgs, reportViolation: (m: string) => void) => {
    const canonical = canonicalType(args.type);
    if (!accepted.has(canonical.type)) return;
    const props = revive(args.props) as Props;
    const undecided: string[] = [];
    const config = args.getConfig<Record<string, unknown>>() ?? {};
    const items = canonical.list ? list(get(props, "items")) : [props];
    items.forEach((item, i) => {
      const prefix = canonical.list ? `items[${i}]: ` : "";
      if (isUnknown(item)) {
        undecided.push(`items[${i}]`);
        return;
      }
      if (item === null || typeof item !== "object") return;
      spec.check({
        type: canonical.type,
        rawType: args.type,
        name: args.name,
        urn: args.urn,
        props: item as Props,
        patch: canonical.patch,
        judgesAbsent: !canonical.patch,
        declaredUnder: declaredUnder(args.urn),
        config,
        report: (message) => reportViolation(prefix + message),
        known: (value, what) => {
          if (!containsUnknown(value)) return true;
          undecided.push(prefix + what);
          return false;
        },
      });
    });
    leaveToUpdate(undecided);
  };
  // No rule names a raw type for the SDK's own skip (`__pulumiType`): the pack's server hands each
  // resource only to the rules of its canonical type (dispatch.ts), and the skip's "not applicable"
  // answer per rule and resource was a fifth of a plan's Analyze time on both sides of the wire.
  return { ...facts(spec), types: spec.types, validateResource };
}

/**
 * The stack's resources as stack rules see them: canonical types, inputs revived, links resolved.
 * A `*List` becomes one view per item (named `<name>.items[i]`, sharing the list's URN and links).
 */
export function stackResources(resources: readonly PolicyResource[]): StackResource[] {
  return stackIndex(resources).views;
}

/** A stack's views, and the views of each canonical type, built once per request. */
interface StackIndex {
  views: StackResource[];
  byType: ReadonlyMap<string, readonly StackResource[]>;
}

/**
 * Each resource list's index, by the list: an engine that hands every stack rule one list (the
 * offline evaluator, the tests) has it read once.
 */
const indexOf = new WeakMap<readonly PolicyResource[], StackIndex>();

/**
 * The SDK's server builds a new list per stack rule from one AnalyzeStack request, so the list
 * cannot be the key there; every list of one request holds the same decoded inputs (decode-once
 * gives every policy of a request the same objects, and `revive` the same frozen copies), and no
 * two requests share one. So a list whose revived inputs and URNs are, one for one, those of an
 * indexed list is that request's stack again: indexed by its first resource's revived inputs.
 */
const indexOfRequest = new WeakMap<
  object,
  { inputs: readonly unknown[]; urns: readonly string[]; index: StackIndex }
>();

function stackIndex(resources: readonly PolicyResource[]): StackIndex {
  const seen = indexOf.get(resources);
  if (seen) return seen;
  const inputs = resources.map((r) => revive(r.props));
  const first = inputs[0];
  const key = first !== null && typeof first === "object" ? first : undefined;
  const same = key ? indexOfRequest.get(key) : undefined;
  if (
    same &&
    same.inputs.length === inputs.length &&
    inputs.every((p, i) => p === same.inputs[i] && resources[i]?.urn === same.urns[i])
  ) {
    indexOf.set(resources, same.index);
    return same.index;
  }
  const views = makeStackResources(resources, inputs);
  const byType = new Map<string, StackResource[]>();
  for (const r of views) {
    const ofType = byType.get(r.type);
    if (ofType) ofType.push(r);
    else byType.set(r.type, [r]);
  }
  const index = { views, byType };
  indexOf.set(resources, index);
  if (key) indexOfRequest.set(key, { inputs, urns: resources.map((r) => r.urn), index });
  return index;
}

function makeStackResources(
  resources: readonly PolicyResource[],
  inputs: readonly unknown[],
): StackResource[] {
  const views = new Map<PolicyResource, StackResource[]>();
  resources.forEach((r, i) => {
    const canonical = canonicalType(r.type);
    const props = inputs[i] as Props;
    const base = {
      type: canonical.type,
      rawType: r.type,
      urn: r.urn,
      patch: canonical.patch,
      protect: r.opts?.protect === true,
      declaredUnder: declaredUnder(r.urn),
      ...(r.provider?.urn ? { provider: r.provider.urn } : {}),
      dependencies: [],
      propertyDependencies: {},
    };
    const items = canonical.list
      ? list(get(props, "items")).map((item, n) => ({
          ...base,
          name: `${r.name}.items[${n}]`,
          props: (item !== null && typeof item === "object" ? item : {}) as Props,
        }))
      : [{ ...base, name: r.name, props }];
    views.set(r, items);
  });
  for (const [r, mine] of views) {
    const parent = r.parent ? views.get(r.parent)?.[0] : undefined;
    const dependencies = (r.dependencies ?? []).flatMap((d) => views.get(d) ?? []);
    const propertyDependencies = Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([k, ds]) => [
        k,
        ds.flatMap((d) => views.get(d) ?? []),
      ]),
    );
    for (const view of mine) {
      if (parent) view.parent = parent;
      view.dependencies = dependencies;
      view.propertyDependencies = propertyDependencies;
    }
  }
  return [...views.values()].flat();
}

/** Builds a stack policy. */
export function stackRule(spec: StackRuleSpec): StackValidationPolicy {
  return {
    ...facts(spec),
    validateStack: (args: StackValidationArgs, reportViolation: (m: string, urn?: string) => void) => {
      const { views, byType } = stackIndex(args.resources);
      const undecided: string[] = [];
      spec.check({
        resources: views,
        config: args.getConfig<Record<string, unknown>>() ?? {},
        report: (message, urn) => reportViolation(message, urn),
        known: (value, what) => {
          if (!containsUnknown(value)) return true;
          undecided.push(what);
          return false;
        },
        ofType: (...types) => types.flatMap((t) => byType.get(t) ?? []),
      });
      leaveToUpdate(undecided);
    },
  };
}

/** A family of rules: one file of policies/rules, registered by one line of its families.ts. */
export interface RuleFamily {
  /** The file's name without `.ts` (a test holds them equal). */
  id: string;
  /** Its section title in docs/policy.md. */
  title: string;
  /** Its rules, in the order docs/policy.md lists them. */
  rules: readonly Rule[];
}

/** Declares a family: `export const FAMILY = family("queues", "Queues (Kueue)", [ ...rules ])`. */
export function family(id: string, title: string, rules: readonly Rule[]): RuleFamily {
  return { id, title, rules };
}
