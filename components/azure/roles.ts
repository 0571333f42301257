import * as pulumi from "@pulumi/pulumi";

/**
 * The built-in Azure roles the components grant, by name. Built-in role definition ids are the same
 * GUIDs in every tenant (Azure built-in roles reference), so they are facts, not lookups.
 */
export const AZURE_ROLES = {
  /** Encrypt, decrypt, wrap and unwrap with keys: what the AKS KMS plugin does with the etcd key. */
  "Key Vault Crypto User": "12338af0-0e69-4776-bea7-57ae8d297424",
  /** Read a key and wrap/unwrap with it: what Azure Storage needs for a customer-managed key. */
  "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
  /** Manage the vault resource (not its data): AKS needs it to add a private endpoint for a private KMS vault. */
  "Key Vault Contributor": "f25e0fa2-a7c8-4377-a976-54943a77a395",
  /** Join subnets and manage network resources: the AKS control plane on its node subnets. */
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Assign a user-assigned identity: the AKS control plane on the kubelet identity. */
  "Managed Identity Operator": "f1a07417-d97a-45cb-824c-7a7467783830",
  /** Manage records in a private DNS zone: the AKS control plane on a given API server zone. */
  "Private DNS Zone Contributor": "b12aa53e-6015-4669-85d0-8515ebb3ae7f",
  /** Read and list blobs: a workload reading its datasets (narrowed further by a condition). */
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  /** Read and write blobs: flow-log delivery into its storage account. */
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** Read monitoring data and settings: the VPN tunnel exporter on the gateway's metrics. */
  "Monitoring Reader": "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
  /** Kubernetes cluster-admin through Azure RBAC. */
  "Azure Kubernetes Service RBAC Cluster Admin": "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  /** Kubernetes admin (within a namespace when scoped to one) through Azure RBAC. */
  "Azure Kubernetes Service RBAC Admin": "3498e952-d568-435e-9b2c-8d77e338d7f7",
  /** Kubernetes edit through Azure RBAC. */
  "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
  /** Kubernetes view through Azure RBAC. */
  "Azure Kubernetes Service RBAC Reader": "7f6c6a51-bcf8-42ba-9220-52d62157d7db",
} as const;

export type AzureRole = keyof typeof AZURE_ROLES;

/** The full role definition id ARM expects in a role assignment. */
export function roleDefinitionId(
  subscriptionId: pulumi.Input<string>,
  role: AzureRole,
): pulumi.Output<string> {
  return pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES[role]}`;
}
