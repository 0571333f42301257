import { type CpuFacts, duplicateTaintKeys, type GpuFacts } from "../../facts";
import type { IssueSink } from "../../validation";
import { BUILT_IN_TEMPLATE_TAGS, templateKey } from "./autoscaler-template";
import {
  efaInterfaceCount,
  efaInterfacesOf,
  type InstanceShape,
  resolveInstanceShape,
} from "./instance-shape";
import {
  type NodeGroupSettingsInput,
  type ResolvedNodeGroupSettings,
  resolveNodeGroupSettings,
} from "./settings";

/** Adds the instance-type problems to a zod refinement, under `path`. */
export function checkInstanceTypes(
  types: readonly string[],
  wantGpu: boolean,
  ctx: IssueSink,
  path: (string | number)[] = ["instanceTypes"],
): InstanceShape | undefined {
  const { shape, problems } = resolveInstanceShape(types, wantGpu);
  for (const p of problems) ctx.addIssue({ code: "custom", path: [...path, ...p.path], message: p.message });
  return shape;
}

/** Checks min <= desired <= max of resolved bounds, reporting under `path`. */
export function checkScaling(
  s: { minSize: number; desiredSize: number; maxSize: number },
  ctx: IssueSink,
  path: (string | number)[] = [],
): void {
  const { minSize: min, desiredSize: desired } = s;
  if (min > s.maxSize) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "minSize"],
      message: `${min} is above maxSize ${s.maxSize}`,
    });
  }
  // With min above max the desired size cannot be right either; one message says what to fix.
  if (min <= s.maxSize && (desired < min || desired > s.maxSize)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "desiredSize"],
      message: `${desired} must lie between minSize ${min} and maxSize ${s.maxSize}`,
    });
  }
}

/**
 * The EFA checks of a GPU group, under `path` (the group): every type supports EFA, every type
 * takes the same number of EFA interfaces (the launch template lists them once for all types).
 */
function checkEfa(
  types: readonly string[],
  shape: InstanceShape | undefined,
  ctx: IssueSink,
  path: (string | number)[],
): void {
  if (shape?.kind !== "gpu") return;
  let fabric = true;
  shape.facts.forEach((f, i) => {
    if (!f.fabric) {
      fabric = false;
      ctx.addIssue({
        code: "custom",
        path: [...path, "instanceTypes", i],
        message: `"${f.type}" does not support EFA; use a larger size (e.g. ${f.family}.8xlarge or up) or turn efa off`,
        input: f.type,
      });
    }
  });
  if (fabric && efaInterfaceCount(types) === undefined) {
    const counts = types.map((t) => `${t}: ${efaInterfacesOf(t)}`).join(", ");
    ctx.addIssue({
      code: "custom",
      path: [...path, "instanceTypes"],
      message: `${JSON.stringify(types)} take different numbers of EFA interfaces (${counts}); one launch template serves every type, so list only types with the same number`,
      input: types,
    });
  }
}

/**
 * How the EFA placement fields go together: a zone or a subnet only with EFA, not both, and a zone
 * only where the cluster says which zone each private subnet is in.
 */
export function checkEfaPlacement(
  group: { efa?: boolean | undefined; efaZone?: string | undefined; efaSubnetId?: unknown },
  ctx: IssueSink,
  options: { zonesKnown: boolean; path?: (string | number)[] },
): void {
  const path = options.path ?? [];
  for (const field of ["efaZone", "efaSubnetId"] as const) {
    if (group[field] !== undefined && !group.efa) {
      ctx.addIssue({ code: "custom", path: [...path, field], message: "only applies with efa: true" });
    }
  }
  if (group.efaZone !== undefined && group.efaSubnetId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "efaSubnetId"],
      message: "cannot go with efaZone: the subnet decides the zone; give one of them",
    });
  }
  if (group.efaZone !== undefined && !options.zonesKnown) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "efaZone"],
      message: `"${group.efaZone}" cannot be matched to a subnet: the cluster gives no privateSubnetZones (an existing VPC); give efaSubnetId`,
    });
  }
}

/**
 * Every check of one node group's settings, wherever it is declared (a component, a cluster's
 * `nodeGroups`, stack config): instance types against the facts, EFA support (and no public IPs
 * with it), scaling bounds and taints that would repeat the pool's own. Returns the instance shape
 * when the types are sound.
 */
export function checkNodeGroup(
  group: NodeGroupSettingsInput & { efa?: boolean | undefined },
  options: { gpu: boolean; builtInTaints: readonly { key: string }[] },
  ctx: IssueSink,
  path: (string | number)[] = [],
): InstanceShape | undefined {
  const resolved = resolveNodeGroupSettings(group, options.gpu);
  const shape = checkInstanceTypes(group.instanceTypes, options.gpu, ctx, [...path, "instanceTypes"]);
  const uniform = shape ? checkUniformShape(shape, ctx, [...path, "instanceTypes"]) : false;
  if (group.efa) {
    // Types of different sizes are refused already; their EFA counts would only repeat it.
    if (options.gpu) checkEfa(group.instanceTypes, uniform ? shape : undefined, ctx, path);
    else ctx.addIssue({ code: "custom", path: [...path, "efa"], message: "EFA is only for GPU node groups" });
    if (group.publicIp) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "publicIp"],
        message:
          "true cannot go with efa: EFA nodes talk to each other inside one placement group, and EC2 gives no public IP to an instance with several network interfaces; drop publicIp or turn efa off",
        input: true,
      });
    }
  }
  checkScaling(resolved, ctx, path);
  for (const { index, key } of duplicateTaintKeys(options.builtInTaints, group.taints)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "taints", index, "key"],
      message: `"${key}" is already a taint of this pool; the cloud API rejects a taint key twice`,
    });
  }
  checkAutoscalerTemplate(resolved, options, ctx, path);
  return shape;
}

/**
 * Cluster Autoscaler sizes an empty group from its first instance type (and EKS's template, or
 * ours, carries one set of resources), so every type must offer the same vCPUs, memory and GPUs:
 * a group of mixed sizes is planned and scaled as the first one (kubernetes/autoscaler, AWS cloud
 * provider README: "Each Auto Scaling Group should be composed of instance types that provide
 * approximately equal capacity").
 */
function checkUniformShape(shape: InstanceShape, ctx: IssueSink, path: (string | number)[]): boolean {
  const facts: (GpuFacts | CpuFacts)[] = shape.facts;
  const describe = (f: GpuFacts | CpuFacts) =>
    `${f.vcpu} vCPU, ${f.memoryGiB} GiB${"gpus" in f ? `, ${f.gpus} GPU${f.gpus === 1 ? "" : "s"}` : ""}`;
  const first = facts[0];
  if (!first) return true;
  let uniform = true;
  facts.forEach((f, i) => {
    if (describe(f) === describe(first)) return;
    uniform = false;
    ctx.addIssue({
      code: "custom",
      path: [...path, i],
      message: `"${f.type}" (${describe(f)}) is not the size of "${first.type}" (${describe(first)}): Cluster Autoscaler plans a group by its first type, so an empty group would never start for work that fits only the larger one; list types of one size, or make another node group`,
      input: f.type,
    });
  });
  return uniform;
}

/** EKS's own tags on a managed node group's Auto Scaling group (cluster, node group, discovery). */
const EKS_ASG_TAGS = 5;
/** An Auto Scaling group takes at most 50 tags; a tag key at most 128 characters. */
const ASG_TAG_LIMITS = { count: 50, keyLength: 128 } as const;

/**
 * The template tags the group's Auto Scaling group gets (one per label, taint and resource, see
 * `autoscalerTemplateTags`) must fit Auto Scaling's limits: keys of at most 128 characters, and
 * 50 tags in all with EKS's own.
 */
function checkAutoscalerTemplate(
  settings: ResolvedNodeGroupSettings,
  options: { gpu: boolean; builtInTaints: readonly { key: string }[] },
  ctx: IssueSink,
  path: (string | number)[],
): void {
  const keys: { path: (string | number)[]; key: string }[] = [
    ...Object.keys(settings.labels).map((key) => ({
      path: [...path, "labels", key],
      key: templateKey("label", key),
    })),
    ...settings.taints.map((t, i) => ({
      path: [...path, "taints", i, "key"],
      key: templateKey("taint", t.key),
    })),
  ];
  for (const { path: at, key } of keys) {
    if (key.length > ASG_TAG_LIMITS.keyLength) {
      ctx.addIssue({
        code: "custom",
        path: at,
        message: `gives the Auto Scaling group tag "${key}" (${key.length} characters), over Auto Scaling's ${ASG_TAG_LIMITS.keyLength}; Cluster Autoscaler reads an empty group's labels and taints from such tags, so shorten the key`,
      });
    }
  }
  const builtIn = BUILT_IN_TEMPLATE_TAGS[options.gpu ? "gpu" : "cpu"] + options.builtInTaints.length;
  const total = EKS_ASG_TAGS + builtIn + keys.length;
  if (total > ASG_TAG_LIMITS.count) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "labels"],
      message: `with the taints, gives the Auto Scaling group ${total} tags (EKS's ${EKS_ASG_TAGS}, the pool's ${builtIn}, one per extra label and taint); Auto Scaling allows ${ASG_TAG_LIMITS.count}, so drop ${total - ASG_TAG_LIMITS.count}`,
    });
  }
}
