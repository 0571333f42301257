import * as autoscaling from "@pulumi/aws/autoscaling";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as pulumi from "@pulumi/pulumi";
import { type Common, childName } from "../../kit";
import type { Pool } from "../../placement";
import { awsContext } from "../context";
import { amiTypeFor } from "./ami";
import { autoscalerTemplateTags, nodeGroupLabels, type TemplateResources } from "./autoscaler-template";
import { grantDiskKey } from "./disk-key";
import { createEfaNetwork } from "./efa";
import { efaInterfaceCount, smallestShape } from "./instance-shape";
import { type LaunchTemplateNetwork, launchTemplateArgs } from "./launch-template";
import { type NodeGroupPoolPlan, nodeGroupPool } from "./pool";
import { desiredSizeOf } from "./scaling";
import type { AwsClusterRef } from "./settings";

/** What only the cloud resources of a node group need, beyond its pool: all of it resolved. */
export interface NodeGroupResourcePlan {
  /** Subnets of the nodes: the group's own, else the cluster's private subnets. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** For GPU pools: EFA interfaces and a cluster placement group in one subnet (given, or of a zone). */
  efa?: { subnetId: pulumi.Input<string> | undefined; zone: string | undefined };
  /** Most nodes unavailable during an update: GPU pools roll one node at a time. */
  maxUnavailable: { count: number } | { percentage: number };
}

const EKS_EFFECT = {
  NoSchedule: "NO_SCHEDULE",
  PreferNoSchedule: "PREFER_NO_SCHEDULE",
  NoExecute: "NO_EXECUTE",
} as const;

/**
 * Where the nodes go: the cluster's security group and the node subnets; with EFA also the EFA
 * security group and placement group, and one subnet (one zone) for the whole group.
 */
function nodeNetwork(
  name: string,
  parent: pulumi.Resource,
  common: Common,
  cluster: AwsClusterRef,
  plan: NodeGroupPoolPlan,
  resources: NodeGroupResourcePlan,
): { launch: LaunchTemplateNetwork; subnetIds: pulumi.Input<pulumi.Input<string>[]> } {
  const securityGroups: pulumi.Input<string>[] = [cluster.clusterSecurityGroupId];
  const { subnetIds } = resources;
  if (!resources.efa) {
    return { launch: { securityGroups, interfaces: 1, efa: false }, subnetIds };
  }
  const efa = createEfaNetwork(name, parent, common, cluster.vpcId);
  securityGroups.push(efa.securityGroupId);
  const efaSubnet = resources.efa.subnetId ?? efaSubnetOf(name, cluster, subnetIds, resources.efa.zone);
  return {
    launch: {
      securityGroups,
      interfaces: efaInterfacesOfPlan(plan),
      efa: true,
      placementGroupName: efa.placementGroupName,
    },
    subnetIds: [efaSubnet],
  };
}

/** EFA interfaces per node: validation has made sure every listed type takes the same number. */
function efaInterfacesOfPlan(plan: NodeGroupPoolPlan): number {
  const count = efaInterfaceCount(plan.settings.instanceTypes);
  if (count === undefined)
    throw new Error(`pool ${plan.pool}: instance types passed validation with unequal EFA interfaces`);
  return count;
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
  const fail = (zones: readonly string[]) =>
    new Error(
      `AwsGpuNodeGroup ${JSON.stringify(name)}: efaZone "${zone}" has no private subnet of the cluster (its zones: ${zones.join(", ") || "none given"}); pick one of them or give efaSubnetId`,
    );
  if (zone === undefined) {
    return pulumi.output(subnetIds).apply((ids) => {
      const [first] = ids;
      if (first === undefined) throw new Error(`AwsGpuNodeGroup ${JSON.stringify(name)}: no node subnet`);
      return first;
    });
  }
  const zones = cluster.privateSubnetZones;
  if (zones === undefined) throw fail([]);
  return pulumi.all([cluster.privateSubnetIds, zones]).apply(([ids, known]) => {
    const subnet = ids[known.indexOf(zone)];
    if (subnet === undefined) throw fail(known);
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
  return {
    clusterName: cluster.clusterName,
    nodeRoleArn: cluster.nodeRoleArn,
    subnetIds,
    amiType: amiTypeFor(settings.os, smallestShape(shape).arch, shape.kind === "gpu"),
    capacityType: settings.capacityType,
    instanceTypes: settings.instanceTypes,
    scalingConfig: { minSize: settings.minSize, desiredSize, maxSize: settings.maxSize },
    labels: nodeGroupLabels(pool),
    taints: [...plan.builtInTaints, ...settings.taints].map((t) => ({
      key: t.key,
      value: t.value,
      effect: EKS_EFFECT[t.effect],
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

/** The extended resources an empty group's template must show: GPUs, and EFA interfaces with EFA. */
function templateResources(plan: NodeGroupPoolPlan, efa: boolean): TemplateResources {
  const smallest = smallestShape(plan.shape);
  return {
    gpus: smallest.gpu?.count,
    efaInterfaces: efa ? efaInterfacesOfPlan(plan) : undefined,
  };
}

/**
 * Tags the group's Auto Scaling group (which EKS names, and reports once the group exists) with
 * the node template Cluster Autoscaler sizes an empty group by: one tag per label, taint and
 * extended resource (see `autoscalerTemplateTags`). Child names follow the tag keys.
 */
function tagAutoScalingGroup(
  name: string,
  parent: pulumi.Resource,
  nodeGroup: eks.NodeGroup,
  tags: Record<string, string>,
): autoscaling.Tag[] {
  const group = nodeGroup.resources.apply((resources) => {
    const asg = resources[0]?.autoscalingGroups?.[0]?.name;
    if (asg === undefined) throw new Error(`node group ${name}: EKS reported no Auto Scaling group`);
    return asg;
  });
  return Object.entries(tags).map(
    ([key, value]) =>
      new autoscaling.Tag(
        childName(
          name,
          "template",
          key.slice(key.lastIndexOf("/node-template/") + 15).replace(/[^a-zA-Z0-9-]+/g, "-"),
        ),
        // Not propagated: the template describes nodes to come, the nodes get the labels from EKS.
        { autoscalingGroupName: group, tag: { key, value, propagateAtLaunch: false } },
        { parent },
      ),
  );
}

/**
 * Declares a launch template (IMDSv2 with hop limit 1, encrypted gp3 volumes, no public IP unless
 * asked, optional EFA), the managed node group that uses it and the template tags of its Auto
 * Scaling group; returns the placement pool the group provides.
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
  const network = nodeNetwork(name, parent, common, cluster, plan, resources);
  const launchTemplate = new ec2.LaunchTemplate(
    name,
    launchTemplateArgs(name, plan, network.launch, common.tags),
    { parent },
  );
  const { settings } = plan;
  const desiredSize = desiredSizeOf(
    parent,
    cluster.clusterName,
    plan.pool,
    { initial: settings.desiredSize, minSize: settings.minSize, maxSize: settings.maxSize },
    [launchTemplate.latestVersion],
  );
  // Instances whose volumes a customer managed key encrypts launch only once Auto Scaling may use it.
  const diskKey = settings.diskKmsKeyArn
    ? [grantDiskKey(name, parent, awsContext(parent), settings.diskKmsKeyArn)]
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
  tagAutoScalingGroup(
    name,
    parent,
    nodeGroup,
    autoscalerTemplateTags(pool, templateResources(plan, !!resources.efa)),
  );
  return { nodeGroup, launchTemplate, pool };
}
