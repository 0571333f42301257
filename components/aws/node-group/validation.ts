import { duplicateTaintKeys } from "../../facts";
import type { IssueSink } from "../../validation";
import {
  efaInterfaceCount,
  efaInterfacesOf,
  type InstanceShape,
  resolveInstanceShape,
} from "./instance-shape";

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

/** Checks min <= desired <= max, reporting under `path`. */
export function checkScaling(
  s: { minSize?: number | undefined; desiredSize?: number | undefined; maxSize: number },
  defaultMin: number,
  ctx: IssueSink,
  path: (string | number)[] = [],
): void {
  const min = s.minSize ?? defaultMin;
  const desired = s.desiredSize ?? min;
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
  group: {
    instanceTypes: readonly string[];
    minSize?: number | undefined;
    desiredSize?: number | undefined;
    maxSize: number;
    taints?: readonly { key: string }[] | undefined;
    publicIp?: boolean | undefined;
    efa?: boolean | undefined;
  },
  options: { gpu: boolean; builtInTaints: readonly { key: string }[] },
  ctx: IssueSink,
  path: (string | number)[] = [],
): InstanceShape | undefined {
  const shape = checkInstanceTypes(group.instanceTypes, options.gpu, ctx, [...path, "instanceTypes"]);
  if (group.efa) {
    if (options.gpu) checkEfa(group.instanceTypes, shape, ctx, path);
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
  checkScaling(group, options.gpu ? 0 : 1, ctx, path);
  for (const { index, key } of duplicateTaintKeys(options.builtInTaints, group.taints)) {
    ctx.addIssue({
      code: "custom",
      path: [...path, "taints", index, "key"],
      message: `"${key}" is already a taint of this pool; the cloud API rejects a taint key twice`,
    });
  }
  return shape;
}
