import { beforeAll, describe, expect, it } from "vitest";
import { AzureWorkloadIdentity } from "../../components/azure";
import { datasetReadCondition } from "../../components/azure/internal";
import type { Recorder } from "../../scripts/plan";
import { configErrorOf } from "../helpers/components";
import { ofType, one, resolved, startMocks } from "../helpers/mocks";

const GROUP = "rg-ai";
const ACCOUNT =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.Storage/storageAccounts/mlstore1";
const OTHER =
  "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai/providers/Microsoft.Storage/storageAccounts/mlstore2";
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/issuer/";

describe("datasetReadCondition", () => {
  it("reads blobs only under the datasets' folders, and lists only with a prefix inside them", () => {
    const condition = datasetReadCondition("datasets", [
      { container: "datasets", prefix: "notes" },
      { container: "datasets", prefix: "scans" },
    ]);
    const read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    expect(condition).toBe(
      `((!(ActionMatches{'${read}'} AND NOT SubOperationMatches{'Blob.List'})) OR ` +
        `(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'datasets' AND ` +
        `(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'notes/' OR ` +
        `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'scans/'))) AND ` +
        `((!(ActionMatches{'${read}'} AND SubOperationMatches{'Blob.List'})) OR ` +
        `(@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'datasets' AND ` +
        `(@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'notes/' OR ` +
        `@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith 'scans/')))`,
    );
  });
});

describe("AzureWorkloadIdentity", () => {
  let recorder: Recorder;
  beforeAll(async () => {
    recorder = await startMocks();
  });

  it("trusts only the workload's ServiceAccount, and reads only its datasets' folders, one grant per container", async () => {
    const identity = new AzureWorkloadIdentity("aks-notes", {
      resourceGroupName: GROUP,
      oidcIssuerUrl: ISSUER,
      namespace: "clinical-ai",
      serviceAccount: "notes-summariser",
      datasets: [
        { storageAccountId: ACCOUNT, container: "datasets", prefix: "notes" },
        { storageAccountId: ACCOUNT, container: "datasets", prefix: "scans" },
        { storageAccountId: OTHER, container: "datasets", prefix: "labels" },
      ],
    });
    await recorder.settle();
    const rs = recorder.resources;
    one(rs, "azure-native:managedidentity:UserAssignedIdentity", "aks-notes");
    const credential = one(rs, "azure-native:managedidentity:FederatedIdentityCredential", "aks-notes-sa");
    expect(credential.inputs).toMatchObject({
      issuer: ISSUER,
      subject: "system:serviceaccount:clinical-ai:notes-summariser",
      audiences: ["api://AzureADTokenExchange"],
      resourceGroupName: GROUP,
    });
    const grants = ofType(rs, "azure-native:authorization:RoleAssignment").filter((r) =>
      r.name.startsWith("aks-notes-read-"),
    );
    expect(grants.map((g) => g.inputs.scope)).toEqual([
      `${ACCOUNT}/blobServices/default/containers/datasets`,
      `${OTHER}/blobServices/default/containers/datasets`,
    ]);
    for (const g of grants) {
      expect(g.inputs).toMatchObject({ principalType: "ServicePrincipal", conditionVersion: "2.0" });
      // Storage Blob Data Reader.
      expect(String(g.inputs.roleDefinitionId)).toMatch(/\/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1$/);
    }
    expect(String(grants[0]?.inputs.condition)).toContain("StringStartsWith 'notes/' OR");
    expect(String(grants[0]?.inputs.condition)).toContain("'scans/'");
    expect(String(grants[0]?.inputs.condition)).not.toContain("labels");
    expect(String(grants[1]?.inputs.condition)).toContain("'labels/'");
    expect(await resolved(identity.clientId)).toEqual(expect.any(String));
  });

  it("refuses an identity that grants nothing, and a storage id of another kind", () => {
    const args = {
      resourceGroupName: GROUP,
      oidcIssuerUrl: ISSUER,
      namespace: "clinical-ai",
      serviceAccount: "notes-summariser",
    };
    expect(
      configErrorOf(() => new AzureWorkloadIdentity("bad", { ...args, datasets: [] })).message,
    ).toContain("grants nothing");
    const vault = ACCOUNT.replace("Microsoft.Storage/storageAccounts", "Microsoft.KeyVault/vaults");
    const wrong = configErrorOf(
      () =>
        new AzureWorkloadIdentity("bad", {
          ...args,
          datasets: [{ storageAccountId: vault, container: "datasets", prefix: "notes" }],
        }),
    );
    expect(wrong.message).toContain("datasets[0].storageAccountId");
    expect(wrong.message).toContain("is not a storage account resource id");
  });
});
