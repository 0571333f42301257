import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, clusterPlacementShape, commonArgsShape, input } from "../../kit";
import type { Trust } from "../../placement";
import { type IssueSink, kubernetesVersionSchema } from "../../validation";
import { RESOURCE_GROUP_NAME, SUBNET_ID } from "../ids";
import type { PoolKind } from "./defaults";
import { MIG_PROFILES, type MigProfile } from "./mig";
import { agentPoolNameFor } from "./plan";
import { type AzureNodePoolSettings, nodePoolSettingsShape, POOL_NAME } from "./settings";

/** The cluster a pool joins: an `AzurePrivateCluster`, or the same fields read from another stack. */
export interface AzureClusterRef {
  /** The AKS cluster name. */
  clusterName: pulumi.Input<string>;
  /** The cluster's resource group. */
  resourceGroupName: pulumi.Input<string>;
  /** Subnet for the pool's nodes, in the cluster's VNet; the cluster identity must hold Network Contributor on it. */
  nodeSubnetId: pulumi.Input<string>;
}

/** Arguments of `AzureNodePool`. */
export interface AzureNodePoolArgs extends CommonArgs, AzureNodePoolSettings {
  /** The cluster to join: an `AzurePrivateCluster`'s fields, or its outputs read from another stack. */
  cluster: AzureClusterRef;
  /** Pool name on node labels and in placement; default the component name. The AKS agent pool name is it without dashes (at most 12). */
  poolName?: string;
  /** Trust zone labelled on the nodes: "public" (default for a public cloud) or "private". */
  trust?: Trust;
  /**
   * Kubernetes minor of the nodes (`orchestratorVersion`), e.g. "1.34": raise it after the control
   * plane's to upgrade the pool. Default AKS's (the control plane's version at creation, unchanged
   * after); an `AzurePrivateCluster` gives its pools its own version.
   */
  kubernetesVersion?: string;
}

/** Arguments of `AzureGpuNodePool`. */
export interface AzureGpuNodePoolArgs extends AzureNodePoolArgs {
  /** "Install" (default): AKS installs the NVIDIA driver; "None": a GPU operator manages drivers. */
  gpuDriver?: "Install" | "None";
  /** Split each GPU with NVIDIA MIG (A100 and H100 sizes only), e.g. "MIG1g". Default none. Placement then offers the slices as GPU model `<model>-<profile>`, e.g. A100-MIG1g (see MIG_SLICES_PER_GPU). */
  migProfile?: MigProfile;
}

/** The zod shape of `AzureClusterRef`. */
export const clusterRefSchema = z.looseObject({
  clusterName: input(z.string().min(1)),
  resourceGroupName: input(RESOURCE_GROUP_NAME),
  nodeSubnetId: input(SUBNET_ID),
});

const poolShape = {
  ...commonArgsShape,
  ...nodePoolSettingsShape,
  cluster: clusterRefSchema,
  poolName: POOL_NAME.optional(),
  trust: clusterPlacementShape.trust,
  kubernetesVersion: kubernetesVersionSchema.optional(),
};

/** The fields only GPU pools take. */
const gpuShape = {
  gpuDriver: z.enum(["Install", "None"]).optional(),
  migProfile: z.enum(MIG_PROFILES).optional(),
};

/** The args of either pool component once parsed. */
export type ParsedPoolArgs = z.output<z.ZodObject<typeof poolShape>> & z.output<z.ZodObject<typeof gpuShape>>;

/** What sets the two pool components apart: type token, and the schema of the args the kind takes. */
export const POOL_COMPONENTS: Record<PoolKind, { type: string; schema: z.ZodType<ParsedPoolArgs> }> = {
  gpu: {
    type: "hybrid-ai-infra:index:AzureGpuNodePool",
    schema: z.strictObject({ ...poolShape, ...gpuShape }),
  },
  cpu: { type: "hybrid-ai-infra:index:AzureNodePool", schema: z.strictObject(poolShape) },
};

/** Adds a problem when the pool name (given, or the component name) makes no AKS agent pool name. */
export function checkPoolName(component: string, given: string | undefined, ctx: IssueSink): string {
  const pool = given ?? component;
  const derived = agentPoolNameFor(pool);
  if (typeof derived !== "string") {
    ctx.addIssue({
      code: "custom",
      path: ["poolName"],
      message:
        given === undefined
          ? `is not given, and the component name ${JSON.stringify(pool)} ${derived.problem}; set poolName`
          : `${JSON.stringify(pool)} ${derived.problem}`,
    });
  }
  if (pool === "system") {
    ctx.addIssue({
      code: "custom",
      path: ["poolName"],
      message: '"system" is the cluster\'s system pool; pick another name',
    });
  }
  return pool;
}
