import { createHash } from "node:crypto";
import type { RoleAssignment } from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../../kit";
import type { AzureContext } from "../context";
import { assignRole } from "../role-assignment";
import type { AzureRole } from "../roles";
import type { AzureClusterRbacAssignment, RbacRoleName } from "./args";

/** The built-in Azure role behind each short role name of `rbacAssignments`. */
export const RBAC_ROLES: Record<RbacRoleName, AzureRole> = {
  ClusterAdmin: "Azure Kubernetes Service RBAC Cluster Admin",
  Admin: "Azure Kubernetes Service RBAC Admin",
  Writer: "Azure Kubernetes Service RBAC Writer",
  Reader: "Azure Kubernetes Service RBAC Reader",
};

/**
 * Kubernetes access beyond the admin groups, through Azure RBAC on the cluster or one of its
 * namespaces.
 */
export function grantKubernetesAccess(
  name: string,
  parent: pulumi.Resource,
  ctx: AzureContext,
  grants: {
    clusterId: pulumi.Output<string>;
    clusterName: string;
    assignments: readonly AzureClusterRbacAssignment[];
  },
): RoleAssignment[] {
  const { clusterId, clusterName } = grants;
  return grants.assignments.map((r) =>
    assignRole(childName(name, "rbac", rbacSlug(r)), parent, ctx, {
      role: RBAC_ROLES[r.role],
      principalId: r.principalId,
      principalType: r.principalType,
      scope: r.namespace ? pulumi.interpolate`${clusterId}/namespaces/${r.namespace}` : clusterId,
      description: `Kubernetes ${r.role}${r.namespace ? ` in ${r.namespace}` : ""} on ${clusterName}`,
    }),
  );
}

/**
 * A stable child-name suffix for an RBAC grant: its role and a short hash of principal, role and
 * namespace, so reordering or adding grants never renames (and so replaces) one.
 */
function rbacSlug(r: AzureClusterRbacAssignment): string {
  const hash = createHash("sha256")
    .update(`${r.principalId.toLowerCase()}/${r.role}/${r.namespace ?? ""}`)
    .digest("hex")
    .slice(0, 8);
  return `${r.role.toLowerCase()}-${hash}`;
}
