// What an AKS cluster's args must satisfy across fields, beyond the schema's field-by-field rules,
// as plain rules over plain values: the component runs them on its args, the stack config runs
// the same rules on its own fields (stacks/config/checks/azure.ts), each under its own paths.
import { AKS_VERSION_CALENDAR, FACTS_AS_OF, KUBERNETES_VERSIONS, monthsBetween } from "../../facts";
import { findOverlaps, formatPath, type IssueSink } from "../../validation";
import {
  agentPoolNameFor,
  checkEncryptionAtHost,
  checkPoolSettings,
  poolKindOf,
  resolveVmSize,
} from "../node-pool";
import {
  type AzureClusterRbacAssignment,
  CLUSTER_DEFAULTS,
  defaultClusterName,
  defaultSkuTier,
  type ParsedClusterArgs,
} from "./args";

type Path = (string | number)[];

/** Every cross-field check of the component's args; the schema's `superRefine`. */
export function checkClusterArgs(
  args: ParsedClusterArgs,
  ctx: IssueSink,
  component: { name: string; environment: string },
): void {
  checkKmsAccess(args, ctx);
  const { addressSpace, addressSpaceCidr } = args.network;
  const space =
    addressSpaceCidr !== undefined
      ? { path: ["network", "addressSpaceCidr"], cidr: addressSpaceCidr }
      : typeof addressSpace === "string"
        ? { path: ["network", "addressSpace"], cidr: addressSpace }
        : undefined;
  checkOverlayRanges(
    [
      ...(space ? [space] : []),
      { path: ["podCidr"], cidr: args.podCidr ?? CLUSTER_DEFAULTS.podCidr },
      { path: ["serviceCidr"], cidr: args.serviceCidr ?? CLUSTER_DEFAULTS.serviceCidr },
    ],
    ctx,
  );
  checkRbacAssignments(args.rbacAssignments ?? [], ctx, []);
  checkSystemPool(args.systemPool ?? {}, ctx, ["systemPool"]);
  checkInlinePools(args.nodePools ?? [], ctx, []);
  const clusterName = args.clusterName ?? defaultClusterName(component.name, component.environment);
  const named = args.clusterName === undefined ? [] : ["clusterName"];
  if (args.clusterName === undefined) checkClusterName(clusterName, ctx, [], "the component name");
  if (typeof args.resourceGroupName === "string" && args.location !== undefined) {
    checkNodeResourceGroup(
      { resourceGroup: args.resourceGroupName, clusterName, location: args.location },
      ctx,
      named.length > 0 ? named : ["resourceGroupName"],
    );
  }
  checkKubernetesSupport(
    {
      kubernetesVersion: args.kubernetesVersion,
      supportPlan: args.supportPlan ?? CLUSTER_DEFAULTS.supportPlan,
      skuTier: args.skuTier ?? defaultSkuTier(component.environment),
    },
    ctx,
    [],
  );
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
 * The overlay's ranges must not clash with the VNet (nodes) or with each other; each range with
 * the path that sets it, the VNet's first when it is known as a plain string.
 */
export function checkOverlayRanges(ranges: { path: Path; cidr: string }[], ctx: IssueSink): void {
  const named = ranges.map((r) => ({ name: formatPath(r.path), cidr: r.cidr, path: r.path }));
  for (const { a, b } of findOverlaps(named)) {
    ctx.addIssue({
      code: "custom",
      path: named.find((r) => r.name === b.name)?.path ?? [],
      message: `"${b.cidr}" overlaps ${a.name} "${a.cidr}"; pods, services and nodes need distinct ranges`,
    });
  }
}

/** ClusterAdmin is cluster-wide, and Azure keeps one assignment per principal, role and scope. */
export function checkRbacAssignments(
  assignments: readonly AzureClusterRbacAssignment[],
  ctx: IssueSink,
  at: Path,
): void {
  const grants = new Map<string, string>();
  assignments.forEach((grant, i) => {
    const path = [...at, "rbacAssignments", i];
    if (grant.role === "ClusterAdmin" && grant.namespace !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "namespace"],
        message: 'ClusterAdmin is cluster-wide; use "Admin" for one namespace',
      });
    }
    const key = `${grant.principalId.toLowerCase()}/${grant.role}/${grant.namespace ?? ""}`;
    const first = grants.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path,
        message: `repeats ${first}; Azure keeps one assignment per principal, role and scope`,
      });
    } else {
      grants.set(key, formatPath(path));
    }
  });
}

/** The system pool takes a known general-purpose size that can encrypt at host, and its floor is below its ceiling. */
export function checkSystemPool(
  system: NonNullable<ParsedClusterArgs["systemPool"]>,
  ctx: IssueSink,
  at: Path,
): void {
  const vmSize = system.vmSize ?? CLUSTER_DEFAULTS.systemPool.vmSize;
  const resolved = resolveVmSize(vmSize, "cpu");
  if ("problem" in resolved) {
    ctx.addIssue({ code: "custom", path: [...at, "vmSize"], message: resolved.problem });
  } else {
    checkEncryptionAtHost(
      { vmSize, encryptionAtHost: system.encryptionAtHost ?? CLUSTER_DEFAULTS.systemPool.encryptionAtHost },
      "cpu",
      ctx,
      at,
    );
  }
  const min = system.minCount ?? CLUSTER_DEFAULTS.systemPool.minCount;
  const max = system.maxCount ?? CLUSTER_DEFAULTS.systemPool.maxCount;
  if (min > max) {
    ctx.addIssue({ code: "custom", path: [...at, "minCount"], message: `${min} is above maxCount ${max}` });
  }
}

/**
 * Each inline pool's settings for its kind (the VM size decides it), encryption at host as the
 * pool ends up with it, an AKS agent pool name of its own that is not the system pool's, and
 * GPU-only fields on GPU pools only.
 */
export function checkInlinePools(
  pools: readonly NonNullable<ParsedClusterArgs["nodePools"]>[number][],
  ctx: IssueSink,
  at: Path,
  options: { settings: boolean } = { settings: true },
): void {
  const names = new Map<string, string>();
  pools.forEach((pool, i) => {
    const path = [...at, "nodePools", i];
    const kind = poolKindOf(pool.vmSize);
    // The stack config checks each pool's own settings field by field already.
    if (options.settings) checkPoolSettings(pool, kind === "gpu", ctx, path);
    checkEncryptionAtHost(pool, kind, ctx, path);
    const agentPoolName = agentPoolNameFor(pool.name);
    if (typeof agentPoolName !== "string") {
      ctx.addIssue({
        code: "custom",
        path: [...path, "name"],
        message: `${JSON.stringify(pool.name)} ${agentPoolName.problem}`,
      });
    } else if (agentPoolName === "system" || names.has(agentPoolName)) {
      ctx.addIssue({
        code: "custom",
        path: [...path, "name"],
        message:
          agentPoolName === "system"
            ? '"system" is the system pool; pick another name'
            : `${JSON.stringify(pool.name)} gives the same AKS agent pool name as ${names.get(agentPoolName)}; pick distinct names`,
      });
    } else {
      names.set(agentPoolName, formatPath(path));
    }
    if (kind !== "gpu") {
      for (const field of ["gpuDriver", "migProfile"] as const) {
        if (pool[field] !== undefined) {
          ctx.addIssue({
            code: "custom",
            path: [...path, field],
            message: `only applies to GPU pools; "${pool.vmSize}" has no GPU`,
          });
        }
      }
    }
  });
}

/** AKS cluster names: 1-63 letters, digits, `-` and `_`, starting and ending with a letter or digit. */
const CLUSTER_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

/** A cluster name derived from `from` (and the environment) must still be one AKS takes. */
export function checkClusterName(clusterName: string, ctx: IssueSink, path: Path, from: string): void {
  if (CLUSTER_NAME.test(clusterName)) return;
  ctx.addIssue({
    code: "custom",
    path,
    message: `makes the AKS cluster name ${JSON.stringify(clusterName)} (${from} and the environment), and AKS takes 1-63 letters, digits, - and _; shorten it`,
  });
}

/** The longest node resource group name AKS accepts (`MC_<group>_<cluster>_<location>`). */
export const NODE_RESOURCE_GROUP_MAX = 80;

/** A resource group name, or what is known of one Pulumi names: its logical name and the suffix it adds. */
export type ResourceGroupNaming = string | { autoNamedFrom: string; suffixLength: number };

/**
 * AKS names the nodes' resource group `MC_<group>_<cluster>_<location>` and rejects the cluster
 * when that is over 80 characters ("The length of the node resource group name is too long").
 */
export function checkNodeResourceGroup(
  names: { resourceGroup: ResourceGroupNaming; clusterName: string; location: string },
  ctx: IssueSink,
  path: Path,
): void {
  const group =
    typeof names.resourceGroup === "string"
      ? names.resourceGroup
      : `${names.resourceGroup.autoNamedFrom}${"x".repeat(names.resourceGroup.suffixLength)}`;
  const length = `MC_${group}_${names.clusterName}_${names.location}`.length;
  if (length <= NODE_RESOURCE_GROUP_MAX) return;
  const shown =
    typeof names.resourceGroup === "string"
      ? names.resourceGroup
      : `${names.resourceGroup.autoNamedFrom} plus Pulumi's ${names.resourceGroup.suffixLength}-character suffix`;
  ctx.addIssue({
    code: "custom",
    path,
    message: `makes AKS's node resource group MC_<group>_<cluster>_<location> ${length} characters long (group ${shown}, cluster ${JSON.stringify(names.clusterName)}, location ${names.location}), and AKS allows ${NODE_RESOURCE_GROUP_MAX}; shorten the cluster or resource group name by ${length - NODE_RESOURCE_GROUP_MAX}`,
  });
}

/** Warn this many months before a minor leaves the support it is on. */
const SUPPORT_WARNING_MONTHS = 3;

/** How a cluster's Kubernetes minor stands in AKS's calendar, as of the facts table. */
export function kubernetesSupport(
  version: string | undefined,
  supportPlan: string,
): {
  problem?: string;
  warning?: string;
} {
  if (version === undefined) return {};
  const life = AKS_VERSION_CALENDAR[version];
  // A minor newer than the table is the facts check's to allow (allowUnlisted); nothing to judge.
  if (!life) return {};
  const lts = supportPlan === "AKSLongTermSupport";
  const end = lts ? life.ltsEnd : life.communityEnd;
  const left = monthsBetween(FACTS_AS_OF, end);
  const newest = KUBERNETES_VERSIONS.aks.filter(
    (v) => monthsBetween(FACTS_AS_OF, AKS_VERSION_CALENDAR[v]?.communityEnd ?? "0000-00") >= 0,
  );
  const next = newest[0];
  if (left < 0) {
    return {
      problem: lts
        ? `"${version}" left AKS long-term support in ${life.ltsEnd} (as of ${FACTS_AS_OF}); upgrade to ${next ?? "a newer minor"}`
        : `"${version}" left AKS community support in ${life.communityEnd} (as of ${FACTS_AS_OF}: in support ${newest.join(", ")}); upgrade one minor at a time to ${next ?? "a newer minor"}, or set supportPlan: AKSLongTermSupport (Premium tier) to keep it until ${life.ltsEnd}`,
    };
  }
  if (left < SUPPORT_WARNING_MONTHS) {
    return {
      warning: `Kubernetes ${version} leaves AKS ${lts ? "long-term" : "community"} support in ${end} (as of ${FACTS_AS_OF}); plan the upgrade to the next minor`,
    };
  }
  return {};
}

/** A minor past the support its plan gives is refused; long-term support needs the Premium tier. */
export function checkKubernetesSupport(
  cluster: { kubernetesVersion?: string | undefined; supportPlan: string; skuTier: string },
  ctx: IssueSink,
  at: Path,
): void {
  const { problem } = kubernetesSupport(cluster.kubernetesVersion, cluster.supportPlan);
  if (problem) ctx.addIssue({ code: "custom", path: [...at, "kubernetesVersion"], message: problem });
  if (cluster.supportPlan === "AKSLongTermSupport" && cluster.skuTier !== "Premium") {
    ctx.addIssue({
      code: "custom",
      path: [...at, "supportPlan"],
      message: `"AKSLongTermSupport" needs the Premium tier, and skuTier is "${cluster.skuTier}"; set skuTier: Premium`,
    });
  }
}
