// Azure RBAC: no privileged role (Owner, Contributor, User Access Administrator, RBAC
// Administrator) granted at a scope broader than the resource it is for, no assignment at a
// management group or the tenant root, and no custom role that is an Owner in disguise.
import { family, get, list, resourceRule, show, strings } from "../kit";

const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const ROLE_DEFINITION = "azure-native:authorization:RoleDefinition";

/** Built-in roles that administer everything in their scope (Azure built-in role ids). */
const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

/** How broad an ARM scope is. */
export function scopeBreadth(
  scope: string,
): "root" | "management group" | "subscription" | "resource group" | "resource" {
  const s = scope.toLowerCase().replace(/\/+$/, "");
  if (s === "" || s === "/") return "root";
  if (/^\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) return "management group";
  if (/^\/subscriptions\/[^/]+$/.test(s)) return "subscription";
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return "resource group";
  return "resource";
}

const roleId = (definition: unknown) =>
  typeof definition === "string" ? (definition.split("/").pop() ?? "").toLowerCase() : "";

export const azureRoleAssignmentNotBroad = resourceRule({
  name: "azure-role-assignment-not-broad",
  description:
    "No role assignment grants a privileged built-in role (Owner, Contributor, User Access Administrator, RBAC Administrator) at a resource group, subscription, management group or the tenant root, and no role of any kind is assigned at a management group or the root: identities get their role on the resource they use.",
  remediation:
    "Assign the narrowest built-in data or service role on the one resource (the library's components do).",
  benchmarks: ["mcsb:PA-1", "mcsb:PA-7"],
  enforcementLevel: "mandatory",
  types: [ROLE_ASSIGNMENT],
  check: (ctx) => {
    const { scope, roleDefinitionId } = ctx.props;
    if (!ctx.known([scope, roleDefinitionId], "scope, roleDefinitionId") || typeof scope !== "string") return;
    const breadth = scopeBreadth(scope);
    const role = PRIVILEGED_ROLES[roleId(roleDefinitionId)];
    if (role && breadth !== "resource")
      ctx.report(
        `grants ${role} at ${breadth} scope ${scope}; assign a narrower role on the resource the identity uses`,
      );
    else if (breadth === "root" || breadth === "management group")
      ctx.report(
        `assigns ${show(roleDefinitionId)} at ${breadth} scope ${scope}, across every subscription beneath it; assign it where it is needed`,
      );
  },
});

export const azureCustomRoleNotOwner = resourceRule({
  name: "azure-custom-role-not-owner",
  description:
    'No custom role definition grants every action ("*") at a subscription, management group or root scope: that is an Owner role outside the built-in one\'s reviews.',
  remediation: "List the actions the role needs, or use a built-in role.",
  benchmarks: ["checkov:CKV_AZURE_39", "mcsb:PA-7"],
  enforcementLevel: "mandatory",
  types: [ROLE_DEFINITION],
  check: (ctx) => {
    const { permissions, assignableScopes } = ctx.props;
    if (!ctx.known([permissions, assignableScopes], "permissions, assignableScopes")) return;
    const everything = list(permissions).some((p) => strings(get(p, "actions")).includes("*"));
    const broad = strings(assignableScopes).filter(
      (s) => scopeBreadth(s) !== "resource" && scopeBreadth(s) !== "resource group",
    );
    if (everything && broad.length > 0)
      ctx.report(
        `grants actions "*" and is assignable at ${broad.join(", ")}; list the actions the role needs`,
      );
  },
});

export const FAMILY = family("azure-identity", "Azure role assignments", [
  azureRoleAssignmentNotBroad,
  azureCustomRoleNotOwner,
]);
