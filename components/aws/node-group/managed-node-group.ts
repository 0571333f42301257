import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { type Common, type CommonArgs, resolveCommon } from "../../kit";
import type { Pool, Taint } from "../../placement";
import { awsContext } from "../context";
import { amiTypeFor } from "./ami";
import { grantDiskKey } from "./disk-key";
import { createEfaNetwork } from "./efa";
import { efaInterfaceCount, instanceShapeOf, smallestShape } from "./instance-shape";
import { type LaunchTemplateNetwork, launchTemplateArgs } from "./launch-template";
import { type NodeGroupPoolPlan, nodeGroupPool } from "./pool";
import { desiredSizeOf } from "./scaling";
import type { AwsClusterRef, AwsNodeGroupSettings } from "./settings";

/** What only the cloud resources of a node group need, beyond its pool. */
export interface NodeGroupResourcePlan {
  /** For GPU pools: EFA interfaces and a cluster placement group in one subnet (given, or of a zone). */
  efa?: { subnetId: pulumi.Input<string> | undefined; zone: string | undefined };
  /** Most nodes unavailable during an update: GPU pools roll one node at a time. */
  maxUnavailable: { count: number } | { percentage: number };
}

const EKS_EFFECT: Record<string, string> = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
};

/**
 * Where the nodes go: the cluster's security group and the node subnets; with EFA also the EFA
 * security group and placement group, and one subnet (one zone) for the whole group.
 */
function nodeNetwork(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cluster: AwsClusterRef,
  settings: AwsNodeGroupSettings,
  resources: NodeGroupResourcePlan,
): { launch: LaunchTemplateNetwork; subnetIds: pulumi.Input<pulumi.Input<string>[]> } {
  const securityGroups: pulumi.Input<string>[] = [cluster.clusterSecurityGroupId];
  const subnetIds = settings.subnetIds ?? cluster.privateSubnetIds;
  if (!resources.efa) {
    return { launch: { securityGroups, interfaces: 1, efa: false }, subnetIds };
  }
  const efa = createEfaNetwork(name, parent, common, cluster.vpcId);
  securityGroups.push(efa.securityGroupId);
  const efaSubnet = resources.efa.subnetId ?? efaSubnetOf(name, cluster, subnetIds, resources.efa.zone);
  return {
    launch: {
      securityGroups,
      // Validation has made sure every listed type takes the same number of EFA interfaces.
      interfaces: efaInterfaceCount(settings.instanceTypes) ?? 1,
      efa: true,
      placementGroupName: efa.placementGroupName,
    },
    subnetIds: [efaSubnet],
  };
}

/**
 * The subnet of an EFA group: the cluster's private subnet in `zone`, or the first node subnet.
 * Zones known only at deploy time (read from the region) are matched then.
 */
function efaSubnetOf(
  name: string,
  cluster: AwsClusterRef,
  subnetIds: pulumi.Input<pulumi.Input<string>[]>,
  zone: string | undefined,
): pulumi.Output<string> {
  if (zone === undefined) return pulumi.output(subnetIds).apply((ids) => ids[0] ?? "");
  return pulumi.all([cluster.privateSubnetIds, cluster.privateSubnetZones ?? []]).apply(([ids, zones]) => {
    const subnet = ids[zones.indexOf(zone)];
    if (zones.indexOf(zone) < 0 || subnet === undefined) {
      throw new Error(
        `AwsGpuNodeGroup ${JSON.stringify(name)}: efaZone "${zone}" has no private subnet of the cluster (its zones: ${zones.join(", ") || "none given"}); pick one of them or give efaSubnetId`,
      );
    }
    return subnet;
  });
}

/** The managed node group's args: AMI, capacity, scaling, labels and taints from the pool plan. */
export function nodeGroupArgs(
  cluster: AwsClusterRef,
  plan: NodeGroupPoolPlan,
  pool: Pool,
  subnetIds: pulumi.Input<pulumi.Input<string>[]>,
  launchTemplate: { id: pulumi.Input<string>; version: pulumi.Input<string> },
  maxUnavailable: NodeGroupResourcePlan["maxUnavailable"],
  tags: Record<string, string>,
  desiredSize: pulumi.Input<number>,
): eks.NodeGroupArgs {
  const { settings, shape } = plan;
  const minSize = pool.minNodes ?? 0;
  return {
    clusterName: cluster.clusterName,
    nodeRoleArn: cluster.nodeRoleArn,
    subnetIds,
    amiType: amiTypeFor(settings.os ?? "al2023", smallestShape(shape).arch, shape.kind === "gpu"),
    capacityType: settings.capacityType ?? "ON_DEMAND",
    instanceTypes: settings.instanceTypes,
    scalingConfig: { minSize, desiredSize, maxSize: settings.maxSize },
    labels: pool.labels ?? {},
    taints: (pool.taints ?? []).map((t) => ({
      key: t.key,
      value: t.value,
      effect: EKS_EFFECT[t.effect] ?? "NO_SCHEDULE",
    })),
    launchTemplate,
    updateConfig:
      "count" in maxUnavailable
        ? { maxUnavailable: maxUnavailable.count }
        : { maxUnavailablePercentage: maxUnavailable.percentage },
    nodeRepairConfig: { enabled: true },
    tags,
  };
}

/**
 * Declares a launch template (IMDSv2 with hop limit 1, encrypted gp3 volumes, no public IP unless
 * asked, optional EFA) and the managed node group that uses it; returns the placement pool the
 * group provides.
 */
export function createNodeGroup(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cluster: AwsClusterRef,
  plan: NodeGroupPoolPlan,
  resources: NodeGroupResourcePlan,
): { nodeGroup: eks.NodeGroup; launchTemplate: ec2.LaunchTemplate; pool: Pool } {
  const pool = nodeGroupPool(plan);
  const network = nodeNetwork(name, parent, common, cluster, plan.settings, resources);
  const launchTemplate = new ec2.LaunchTemplate(
    name,
    launchTemplateArgs(name, plan, network.launch, common.tags),
    { parent },
  );
  const minSize = pool.minNodes ?? 0;
  const desiredSize = desiredSizeOf(name, parent, cluster.clusterName, {
    initial: plan.settings.desiredSize ?? minSize,
    minSize,
    maxSize: plan.settings.maxSize,
  });
  // Instances whose volumes a customer managed key encrypts launch only once Auto Scaling may use it.
  const diskKey = plan.settings.diskKmsKeyArn
    ? [grantDiskKey(name, parent, awsContext(parent), plan.settings.diskKmsKeyArn)]
    : [];
  const nodeGroup = new eks.NodeGroup(
    name,
    nodeGroupArgs(
      cluster,
      plan,
      pool,
      network.subnetIds,
      { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
      resources.maxUnavailable,
      common.tags,
      desiredSize,
    ),
    { parent, dependsOn: diskKey },
  );
  return { nodeGroup, launchTemplate, pool };
}

/**
 * The body every node group component shares, once its args are valid: resolve the common args,
 * read the instance facts, and declare the group as the pool `poolName` (default the component name).
 */
export function declarePoolNodeGroup(
  name: string,
  parent: pulumi.Resource,
  args: CommonArgs & { cluster: AwsClusterRef },
  parsed: CommonArgs &
    AwsNodeGroupSettings & { poolName?: string | undefined; trust?: NodeGroupPoolPlan["trust"] | undefined },
  kind: { gpu: boolean; builtInTaints: Taint[] },
  resources: NodeGroupResourcePlan,
): { nodeGroup: eks.NodeGroup; pool: Pool } {
  return createNodeGroup(
    name,
    parent,
    resolveCommon(parsed),
    args.cluster,
    {
      pool: parsed.poolName ?? name,
      settings: parsed,
      shape: instanceShapeOf(parsed.instanceTypes, kind.gpu),
      trust: parsed.trust ?? "public",
      builtInTaints: kind.builtInTaints,
    },
    resources,
  );
}
