// Helpers for the Azure suites: well-known ids, role assignments, tags read from the installed
// azure-native declarations, and catching ConfigErrors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { AZURE_ROLES, type AzureRole } from "../../components/azure";
import { ConfigError } from "../../components/core";
import type { RecordedResource } from "../../scripts/plan";
import { MOCK_AZURE } from "../../scripts/plan/mocks";

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

const taggable = new Map<string, boolean>();

/**
 * Whether an azure-native resource type accepts `tags`, read from the installed declaration of its
 * args, so a new child type is checked without anyone updating a list.
 */
export function isTaggable(type: string): boolean {
  const known = taggable.get(type);
  if (known !== undefined) return known;
  const match = /^azure-native:([a-z]+):([A-Za-z0-9]+)$/.exec(type);
  let answer = false;
  if (match) {
    const [, module = "", resource = ""] = match;
    const file = join(
      process.cwd(),
      "node_modules",
      "@pulumi",
      "azure-native",
      module,
      `${resource.charAt(0).toLowerCase()}${resource.slice(1)}.d.ts`,
    );
    const text = readFileSync(file, "utf8");
    const start = text.indexOf(`export interface ${resource}Args {`);
    if (start < 0) throw new Error(`no ${resource}Args in ${file}`);
    answer = /\n {4}tags\?:/.test(text.slice(start, text.indexOf("\n}", start)));
  }
  taggable.set(type, answer);
  return answer;
}

/** Asserts the standard tags on every taggable Azure resource among `resources`; returns how many. */
export function expectStandardTags(
  resources: RecordedResource[],
  expected: Record<string, string> = {
    environment: "dev",
    "managed-by": "hybrid-ai-infra",
    "data-classification": "internal",
  },
): number {
  const checked = resources.filter((r) => r.custom && isTaggable(r.type));
  for (const r of checked) {
    expect({ resource: `${r.type} ${r.name}`, tags: r.inputs.tags }).toEqual({
      resource: `${r.type} ${r.name}`,
      tags: expect.objectContaining(expected),
    });
  }
  return checked.length;
}

/** Runs `attempt`, which must throw a ConfigError, and returns it. */
export function configErrorOf(attempt: () => unknown): ConfigError {
  try {
    attempt();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
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
