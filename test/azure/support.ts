// Helpers for the Azure suites: well-known ids, role assignments and protection. Tags and
// ConfigErrors: ../helpers/components.
import { expect } from "vitest";
import { AZURE_ROLES, type AzureRole } from "../../components/azure";
import { MOCK_AZURE } from "../../components/testing";
import type { RecordedResource } from "../../scripts/plan";

export const SUBSCRIPTION = MOCK_AZURE.subscriptionId;
export const RG = "rg-platform";
const NET = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network`;
export const VNET_ID = `${NET}/virtualNetworks/vnet-platform`;
export const subnetId = (name: string) => `${VNET_ID}/subnets/${name}`;

/** Resource types by short name. */
export const T = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nat: "azure-native:network:NatGateway",
  publicIp: "azure-native:network:PublicIPAddress",
  flowLog: "azure-native:network:FlowLog",
  privateEndpoint: "azure-native:network:PrivateEndpoint",
  zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
  zone: "azure-native:privatedns:PrivateZone",
  zoneLink: "azure-native:privatedns:VirtualNetworkLink",
  account: "azure-native:storage:StorageAccount",
  blobService: "azure-native:storage:BlobServiceProperties",
  container: "azure-native:storage:BlobContainer",
  lifecycle: "azure-native:storage:ManagementPolicy",
  vault: "azure-native:keyvault:Vault",
  key: "azure-native:keyvault:Key",
  identity: "azure-native:managedidentity:UserAssignedIdentity",
  role: "azure-native:authorization:RoleAssignment",
  workspace: "azure-native:operationalinsights:Workspace",
  diagnostics: "azure-native:monitor:DiagnosticSetting",
  dataCollectionRule: "azure-native:monitor:DataCollectionRule",
  dataCollectionRuleAssociation: "azure-native:monitor:DataCollectionRuleAssociation",
  cluster: "azure-native:containerservice:ManagedCluster",
  agentPool: "azure-native:containerservice:AgentPool",
  random: "random:index/randomString:RandomString",
  k8sProvider: "pulumi:providers:kubernetes",
} as const;

/** The role definition id ARM expects for a built-in role in the mock subscription. */
export function roleId(role: AzureRole): string {
  return `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES[role]}`;
}

/** Every role assignment as [role name, scope, principal], sorted, for one-line assertions. */
export function grantsOf(
  resources: RecordedResource[],
): { name: string; role: string; scope: string; principalId: string }[] {
  const byId = new Map<string, string>(Object.entries(AZURE_ROLES).map(([role, guid]) => [guid, role]));
  return resources
    .filter((r) => r.type === T.role)
    .map((r) => ({
      name: r.name,
      role:
        byId.get(String(r.inputs.roleDefinitionId).split("/").pop() ?? "") ??
        String(r.inputs.roleDefinitionId),
      scope: String(r.inputs.scope),
      principalId: String(r.inputs.principalId),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Asserts `protect` and `retainOnDelete` on each resource. */
export function expectProtected(resources: RecordedResource[]): void {
  for (const r of resources) {
    expect({ resource: `${r.type} ${r.name}`, protect: r.protect, retain: r.retainOnDelete }).toEqual({
      resource: `${r.type} ${r.name}`,
      protect: true,
      retain: true,
    });
  }
}
