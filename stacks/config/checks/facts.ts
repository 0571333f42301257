import {
  AWS_REGIONS,
  AZURE_LOCATIONS,
  awsZoneProblem,
  KUBERNETES_VERSIONS,
  unknownFact,
} from "../../../components/facts";
import type { ConfigCheck } from "./check";
import { issueAt } from "./check";

type Extension = "awsRegions" | "azureLocations" | "kubernetesVersions";

/**
 * Regions, locations, zones and Kubernetes versions against the facts tables: a value newer than a
 * table is allowed only where `allowUnlisted` names it.
 */
export const knownFacts: ConfigCheck = {
  name: "regions, locations, zones and versions exist",
  check: ({ config, aws, azure }) => {
    const allow = config.allowUnlisted ?? {};
    // Each checked value: where it is, what it must be, its table, and the key that extends it.
    const facts: [
      path: string[],
      value: string | undefined,
      what: string,
      known: readonly string[],
      extra: Extension,
    ][] = [
      [["aws", "region"], aws?.region, "an AWS region", AWS_REGIONS, "awsRegions"],
      [
        ["aws", "cluster", "kubernetesVersion"],
        aws?.config.cluster.kubernetesVersion,
        "a Kubernetes version EKS supports",
        KUBERNETES_VERSIONS.eks,
        "kubernetesVersions",
      ],
      [["azure", "location"], azure?.region, "an Azure location", AZURE_LOCATIONS, "azureLocations"],
      [
        ["azure", "cluster", "kubernetesVersion"],
        azure?.config.cluster.kubernetesVersion,
        "a Kubernetes version AKS supports",
        KUBERNETES_VERSIONS.aks,
        "kubernetesVersions",
      ],
    ];
    const issues = facts.flatMap(([path, value, what, known, extra]) => {
      if (value === undefined) return [];
      const problem = unknownFact(value, known, what, allow[extra], `allowUnlisted.${extra}`);
      return problem ? [issueAt(path, problem)] : [];
    });
    const network = aws?.config.network;
    if (aws && network && "cidr" in network)
      (network.availabilityZones ?? []).forEach((zone, i) => {
        const problem = awsZoneProblem(zone, aws.region);
        if (problem) issues.push(issueAt(["aws", "network", "availabilityZones", i], problem));
      });
    return issues;
  },
};
