import type * as pulumi from "@pulumi/pulumi";
import { type Common, type CommonArgs, childName, resolveCommon } from "../../kit";
import type { Trust } from "../../placement";
import type { GeneratedName } from "../names";
import { instanceShapeOf } from "./instance-shape";
import type { NodeGroupResourcePlan } from "./managed-node-group";
import type { NodeGroupPoolPlan } from "./pool";
import {
  type AwsClusterRef,
  NODE_GROUP_DEFAULTS,
  type NodeGroupSettingsInput,
  type NodeTaint,
  resolveNodeGroupSettings,
} from "./settings";

/** A node group component's args once parsed: the settings, the common args, where it joins. */
export interface ParsedNodeGroup extends NodeGroupSettingsInput, CommonArgs {
  cluster: AwsClusterRef;
  poolName?: string | undefined;
  trust?: Trust | undefined;
  efa?: boolean | undefined;
  efaZone?: string | undefined;
  efaSubnetId?: pulumi.Input<string> | undefined;
}

/** Everything a node group declares from, with every default applied once. */
export interface ResolvedNodeGroup {
  common: Common;
  plan: NodeGroupPoolPlan;
  resources: NodeGroupResourcePlan;
}

/** The kind of group a component makes: GPUs or not, the taints that come with it, how it rolls. */
export interface NodeGroupKind {
  gpu: boolean;
  builtInTaints: NodeTaint[];
  maxUnavailable: NodeGroupResourcePlan["maxUnavailable"];
}

/**
 * Resolves a node group component's parsed args once: the settings' defaults, the pool name (the
 * component name by default), the trust zone and the node subnets (the cluster's by default).
 */
export function resolveNodeGroup(
  name: string,
  parsed: ParsedNodeGroup,
  cluster: AwsClusterRef,
  kind: NodeGroupKind,
): ResolvedNodeGroup {
  const settings = resolveNodeGroupSettings(parsed, kind.gpu);
  return {
    common: resolveCommon(parsed),
    plan: {
      pool: parsed.poolName ?? name,
      settings,
      shape: instanceShapeOf(settings.instanceTypes, kind.gpu),
      trust: parsed.trust ?? NODE_GROUP_DEFAULTS.trust,
      builtInTaints: kind.builtInTaints,
    },
    resources: {
      subnetIds: settings.subnetIds ?? cluster.privateSubnetIds,
      maxUnavailable: kind.maxUnavailable,
      ...(parsed.efa ? { efa: { subnetId: parsed.efaSubnetId, zone: parsed.efaZone } } : {}),
    },
  };
}

/**
 * The physical names a node group component `name` gets through auto-naming: the node group and
 * its launch template, and with EFA its security and placement groups. `path` is where a name too
 * long is reported (`[]`: the component name).
 */
export function nodeGroupNames(name: string, efa: boolean, path: (string | number)[] = []): GeneratedName[] {
  return [
    { kind: "eksNodeGroup", logical: name, path },
    { kind: "launchTemplate", logical: name, path },
    ...(efa
      ? [
          { kind: "securityGroup" as const, logical: childName(name, "efa"), path },
          { kind: "placementGroup" as const, logical: childName(name, "placement"), path },
        ]
      : []),
  ];
}
