import type * as ec2 from "@pulumi/aws/ec2";
import type * as pulumi from "@pulumi/pulumi";
import type { NodeGroupPoolPlan } from "./pool";

/** The network side of a node's launch template, decided by the node group. */
export interface LaunchTemplateNetwork {
  /** Security groups of every interface: the cluster's, plus the EFA group with EFA. */
  securityGroups: pulumi.Input<string>[];
  /** Network interfaces per node: one, or one per network card with EFA. */
  interfaces: number;
  /** Whether the interfaces are EFA interfaces. */
  efa: boolean;
  /** The cluster placement group the nodes start in (EFA only). */
  placementGroupName?: pulumi.Input<string>;
}

/**
 * The node volumes: encrypted gp3, the images' volume faster on GPU pools. Bottlerocket keeps its
 * OS on a small root volume and images on a second, data volume.
 */
export function blockDeviceMappings(plan: NodeGroupPoolPlan) {
  const { settings } = plan;
  const gpu = plan.shape.kind === "gpu";
  const diskGiB = settings.diskSizeGiB;
  const volume = (deviceName: string, volumeSize: number, holdsImages: boolean) => ({
    deviceName,
    ebs: {
      volumeSize,
      volumeType: "gp3",
      encrypted: "true",
      deleteOnTermination: "true",
      ...(settings.diskKmsKeyArn ? { kmsKeyId: settings.diskKmsKeyArn } : {}),
      // Model images are large; more throughput than gp3's 125 MiB/s baseline shortens pulls. Only
      // the volume that holds images gets it: gp3 allows at most 500 IOPS per GiB above the 3000
      // baseline, so a small OS volume with 6000 IOPS would fail to launch.
      throughput: gpu && holdsImages ? 500 : 125,
      iops: gpu && holdsImages ? 6000 : 3000,
    },
  });
  return settings.os === "bottlerocket"
    ? [volume("/dev/xvda", 4, false), volume("/dev/xvdb", diskGiB, true)]
    : [volume("/dev/xvda", diskGiB, true)];
}

/**
 * The launch template of a node group's nodes: IMDSv2 only with hop limit 1, encrypted gp3
 * volumes, no public IP unless asked, EFA interfaces and a placement group when asked.
 */
export function launchTemplateArgs(
  name: string,
  plan: NodeGroupPoolPlan,
  network: LaunchTemplateNetwork,
  tags: Record<string, string>,
): ec2.LaunchTemplateArgs {
  const { interfaces } = network;
  return {
    description: `Nodes of pool ${plan.pool}: IMDSv2 only, encrypted volumes`,
    updateDefaultVersion: true,
    metadataOptions: {
      httpEndpoint: "enabled",
      httpTokens: "required",
      // One hop: pods cannot reach the node's credentials; they use Pod Identity instead.
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    },
    blockDeviceMappings: blockDeviceMappings(plan),
    networkInterfaces: Array.from({ length: interfaces }, (_, i) => ({
      deviceIndex: i === 0 ? 0 : 1,
      networkCardIndex: i,
      // EC2 rejects the field on a template with several interfaces (and such nodes get no
      // public IP anyway); validation refuses publicIp with EFA.
      ...(interfaces === 1 ? { associatePublicIpAddress: plan.settings.publicIp ? "true" : "false" } : {}),
      deleteOnTermination: "true",
      securityGroups: network.securityGroups,
      ...(network.efa ? { interfaceType: "efa" } : {}),
    })),
    ...(network.placementGroupName ? { placement: { groupName: network.placementGroupName } } : {}),
    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
      resourceType,
      tags: { ...tags, Name: name, "hybrid-ai-infra.io/pool": plan.pool },
    })),
    tags,
  };
}
