import {
  AWS_REGIONS,
  AZURE_LOCATIONS,
  awsZoneProblem,
  KUBERNETES_VERSIONS,
  kubernetesFloor,
  missingFeatures,
  unknownFact,
} from "../../../components/facts";
import type { SiteKind } from "../fields";
import type { Sites } from "../sites";
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

/**
 * Each stated cluster version honours what the library renders there: an older API server drops
 * the fields it does not know and admits the object, so the loss would show only in behaviour. The
 * on-premises cluster manages MultiKueue when a cloud is linked to it.
 */
export const versionsHonourRenderedObjects: ConfigCheck = {
  name: "cluster versions honour the rendered objects",
  check: (sites) => {
    const { aws, azure, onprem } = sites;
    const stated: [kind: SiteKind, site: string, version: string | undefined][] = [
      ["aws", aws?.name ?? "", aws?.config.cluster.kubernetesVersion],
      ["azure", azure?.name ?? "", azure?.config.cluster.kubernetesVersion],
      ["onprem", onprem?.name ?? "", onprem?.config.cluster?.kubernetesVersion],
    ];
    return stated.flatMap(([kind, site, version]) => {
      if (version === undefined) return [];
      const scopes = sites.featureScopesOf(kind);
      const path = [kind, "cluster", "kubernetesVersion"];
      const missing = missingFeatures(version, scopes);
      if (missing.length === 0) return [];
      const floor = kubernetesFloor(scopes);
      const needs = missing.map((f) => `${f.uses} needs ${f.since} (${f.gate})`).join("; ");
      return [
        issueAt(
          path,
          `"${version}" is older than ${floor}, the oldest minor that honours what the library renders on ${site}: ${needs}; upgrade the cluster to ${floor} or later`,
        ),
      ];
    });
  },
};

/**
 * The on-premises cluster's version, when config does not state it: the one cluster whose version
 * the library cannot know, so what it renders there is checked against nothing.
 */
export function unstatedVersionNotice(sites: Sites): string | undefined {
  const site = sites.onprem;
  if (!site || site.config.cluster?.kubernetesVersion) return undefined;
  const floor = kubernetesFloor(sites.featureScopesOf("onprem"));
  return `onprem.cluster.kubernetesVersion is not stated: what the library renders on ${site.name} needs Kubernetes ${floor} or later (an older API server drops the fields it does not know); state the minor its API server runs so the plan checks it`;
}
