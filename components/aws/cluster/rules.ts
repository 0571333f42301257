import { CLUSTER_AUTOSCALER_IMAGES } from "../../facts";
import { childName } from "../../kit";
import { formatPath, type IssueSink } from "../../validation";
import { checkNameLimits, type GeneratedName } from "../names";
import { isGpuGroup, nodeGroupNames, resolveNodeGroupSettings } from "../node-group";
import { DEFAULT_NETWORK_POLICY_MODE, type NetworkPolicyMode, VPC_CNI_MINIMUM } from "./addon-specs";

// The cluster's rules as plain functions over plain values: the component's schema runs them on
// its args, the stack config on its config (by config path), so neither runs the other.

/** An EKS cluster name: a letter or digit first, then letters, digits, `-` and `_`, at most 100. */
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
export const CLUSTER_NAME_RULE =
  "must start with a letter or digit and use letters, digits, - and _ (at most 100)";

/** The EKS name of a cluster component: the one given, else `<component name>-<environment>`. */
export function clusterNameOf(component: string, environment: string, given?: string | undefined): string {
  return given ?? `${component}-${environment}`;
}

/**
 * The derived EKS name must be one EKS takes (a given one is checked by its field's schema).
 * Reported at the component's `clusterName` arg, or, with `configPath`, at the config entry's
 * `name` the stack derives it from.
 */
export function checkDerivedClusterName(
  component: string,
  environment: string,
  sink: IssueSink,
  configPath?: (string | number)[],
): void {
  const derived = clusterNameOf(component, environment);
  if (CLUSTER_NAME.test(derived)) return;
  const why = `the default ${JSON.stringify(derived)} is no EKS cluster name: it ${CLUSTER_NAME_RULE}`;
  sink.addIssue(
    configPath
      ? {
          code: "custom",
          path: configPath,
          message: `${JSON.stringify(component)} cannot be used: the stack derives the component's clusterName from it, and ${why}; choose another name`,
        }
      : { code: "custom", path: ["clusterName"], message: `is not given, and ${why}; set clusterName` },
  );
}

/** One access entry per principal: EKS rejects a second, and the child names would clash. */
export function checkOneEntryPerPrincipal(
  args: { admins: readonly string[]; accessEntries?: readonly { principalArn: string }[] | undefined },
  sink: IssueSink,
): void {
  const principals = new Map<string, string>();
  const grantees: { path: (string | number)[]; arn: string }[] = [
    ...args.admins.map((arn, i) => ({ path: ["admins", i], arn })),
    ...(args.accessEntries ?? []).map((e, i) => ({
      path: ["accessEntries", i, "principalArn"],
      arn: e.principalArn,
    })),
  ];
  for (const { path, arn } of grantees) {
    const first = principals.get(arn);
    if (first !== undefined) {
      sink.addIssue({
        code: "custom",
        path,
        message: `"${arn}" already has an access entry (${first}); a principal gets one entry and one policy`,
      });
    } else {
      principals.set(arn, formatPath(path));
    }
  }
}

/** The node group fields the cluster's rules read. */
interface GroupBounds {
  name: string;
  instanceTypes: string[];
  minSize?: number | undefined;
  maxSize: number;
  os?: "al2023" | "bottlerocket" | undefined;
  efa?: boolean | undefined;
}

/** Whether the autoscaler may resize a group: its bounds leave room above its floor. */
export function canScale(group: Omit<GroupBounds, "name">): boolean {
  const { minSize, maxSize } = resolveNodeGroupSettings(group, isGpuGroup(group.instanceTypes));
  return maxSize > minSize;
}

/** The autoscaler image: the one given, else the release matching the cluster's Kubernetes version. */
export function autoscalerImageOf(args: {
  kubernetesVersion?: string | undefined;
  clusterAutoscalerImage?: string | undefined;
}): string | undefined {
  if (args.clusterAutoscalerImage !== undefined) return args.clusterAutoscalerImage;
  return args.kubernetesVersion === undefined ? undefined : CLUSTER_AUTOSCALER_IMAGES[args.kubernetesVersion];
}

/**
 * The autoscaler needs an image matching the cluster's Kubernetes minor version (it simulates that
 * version's scheduler): refuse a cluster with room to scale and no way to pick one.
 */
export function checkAutoscalerImage(
  args: {
    nodeGroups?: readonly Omit<GroupBounds, "name">[] | undefined;
    kubernetesVersion?: string | undefined;
    clusterAutoscalerImage?: string | undefined;
  },
  sink: IssueSink,
): void {
  if (!(args.nodeGroups ?? []).some(canScale) || autoscalerImageOf(args)) return;
  const known = Object.keys(CLUSTER_AUTOSCALER_IMAGES).join(", ");
  sink.addIssue({
    code: "custom",
    path: ["kubernetesVersion"],
    message: args.kubernetesVersion
      ? `"${args.kubernetesVersion}" has no known Cluster Autoscaler release (known: ${known}); set clusterAutoscalerImage`
      : `is not set, and the Cluster Autoscaler must match it; pin one of ${known}, or set clusterAutoscalerImage`,
  });
}

/**
 * Without internet egress the nodes reach only the VPC's endpoints, so the cluster phase's images
 * must come from a registry behind them (ECR): NVIDIA's plugin from nvcr.io (which ECR pull-through
 * caches cannot mirror) and Cluster Autoscaler from registry.k8s.io must be given as mirrors.
 * `internetEgress` undefined (an existing VPC whose routes the component does not know) checks
 * nothing.
 */
export function checkImagesReachable(
  args: {
    internetEgress?: boolean | undefined;
    gpuDevicePlugin?: boolean | undefined;
    gpuDevicePluginImage?: string | undefined;
    clusterAutoscalerImage?: string | undefined;
    nodeGroups?: readonly Omit<GroupBounds, "name">[] | undefined;
  },
  sink: IssueSink,
  why = "the network has no internet egress, so nodes cannot pull from",
): void {
  if (args.internetEgress !== false) return;
  const groups = args.nodeGroups ?? [];
  const needsPlugin =
    args.gpuDevicePlugin !== false &&
    groups.some(
      (g) => isGpuGroup(g.instanceTypes) && resolveNodeGroupSettings(g, true).os !== "bottlerocket",
    );
  if (needsPlugin && !args.gpuDevicePluginImage)
    sink.addIssue({
      code: "custom",
      path: ["gpuDevicePluginImage"],
      message: `is not set, and ${why} nvcr.io; copy nvcr.io/nvidia/k8s-device-plugin into ECR and give its URI, or use a NAT gateway`,
    });
  if (groups.some(canScale) && !args.clusterAutoscalerImage)
    sink.addIssue({
      code: "custom",
      path: ["clusterAutoscalerImage"],
      message: `is not set, and ${why} registry.k8s.io; mirror the autoscaler in ECR (a pull-through cache rule for registry.k8s.io) and give its URI, or use a NAT gateway`,
    });
}

/** The add-ons whose service accounts get their own Pod Identity role (see ADDONS). */
const ROLE_ADDONS = ["vpc-cni"];

/**
 * The physical names the cluster component `name` generates that have a service limit: its IAM
 * roles (control plane, nodes, add-ons, autoscaler) and their inline policies, the node groups
 * and launch templates of the system group and of each pool (reported at the pool's `name`),
 * and the EFA groups of EFA pools.
 */
export function clusterGeneratedNames(
  name: string,
  nodeGroups: readonly Omit<GroupBounds, "instanceTypes" | "maxSize">[] = [],
): GeneratedName[] {
  const role = (suffix: string): GeneratedName => ({
    kind: "iamRole",
    logical: childName(name, suffix),
    path: [],
  });
  return [
    role("cluster"),
    role("node"),
    ...ROLE_ADDONS.map(role),
    role("cluster-autoscaler"),
    { kind: "iamRolePolicy", logical: childName(name, "cluster-kms"), path: [] },
    { kind: "iamRolePolicy", logical: childName(name, "cluster-autoscaler"), path: [] },
    ...nodeGroupNames(childName(name, "system"), false),
    ...nodeGroups.flatMap((g, i) =>
      nodeGroupNames(childName(name, g.name), g.efa ?? false, ["nodeGroups", i, "name"]),
    ),
  ];
}

/** Every generated name of the cluster `name` within its service's limit (see `clusterGeneratedNames`). */
export function checkClusterNames(
  name: string,
  nodeGroups: readonly Omit<GroupBounds, "instanceTypes" | "maxSize">[] | undefined,
  sink: IssueSink,
  source?: string,
): void {
  checkNameLimits(clusterGeneratedNames(name, nodeGroups), sink, source);
}

/** The network policy mode: the one given, else `DEFAULT_NETWORK_POLICY_MODE`. */
export function resolveNetworkPolicyMode(given: NetworkPolicyMode | undefined): NetworkPolicyMode {
  return given ?? DEFAULT_NETWORK_POLICY_MODE;
}

/**
 * A pinned VPC CNI version must enforce the cluster's network policies: one older than
 * `VPC_CNI_MINIMUM` for the mode would take `enableNetworkPolicy` or the strict mode setting and
 * enforce nothing, and every namespace's default deny would be a promise only.
 */
export function checkNetworkPolicySupport(
  args: {
    networkPolicyMode?: NetworkPolicyMode | undefined;
    addonVersions?: { "vpc-cni"?: string | undefined } | undefined;
  },
  sink: IssueSink,
): void {
  const pinned = args.addonVersions?.["vpc-cni"];
  const release = pinned
    ?.match(/^v(\d+)\.(\d+)\.(\d+)-/)
    ?.slice(1)
    .map(Number);
  if (!pinned || !release) return;
  const mode = resolveNetworkPolicyMode(args.networkPolicyMode);
  const minimum = VPC_CNI_MINIMUM[mode];
  const older = minimum.findIndex((part, i) => (release[i] ?? 0) !== part);
  if (older === -1 || (release[older] ?? 0) > (minimum[older] ?? 0)) return;
  sink.addIssue({
    code: "custom",
    path: ["addonVersions", "vpc-cni"],
    message: `${pinned} enforces no network policies in ${mode} mode; VPC CNI ${minimum.join(".")} or later does (set networkPolicyMode, or pin a later version)`,
  });
}
