// The clusters' Kubernetes versions against what the library renders there: an API server older
// than a rendered field drops it and admits the object, so only config can catch it.
import { describe, expect, it } from "vitest";
import {
  KUBERNETES_VERSIONS,
  kubernetesFloor,
  kubernetesOlder,
  missingFeatures,
} from "../../components/facts";
import { parsePlatformConfig, sitesOf, unstatedVersionNotice } from "../../stacks/config";
import { configProblems, referenceStackConfig } from "../helpers/stack-config";

type Raw = Record<string, unknown> & {
  onprem: { cluster: { kubernetesVersion?: unknown } };
  vpn?: unknown;
  aws?: { cluster: { kubernetesVersion?: string } };
  allowUnlisted?: Record<string, string[]>;
};

function prod(): Raw {
  return referenceStackConfig("prod") as Raw;
}

describe("the rendered features' versions", () => {
  it("compares minors as numbers, not text", () => {
    expect(kubernetesOlder("1.9", "1.27")).toBe(true);
    expect(kubernetesOlder("1.32", "1.32")).toBe(false);
    expect(kubernetesOlder("1.33", "1.32")).toBe(false);
  });

  it("asks 1.29 of every cluster (Kueue) and 1.32 of a MultiKueue manager (Jobs' managedBy)", () => {
    expect(kubernetesFloor(["always"])).toBe("1.29");
    expect(kubernetesFloor(["always", "multikueue-manager"])).toBe("1.32");
    expect(missingFeatures("1.31", ["always", "multikueue-manager"]).map((f) => f.gate)).toEqual([
      "JobManagedBy",
    ]);
    expect(missingFeatures("1.26", ["always"]).map((f) => f.gate)).toEqual([
      "MinDomainsInPodTopologySpread",
      "MatchLabelKeysInPodTopologySpread",
      "PDBUnhealthyPodEvictionPolicy",
      "Kueue v0.19",
    ]);
  });

  it("is met by every EKS and AKS version the tables list (the clouds only work for MultiKueue)", () => {
    for (const version of [...KUBERNETES_VERSIONS.eks, ...KUBERNETES_VERSIONS.aks])
      expect(missingFeatures(version, ["always"]), version).toEqual([]);
  });
});

describe("onprem.cluster.kubernetesVersion", () => {
  it("refuses a manager older than Jobs' managedBy, naming what it would lose", () => {
    const raw = prod();
    raw.onprem.cluster.kubernetesVersion = "1.31";
    const message = configProblems("prod", raw);
    expect(message).toContain(
      'onprem.cluster.kubernetesVersion: "1.31" is older than 1.32, the oldest minor that honours what the library renders on dc1:',
    );
    expect(message).toContain("needs 1.32 (JobManagedBy); upgrade the cluster to 1.32 or later");
    expect(message).not.toContain("Kueue v0.19");
  });

  it("lists every feature an older cluster lacks", () => {
    const raw = prod();
    raw.onprem.cluster.kubernetesVersion = "1.28";
    const message = configProblems("prod", raw);
    expect(message).toContain("needs 1.29 (Kueue v0.19)");
    expect(message).toContain("needs 1.32 (JobManagedBy)");
  });

  it("asks only Kueue's 1.29 of an on-premises cluster no cloud is linked to", () => {
    // prod's on-premises site alone: no cloud, no link, nothing copied.
    const raw = prod() as Raw & { onprem: Record<string, unknown> };
    for (const key of ["aws", "azure", "vpn", "deploy", "data", "traffic"]) delete raw[key];
    for (const key of ["datasets", "storage", "identity"]) delete raw.onprem[key];
    raw.onprem.cluster.kubernetesVersion = "1.29";
    expect(sitesOf(parsePlatformConfig("prod", raw)).featureScopesOf("onprem")).toEqual(["always"]);
    raw.onprem.cluster.kubernetesVersion = "1.28";
    expect(configProblems("prod", raw)).toContain("upgrade the cluster to 1.29 or later");
  });

  it("accepts the manager's floor", () => {
    const raw = prod();
    raw.onprem.cluster.kubernetesVersion = "1.32";
    expect(() => parsePlatformConfig("prod", raw)).not.toThrow();
  });

  it("says to quote a version YAML read as a number", () => {
    const raw = prod();
    raw.onprem.cluster.kubernetesVersion = 1.3;
    expect(configProblems("prod", raw)).toContain(
      "onprem.cluster.kubernetesVersion: expected a string, got the number 1.3; YAML reads an unquoted version as a number",
    );
  });

  it("holds a cloud version allowed past its table to the same floor", () => {
    const raw = prod();
    if (!raw.aws) throw new Error("prod has an AWS site");
    raw.aws.cluster.kubernetesVersion = "1.28";
    raw.allowUnlisted = { kubernetesVersions: ["1.28"] };
    expect(configProblems("prod", raw)).toContain(
      'aws.cluster.kubernetesVersion: "1.28" is older than 1.29, the oldest minor that honours what the library renders on',
    );
  });

  it("is a notice when unstated, and nothing once stated", () => {
    const raw = prod();
    expect(unstatedVersionNotice(sitesOf(parsePlatformConfig("prod", raw)))).toBeUndefined();
    delete raw.onprem.cluster.kubernetesVersion;
    expect(unstatedVersionNotice(sitesOf(parsePlatformConfig("prod", raw)))).toBe(
      "onprem.cluster.kubernetesVersion is not stated: what the library renders on dc1 needs Kubernetes 1.32 or later (an older API server drops the fields it does not know); state the minor its API server runs so the plan checks it",
    );
  });
});
