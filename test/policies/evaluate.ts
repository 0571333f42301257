// Runs the pack's rules directly, without an engine, the way @pulumi/policy's server does: a
// resource rule on one resource's inputs, a stack rule on a list of resources (parents,
// dependencies and providers linked), with the rule's config (schema defaults applied, as the
// engine does). A rule that leaves a verdict to the update throws the SDK's UnknownValueError;
// the server turns that into an advisory note, and so do these helpers (`undecided`).
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { DocumentResource } from "../../scripts/policy/analyzer";
import { resolvePackConfig } from "../../scripts/policy/pack-config";

type Config = Record<string, unknown>;

/** The sentinel the engine sends for a value not known during a preview. */
export const UNKNOWN_INPUT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function withDefaults(
  policy: { configSchema?: { properties?: Record<string, { default?: unknown }> } },
  config: Config,
): Config {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {}).flatMap(([k, v]) =>
      v.default === undefined ? [] : [[k, v.default]],
    ),
  );
  return { ...defaults, ...config };
}

const OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

const isUnknownValueError = (e: unknown) => e instanceof Error && e.constructor.name === "UnknownValueError";

/** What a rule says about one resource: violations, and what it left to the update. */
export interface Verdict {
  violations: string[];
  undecided: string | undefined;
}

/** Runs `rule` on a resource of `type` with inputs `props`. */
export async function judge(
  rule: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  config: Config = {},
  urn = `urn:pulumi:test::project::${type}::example`,
): Promise<Verdict> {
  const out: string[] = [];
  let undecided: string | undefined;
  const validations = Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
  for (const validate of validations) {
    if (!validate) continue;
    try {
      await validate(
        {
          type,
          props,
          urn,
          name: urn.split("::").pop() ?? "example",
          opts: OPTS,
          stackTags: new Map(),
          isType: () => false,
          asType: () => undefined,
          getConfig: <T>() => withDefaults(rule, config) as T,
          notApplicable: () => {
            throw new Error("not applicable");
          },
        } as never,
        (message: string) => out.push(message),
      );
    } catch (e) {
      if (!isUnknownValueError(e)) throw e;
      undecided = (e as Error).message;
    }
  }
  return { violations: out, undecided };
}

/** The messages `rule` reports on a resource of `type` with inputs `props`. */
export async function violations(
  rule: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  config: Config = {},
  urn?: string,
): Promise<string[]> {
  return (await judge(rule, type, props, config, urn)).violations;
}

/** A resource as a stack rule sees it. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  options: {
    protect?: boolean;
    parent?: PolicyResource;
    dependencies?: PolicyResource[];
    /** Per input, the resources it was computed from (as the CLI gives them). */
    propertyDependencies?: Record<string, PolicyResource[]>;
    provider?: string;
    urn?: string;
  } = {},
): PolicyResource {
  return {
    type,
    name,
    urn: options.urn ?? `urn:pulumi:test::project::${type}::${name}`,
    props,
    opts: { ...OPTS, protect: options.protect ?? false },
    dependencies: options.dependencies ?? [],
    propertyDependencies: options.propertyDependencies ?? {},
    ...(options.parent ? { parent: options.parent } : {}),
    ...(options.provider
      ? {
          provider: {
            type: "pulumi:providers:kubernetes",
            props: {},
            urn: options.provider,
            name: options.provider.split("::").pop() ?? "",
          },
        }
      : {}),
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

/** What a stack rule says: violations (with the resource each is about), and what it left to the update. */
export interface StackVerdict {
  violations: { message: string; urn?: string }[];
  undecided: string | undefined;
}

export async function judgeStack(
  rule: StackValidationPolicy,
  resources: PolicyResource[],
  config: Config = {},
): Promise<StackVerdict> {
  const out: { message: string; urn?: string }[] = [];
  let undecided: string | undefined;
  try {
    await rule.validateStack(
      {
        resources,
        stackTags: new Map(),
        getConfig: <T>() => withDefaults(rule, config) as T,
        notApplicable: () => {
          throw new Error("not applicable");
        },
      } as never,
      (message: string, urn?: string) => out.push({ message, ...(urn ? { urn } : {}) }),
    );
  } catch (e) {
    if (!isUnknownValueError(e)) throw e;
    undecided = (e as Error).message;
  }
  return { violations: out, undecided };
}

/** The messages `rule` reports on the stack `resources`. */
export async function stackViolations(
  rule: StackValidationPolicy,
  resources: PolicyResource[],
  config: Config = {},
): Promise<{ message: string; urn?: string }[]> {
  return (await judgeStack(rule, resources, config)).violations;
}

/** One finding of `evaluatePack`. */
export interface Finding {
  policy: string;
  urn: string;
  message: string;
  enforcementLevel: string;
}

/** The plan's resources as stack rules see them: parents, dependencies and providers linked. */
export function stackView(resources: readonly DocumentResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources)
    byUrn.set(
      r.urn,
      resource(r.type, r.name, r.inputs, {
        protect: r.protect ?? false,
        urn: r.urn,
        ...(r.provider ? { provider: r.provider.split("::").slice(0, 4).join("::") } : {}),
      }),
    );
  return resources.map((r) => {
    const view = byUrn.get(r.urn) as PolicyResource & {
      parent?: PolicyResource;
      dependencies: PolicyResource[];
    };
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) view.parent = parent;
    view.dependencies = (r.dependsOn ?? []).flatMap((d) => byUrn.get(d) ?? []);
    return view;
  });
}

/**
 * Every rule of `rules` over a plan's resources, in process, under a `--policy-pack-config`
 * document read the CLI's way (`resolvePackConfig`): resource rules on each custom resource's
 * inputs, stack rules on all of them. An undecided verdict is an advisory finding, as the
 * server makes it. The gRPC path is tested in analyzer.test.ts.
 */
export async function evaluatePack(
  rules: readonly (ResourceValidationPolicy | StackValidationPolicy)[],
  resources: readonly DocumentResource[],
  config: unknown,
): Promise<Finding[]> {
  const levels = resolvePackConfig(
    rules.map((r) => ({
      name: r.name,
      enforcementLevel: r.enforcementLevel ?? "advisory",
      properties: (r.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>,
      required: r.configSchema?.required ?? [],
    })),
    config,
  ).config;
  const out: Finding[] = [];
  const view = stackView(resources);
  for (const rule of rules) {
    const resolved = levels[rule.name];
    if (!resolved || resolved.enforcementLevel === "disabled") continue;
    const level = resolved.enforcementLevel === "remediate" ? "mandatory" : resolved.enforcementLevel;
    if ("validateStack" in rule) {
      const verdict = await judgeStack(rule, view, resolved.properties);
      for (const f of verdict.violations)
        out.push({ policy: rule.name, urn: f.urn ?? "", message: f.message, enforcementLevel: level });
      if (verdict.undecided)
        out.push({ policy: rule.name, urn: "", message: verdict.undecided, enforcementLevel: "advisory" });
      continue;
    }
    for (const r of resources.filter((x) => x.custom !== false)) {
      const verdict = await judge(rule, r.type, r.inputs, resolved.properties, r.urn);
      for (const message of verdict.violations)
        out.push({ policy: rule.name, urn: r.urn, message, enforcementLevel: level });
      if (verdict.undecided)
        out.push({ policy: rule.name, urn: r.urn, message: verdict.undecided, enforcementLevel: "advisory" });
    }
  }
  return out;
}
