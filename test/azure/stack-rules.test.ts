import { describe, expect, it } from "vitest";
import { kubernetesSupport } from "../../components/azure/cluster";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig } from "../../stacks/config";
import { referenceStackConfig } from "../helpers/stack-config";

type Raw = Record<string, any>;

function configOf(stack: string): Raw {
  return referenceStackConfig(stack) as Raw;
}

function problems(stack: string, raw: Raw): string[] {
  try {
    parsePlatformConfig(stack, raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

describe("the Azure rules on the stack config", () => {
  it("accept staging and prod as they are", () => {
    expect(problems("staging", configOf("staging"))).toEqual([]);
    expect(problems("prod", configOf("prod"))).toEqual([]);
  });

  it("refuse a minor past AKS community support, and accept it with long-term support on Premium (point 19)", () => {
    const raw = configOf("staging");
    raw.azure.cluster.kubernetesVersion = "1.33";
    expect(problems("staging", raw)).toEqual([
      expect.stringMatching(
        /^azure\.cluster\.kubernetesVersion: "1\.33" left AKS community support in 2026-06/,
      ),
    ]);
    raw.azure.cluster.supportPlan = "AKSLongTermSupport";
    expect(problems("staging", raw)).toEqual([
      'azure.cluster.supportPlan: "AKSLongTermSupport" needs the Premium tier, and skuTier is "Standard"; set skuTier: Premium',
    ]);
    raw.azure.cluster.skuTier = "Premium";
    expect(problems("staging", raw)).toEqual([]);
  });

  it("warn three months before a minor leaves support, by the dated table", () => {
    expect(kubernetesSupport("1.34", "KubernetesOfficial").warning).toContain(
      "leaves AKS community support in 2027-01",
    );
    expect(kubernetesSupport("1.35", "KubernetesOfficial")).toEqual({});
  });

  it("refuse a cluster name that makes the node resource group longer than 80 characters (point 18)", () => {
    const raw = configOf("staging");
    // 22 characters: cluster aks...-staging (30), group <cluster>-rg plus 8 (41): MC_ name of 86.
    raw.azure.cluster.name = "ml-training-cluster-eu";
    expect(problems("staging", raw)).toEqual([
      expect.stringContaining(
        "azure.cluster.name: makes AKS's node resource group MC_<group>_<cluster>_<location> 86 characters long",
      ),
    ]);
    raw.azure.resourceGroupName = "rg-ml";
    expect(problems("staging", raw)).toEqual([]);
  });

  it("refuse encryption at host on a size without it, by pool path, unless the pool or the cluster opts out (point 13)", () => {
    const raw = configOf("staging");
    raw.azure.cluster.nodePools.push({ name: "nd", vmSize: "Standard_ND96asr_v4", maxCount: 1 });
    expect(problems("staging", raw)).toEqual([
      expect.stringMatching(
        /^azure\.cluster\.nodePools\[3\]\.vmSize: "Standard_ND96asr_v4" does not offer encryption at host/,
      ),
    ]);
    raw.azure.cluster.nodePools[3].encryptionAtHost = false;
    expect(problems("staging", raw)).toEqual([]);
  });

  it("check storage accounts by their own fields: a name that makes a prefix, the datasets container", () => {
    const raw = configOf("staging");
    raw.azure.storage = [{ name: "ml", datasets: ["clinical-notes"], containers: ["models"] }];
    expect(problems("staging", raw)).toEqual([
      expect.stringMatching(/^azure\.storage\[0\]\.name: "ml" makes no storage account name prefix/),
      'azure.storage[0].containers: has no "datasets" container, where the datasets given live (each under <dataset>/); add it',
    ]);
  });
});
