import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_PROJECT, PROJECT } from "../names";
import { type ClusterPhaseOutputs, clusterPhase, readPlatform } from "./program";
import { checkClusterReach, NETWORK_PROBE, type Probe } from "./reach";

/**
 * The platform stack this cluster stack renders: `platformStack` in config, else the platform
 * project's stack of the same name in the same organization, so a user writes nothing per
 * environment for this phase.
 */
export function platformStackName(): string {
  const given = new pulumi.Config(CLUSTER_PROJECT).get("platformStack");
  return given ?? `${pulumi.getOrganization()}/${PROJECT}/${pulumi.getStack()}`;
}

/**
 * The program: read the platform's outputs, check every cluster's API server is reachable from
 * here (the offline plan, which reaches nothing, passes no probe), then declare the add-ons and
 * the placed workloads.
 */
export async function main(probe: Probe | false = NETWORK_PROBE): Promise<ClusterPhaseOutputs> {
  const platform = await readPlatform(new pulumi.StackReference("platform", { name: platformStackName() }));
  if (probe) await checkClusterReach(platform.endpoints, platform.deploy, probe);
  return clusterPhase(platform);
}
