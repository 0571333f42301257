// The Azure site of the platform program with more than one storage account and a named
// resource group: what the reference stacks (one account, default group) do not exercise.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RecordedResource } from "../../scripts/plan";
import { loadPlatformConfig, sitesOf } from "../../stacks/config";
import { platform } from "../../stacks/program";
import { keepFirstAccountZone } from "../../stacks/sites/azure";
import { ofType, one, startMocks } from "../helpers/mocks";

const staging = parse(readFileSync(resolve(__dirname, "../../stacks/Pulumi.staging.yaml"), "utf8"))
  .config as Record<string, unknown>;
const azure = {
  ...(staging["hybrid-ai-infra:azure"] as Record<string, unknown>),
  resourceGroupName: "rg-ml-staging",
  storage: [
    { name: "mlstore", datasets: ["clinical-notes"] },
    { name: "modelstore", datasets: [] },
  ],
};

let rs: RecordedResource[];

beforeAll(async () => {
  const recorder = await startMocks({
    stack: "staging",
    config: {
      "hybrid-ai-infra:dataClassification": "confidential",
      "hybrid-ai-infra:azure": azure,
      // A runner inside the VNet deploys the cluster phase.
      "hybrid-ai-infra:deploy": { from: "azure", cidrs: ["10.31.250.0/24"] },
    },
  });
  await pulumi.runtime.runInPulumiStack(async () => {
    const { config, secrets } = loadPlatformConfig();
    return platform(sitesOf(config), secrets) as unknown as Record<string, unknown>;
  });
  rs = recorder.resources;
});

describe("an Azure site with two storage accounts", () => {
  it("creates one privatelink.blob zone and one VNet link, and registers both accounts' endpoints in it", () => {
    // The site's own zone, not the first account's: removing an account leaves the others resolving.
    const zone = one(rs, "azure-native:privatedns:PrivateZone", "aks-blob-dns");
    expect(zone.parent).toMatch(/AzureBlobPrivateDns::aks-blob-dns$/);
    expect(zone.inputs.privateZoneName).toBe("privatelink.blob.core.windows.net");
    // Monitoring's own zones (the private link scope's and the query endpoint's) aside.
    const storage = (r: { name: string }) => !r.name.includes("-metrics-");
    expect(ofType(rs, "azure-native:privatedns:VirtualNetworkLink").filter(storage)).toHaveLength(1);
    const groups = ofType(rs, "azure-native:network:PrivateDnsZoneGroup").filter(storage);
    expect(groups.map((g) => g.name).sort()).toEqual(["mlstore-blob", "modelstore-blob"]);
    const zoneIds = groups.flatMap((g) =>
      (g.inputs.privateDnsZoneConfigs as { privateDnsZoneId: string }[]).map((c) => c.privateDnsZoneId),
    );
    expect(zoneIds).toHaveLength(2);
    expect(new Set(zoneIds).size).toBe(1);
    expect(zoneIds[0]).toMatch(/\/privateDnsZones\/privatelink\.blob\.core\.windows\.net$/);
    // The metrics' private link scope registers in that one zone too, never a second of its name.
    const scope = ofType(rs, "azure-native:network:PrivateDnsZoneGroup").find((g) =>
      g.name.endsWith("-metrics-scope"),
    );
    const scopeZones = ((scope?.inputs.privateDnsZoneConfigs ?? []) as { privateDnsZoneId: string }[]).map(
      (c) => c.privateDnsZoneId,
    );
    expect(scopeZones).toContain(zoneIds[0]);
    expect(
      ofType(rs, "azure-native:privatedns:PrivateZone").filter(
        (z) => z.inputs.privateZoneName === "privatelink.blob.core.windows.net",
      ),
    ).toHaveLength(1);
  });

  it("sends every account's blob audit logs and its key vault's logs to the cluster's workspace", () => {
    one(rs, "azure-native:operationalinsights:Workspace", "aks-logs");
    const settings = ofType(rs, "azure-native:monitor:DiagnosticSetting");
    for (const account of ["mlstore", "modelstore"]) {
      const mine = settings.filter((s) => s.name.startsWith(`${account}-`));
      expect(mine.length, account).toBeGreaterThanOrEqual(2);
      for (const s of mine) {
        expect(s.inputs.workspaceId).toMatch(
          /\/Microsoft\.OperationalInsights\/workspaces\/aks-logs[0-9a-f]+$/,
        );
      }
    }
  });

  it("creates the resource group under the name the config gives", () => {
    const group = one(rs, "azure-native:resources:ResourceGroup", "rg-ml-staging");
    expect(group.inputs.resourceGroupName).toBe("rg-ml-staging");
    const vnet = one(rs, "azure-native:network:VirtualNetwork", "aks-vnet");
    expect(vnet.inputs.resourceGroupName).toBe("rg-ml-staging");
  });
});

describe("the blob zone's move from the first account to the site", () => {
  it("aliases the zone and its link to their former URNs under the first account, and nothing else", async () => {
    const move = keepFirstAccountZone("mlstore");
    const aliased = move({
      type: "azure-native:privatedns:PrivateZone",
      name: "aks-blob-dns",
      props: {},
      opts: {},
      resource: undefined as never,
    });
    const alias = (aliased?.opts.aliases ?? [])[0] as { name: string; parent: pulumi.Output<string> };
    expect(alias.name).toBe("mlstore-blob-dns");
    const parent = await new Promise<string>((done) => alias.parent.apply(done));
    expect(parent).toBe(
      "urn:pulumi:staging::hybrid-ai-infra::hybrid-ai-infra:index:AzureEncryptedStorage::mlstore",
    );
    expect(
      move({
        type: "azure-native:storage:StorageAccount",
        name: "x",
        props: {},
        opts: {},
        resource: undefined as never,
      }),
    ).toBeUndefined();
  });
});
