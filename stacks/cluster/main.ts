import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_PROJECT, PROJECT } from "../names";
import { type ClusterPhaseOutputs, clusterPhase, readPlatform } from "./program";

/**
 * The platform stack this cluster stack renders: `platformStack` in config, else the platform
 * project's stack of the same name in the same organization, so a user writes nothing per
 * environment for this phase.
 */
export function platformStackName(): string {
  const given = new pulumi.Config(CLUSTER_PROJECT).get("platformStack");
  return given ?? `${pulumi.getOrganization()}/${PROJECT}/${pulumi.getStack()}`;
}

/** The program: read the platform's outputs, then declare the add-ons and the placed workloads. */
export async function main(): Promise<ClusterPhaseOutputs> {
  const platform = new pulumi.StackReference("platform", { name: platformStackName() });
  return clusterPhase(await readPlatform(platform));
}
