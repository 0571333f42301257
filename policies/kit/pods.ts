// Pods wherever a resource carries one: a Pod, a PodTemplate, every workload controller's template
// and a CronJob's job template, in every API version, as a patch or in a list (types.ts folds those
// spellings). And who may deviate from Pod Security: only the library's own add-ons, recognised by
// the component that declared them and the images they run, and only in what they need.
import type { PolicyConfigSchema } from "@pulumi/policy";
import { type AddonFacts, LIBRARY } from "../facts";
import type { ResourceContext } from "./rule";
import { k8s } from "./types";
import { get, isAbsent, isUnknown, list, type Props, stringMap } from "./values";

/** Where the pod template sits in each pod-bearing kind. */
const POD_PATHS: Readonly<Record<string, { spec: string; metadata: string }>> = {
  [k8s("core", "Pod")]: { spec: "spec", metadata: "metadata" },
  [k8s("core", "PodTemplate")]: { spec: "template.spec", metadata: "template.metadata" },
  [k8s("core", "ReplicationController")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("apps", "Deployment")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("apps", "StatefulSet")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("apps", "DaemonSet")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("apps", "ReplicaSet")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("batch", "Job")]: { spec: "spec.template.spec", metadata: "spec.template.metadata" },
  [k8s("batch", "CronJob")]: {
    spec: "spec.jobTemplate.spec.template.spec",
    metadata: "spec.jobTemplate.spec.template.metadata",
  },
};

/** Every pod-bearing kind (canonical tokens). */
export const POD_KINDS: readonly string[] = Object.keys(POD_PATHS);

/** One container of a pod, with where it sits for messages. */
export interface ContainerView {
  container: Props;
  /** `containers[0] (app)` */
  label: string;
}

/** A pod template as rules read it. */
export interface PodView {
  /** The pod spec (empty when absent). */
  spec: Props;
  /** The pod template's metadata. */
  metadata: Props;
  /** Where the pod spec sits in the inputs, for messages. */
  specPath: string;
  /** Every container: init, regular and ephemeral. */
  containers: ContainerView[];
}

/** The pod template of a pod-bearing resource, or undefined for other kinds. */
export function podOf(type: string, props: Props): PodView | undefined {
  const paths = POD_PATHS[type];
  if (!paths) return undefined;
  const spec = get(props, paths.spec);
  const metadata = get(props, paths.metadata);
  const s = (spec !== null && typeof spec === "object" ? spec : {}) as Props;
  const containers: ContainerView[] = [];
  for (const field of ["initContainers", "containers", "ephemeralContainers"] as const)
    list(s[field]).forEach((c, i) => {
      const container = (c !== null && typeof c === "object" ? c : {}) as Props;
      const name = typeof container.name === "string" ? ` (${container.name})` : "";
      containers.push({ container, label: `${field}[${i}]${name}` });
    });
  return {
    spec: s,
    metadata: (metadata !== null && typeof metadata === "object" ? metadata : {}) as Props,
    specPath: paths.spec,
    containers,
  };
}

/** An image reference's registry, repository path, tag and digest (Docker's reference grammar). */
export interface ImageRef {
  registry: string;
  path: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  // The first component is a registry when it looks like a host (a dot, a port, or localhost).
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  return {
    registry: hasRegistry ? first : "docker.io",
    path: hasRegistry ? rest.slice(slash + 1) : rest,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** `registry/path` of an image, without tag or digest. */
export function repositoryOf(image: string): string {
  const ref = parseImage(image);
  return `${ref.registry}/${ref.path}`;
}

function isAddonImage(addon: AddonFacts, image: string): boolean {
  const ref = parseImage(image);
  if (addon.registryPattern !== undefined)
    return addon.repositories.includes(ref.path) && new RegExp(addon.registryPattern).test(ref.registry);
  return addon.repositories.includes(`${ref.registry}/${ref.path}`);
}

/** The flag of an argument (`--name` of `--name=value`), or undefined for any other word. */
export function flagName(arg: unknown): string | undefined {
  return typeof arg === "string" ? /^(--?[A-Za-z0-9][-A-Za-z0-9_.]*)(=.*)?$/s.exec(arg)?.[1] : undefined;
}

/** Where a container spec can run a command besides its own: lifecycle hooks and exec probes. */
const EXEC_PATHS = [
  "lifecycle.postStart.exec",
  "lifecycle.preStop.exec",
  "livenessProbe.exec",
  "readinessProbe.exec",
  "startupProbe.exec",
];

/**
 * Whether a container runs the add-on's executable with the add-on's flags alone: a program that
 * runs the add-on's image with a command of its own (a shell in `command`, in `args` handed to
 * the image's entrypoint, or in an exec hook or probe, none of which the add-ons use) is not the
 * add-on, whatever component it is declared under.
 */
function runsAddonCommand(addon: AddonFacts, container: Props): boolean {
  if (EXEC_PATHS.some((path) => !isAbsent(get(container, path)))) return false;
  // Under preview the command may wait on another resource (the autoscaler's names its cluster):
  // what is not known yet is judged at the update, when the pack runs again with it.
  if (isUnknown(container.command) || isUnknown(container.args)) return true;
  const command = container.command === undefined ? [] : list(container.command);
  const args = container.args === undefined ? [] : list(container.args);
  if (container.command !== undefined && !Array.isArray(container.command)) return false;
  if (container.args !== undefined && !Array.isArray(container.args)) return false;
  if (!isUnknown(command[0]) && (command[0] ?? null) !== addon.entrypoint) return false;
  return [...command.slice(1), ...args].every((a) => {
    if (isUnknown(a)) return true;
    const flag = flagName(a);
    return flag !== undefined && addon.flags.includes(flag);
  });
}

/**
 * The library add-on this workload is, when the library declared it: its URN places it under the
 * add-on's component, it is of the add-on's kind, in the add-on's namespace, and every container
 * runs the add-on's image, its executable and its flags alone. Its own labels, name or namespace
 * alone never make it one.
 */
export function libraryAddon(
  ctx: Pick<ResourceContext, "type" | "declaredUnder" | "props">,
): AddonFacts | undefined {
  const pod = podOf(ctx.type, ctx.props);
  if (!pod || pod.containers.length === 0) return undefined;
  const namespace = get(ctx.props, "metadata.namespace");
  return LIBRARY.addons.find(
    (a) =>
      ctx.declaredUnder.includes(a.component) &&
      ctx.type.endsWith(`:${a.kind}`) &&
      namespace === a.namespace &&
      pod.containers.every(
        (c) =>
          typeof c.container.image === "string" &&
          isAddonImage(a, c.container.image) &&
          runsAddonCommand(a, c.container),
      ),
  );
}

/** An identity the pack's configuration exempts from a rule (the operator's call, not the workload's). */
export interface ExemptWorkload {
  kind: string;
  namespace: string;
  name: string;
}

/** Knob every Pod Security rule takes: workloads the operator exempts, by kind, namespace and name. */
export const EXEMPT_WORKLOADS_SCHEMA: PolicyConfigSchema = {
  properties: {
    exemptWorkloads: {
      type: "array",
      default: [],
      description:
        "Workloads this rule leaves alone, each { kind, namespace, name } exactly (the library's own add-ons need no entry: they are recognised by the component that declares them and waived only what they need).",
      items: {
        type: "object",
        required: ["kind", "namespace", "name"],
        properties: {
          kind: { type: "string" },
          namespace: { type: "string" },
          name: { type: "string" },
        },
      },
    },
  },
};

/** Whether the configuration exempts this workload by its identity. */
export function configExempt(ctx: Pick<ResourceContext, "type" | "props" | "config">): boolean {
  const kind = ctx.type.split(":").pop();
  const namespace = get(ctx.props, "metadata.namespace");
  const name = get(ctx.props, "metadata.name");
  return list(ctx.config.exemptWorkloads).some(
    (e) => get(e, "kind") === kind && get(e, "namespace") === namespace && get(e, "name") === name,
  );
}

/** The pod's labels merged over the object's (the pod's win). */
export function podLabels(props: Props, pod: PodView): Record<string, string> {
  return { ...stringMap(get(props, "metadata.labels")), ...stringMap(pod.metadata.labels) };
}

/** A pod-level setting overridden by the container's (securityContext fields). */
export function effective(pod: PodView, container: Props, field: string): unknown {
  const own = get(container, `securityContext.${field}`);
  return isAbsent(own) ? get(pod.spec, `securityContext.${field}`) : own;
}
