// Runs the pack's rules directly, without an engine: a resource rule on one resource's inputs, a
// stack rule on a list of resources, with the rule's config (schema defaults applied, as the
// engine does). Returns the violation messages.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { DocumentResource } from "../../scripts/policy/analyzer";
import { resolvePackConfig } from "../../scripts/policy/pack-config";

type Config = Record<string, unknown>;

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

/** The messages `rule` reports on a resource of `type` with inputs `props`. */
export async function violations(
  rule: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  config: Config = {},
): Promise<string[]> {
  const out: string[] = [];
  const validations = Array.isArray(rule.validateResource) ? rule.validateResource : [rule.validateResource];
  for (const validate of validations) {
    if (!validate) continue;
    await validate(
      {
        type,
        props,
        urn: `urn:pulumi:test::project::${type}::example`,
        name: "example",
        opts: {
          protect: false,
          ignoreChanges: [],
          aliases: [],
          customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
          additionalSecretOutputs: [],
        },
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
  }
  return out;
}

/** A resource as a stack rule sees it. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  options: { protect?: boolean; parent?: PolicyResource } = {},
): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::project::${type}::${name}`,
    props,
    opts: {
      protect: options.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    dependencies: [],
    propertyDependencies: {},
    ...(options.parent ? { parent: options.parent } : {}),
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

/** The messages `rule` reports on the stack `resources`. */
export async function stackViolations(
  rule: StackValidationPolicy,
  resources: PolicyResource[],
  config: Config = {},
): Promise<{ message: string; urn?: string }[]> {
  const out: { message: string; urn?: string }[] = [];
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
  return out;
}

/** One finding of `evaluatePack`. */
export interface Finding {
  policy: string;
  urn: string;
  message: string;
  enforcementLevel: string;
}

/**
 * Every rule of `rules` over a plan's resources, in process, under a `--policy-pack-config`
 * document read the CLI's way (`resolvePackConfig`): resource rules on each custom resource's
 * inputs, stack rules on all of them. The gRPC path is tested once, in analyzer.test.ts.
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
    })),
    config,
  );
  const out: Finding[] = [];
  const byUrn = new Map<string, PolicyResource>();
  for (const r of resources)
    byUrn.set(r.urn, resource(r.type, r.name, r.inputs, { protect: r.protect ?? false }));
  const stackView = resources.map((r) => {
    const view = byUrn.get(r.urn) as PolicyResource & { urn: string; parent?: PolicyResource };
    Object.assign(view, { urn: r.urn });
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) view.parent = parent;
    return view;
  });
  for (const rule of rules) {
    const resolved = levels[rule.name];
    if (!resolved || resolved.enforcementLevel === "disabled") continue;
    const level = resolved.enforcementLevel;
    if ("validateStack" in rule) {
      for (const f of await stackViolations(rule, stackView, resolved.properties))
        out.push({ policy: rule.name, urn: f.urn ?? "", message: f.message, enforcementLevel: level });
      continue;
    }
    for (const r of resources.filter((x) => x.custom !== false)) {
      for (const message of await violations(rule, r.type, r.inputs, resolved.properties))
        out.push({ policy: rule.name, urn: r.urn, message, enforcementLevel: level });
    }
  }
  return out;
}
