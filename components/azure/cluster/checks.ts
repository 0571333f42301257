// What AzurePrivateClusterArgs must satisfy across fields, beyond the schema's field-by-field rules:
// each check adds its problems to the one ConfigError, under the path of the field to change.
import { findOverlaps, formatPath, type IssueSink } from "../../validation";
import { agentPoolNameFor, checkPoolSettings, poolKindOf, resolveVmSize } from "../node-pool";
import { CLUSTER_DEFAULTS, type ParsedClusterArgs } from "./args";

/** Every cross-field check of the cluster's args; the schema's `superRefine`. */
export function checkClusterArgs(args: ParsedClusterArgs, ctx: IssueSink): void {
  checkKmsAccess(args, ctx);
  checkOverlayRanges(args, ctx);
  checkRbacAssignments(args, ctx);
  checkSystemPool(args, ctx);
  checkInlinePools(args, ctx);
}

/** A private KMS vault is reached from the API server's subnet, so it needs one. */
function checkKmsAccess(args: ParsedClusterArgs, ctx: IssueSink): void {
  if (args.kmsKeyVaultAccess === "Private" && args.network.apiServerSubnetId === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["kmsKeyVaultAccess"],
      message:
        '"Private" needs API server VNet integration: give network.apiServerSubnetId (an AzureVnet carves it unless apiServerSubnet is false)',
    });
  }
}

/**
 * The overlay's ranges must not clash with the VNet (nodes) or with each other. The VNet's space
 * is known as a plain string from an AzureVnet (addressSpaceCidr) or when given as one.
 */
function checkOverlayRanges(args: ParsedClusterArgs, ctx: IssueSink): void {
  const { addressSpace, addressSpaceCidr } = args.network;
  const space =
    addressSpaceCidr !== undefined
      ? { name: "network.addressSpaceCidr", cidr: addressSpaceCidr }
      : typeof addressSpace === "string"
        ? { name: "network.addressSpace", cidr: addressSpace }
        : undefined;
  const ranges = [
    ...(space ? [space] : []),
    { name: "podCidr", cidr: args.podCidr ?? CLUSTER_DEFAULTS.podCidr },
    { name: "serviceCidr", cidr: args.serviceCidr ?? CLUSTER_DEFAULTS.serviceCidr },
  ];
  for (const { a, b } of findOverlaps(ranges)) {
    ctx.addIssue({
      code: "custom",
      path: [b.name],
      message: `"${b.cidr}" overlaps ${a.name} "${a.cidr}"; pods, services and nodes need distinct ranges`,
    });
  }
}

/** ClusterAdmin is cluster-wide, and Azure keeps one assignment per principal, role and scope. */
function checkRbacAssignments(args: ParsedClusterArgs, ctx: IssueSink): void {
  const grants = new Map<string, string>();
  (args.rbacAssignments ?? []).forEach((grant, i) => {
    if (grant.role === "ClusterAdmin" && grant.namespace !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["rbacAssignments", i, "namespace"],
        message: 'ClusterAdmin is cluster-wide; use "Admin" for one namespace',
      });
    }
    const key = `${grant.principalId.toLowerCase()}/${grant.role}/${grant.namespace ?? ""}`;
    const first = grants.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["rbacAssignments", i],
        message: `repeats ${first}; Azure keeps one assignment per principal, role and scope`,
      });
    } else {
      grants.set(key, formatPath(["rbacAssignments", i]));
    }
  });
}

/** The system pool takes a known general-purpose size, and its floor is below its ceiling. */
function checkSystemPool(args: ParsedClusterArgs, ctx: IssueSink): void {
  const system = args.systemPool ?? {};
  if (system.vmSize !== undefined) {
    const resolved = resolveVmSize(system.vmSize, "cpu");
    if ("problem" in resolved) {
      ctx.addIssue({ code: "custom", path: ["systemPool", "vmSize"], message: resolved.problem });
    }
  }
  const min = system.minCount ?? CLUSTER_DEFAULTS.systemPool.minCount;
  const max = system.maxCount ?? CLUSTER_DEFAULTS.systemPool.maxCount;
  if (min > max) {
    ctx.addIssue({
      code: "custom",
      path: ["systemPool", "minCount"],
      message: `${min} is above maxCount ${max}`,
    });
  }
}

/**
 * Each inline pool's settings for its kind (the VM size decides it), an AKS agent pool name of its
 * own that is not the system pool's, and GPU-only fields on GPU pools only.
 */
function checkInlinePools(args: ParsedClusterArgs, ctx: IssueSink): void {
  const names = new Map<string, string>();
  (args.nodePools ?? []).forEach((pool, i) => {
    const gpu = poolKindOf(pool.vmSize) === "gpu";
    checkPoolSettings(pool, gpu, ctx, ["nodePools", i]);
    const agentPoolName = agentPoolNameFor(pool.name);
    if (typeof agentPoolName !== "string") {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", i, "name"],
        message: `${JSON.stringify(pool.name)} ${agentPoolName.problem}`,
      });
    } else if (agentPoolName === "system" || names.has(agentPoolName)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", i, "name"],
        message:
          agentPoolName === "system"
            ? '"system" is the system pool; pick another name'
            : `${JSON.stringify(pool.name)} gives the same AKS agent pool name as ${names.get(agentPoolName)}; pick distinct names`,
      });
    } else {
      names.set(agentPoolName, `nodePools[${i}]`);
    }
    if (!gpu) {
      for (const field of ["gpuDriver", "migProfile"] as const) {
        if (pool[field] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: ["nodePools", i, field],
            message: `only applies to GPU pools; "${pool.vmSize}" has no GPU`,
          });
        }
      }
    }
  });
}
