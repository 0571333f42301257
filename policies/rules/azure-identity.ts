// Azure RBAC: no privileged role (Owner, Contributor, User Access Administrator, RBAC
// Administrator) granted at a scope broader than the resource it is for, no assignment at a
// management group or the tenant root, and no custom role that is an Owner in disguise.
import { family, get, list, resourceRule, show, strings } from "../kit";

const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";
const ROLE_DEFINITION = "azure-native:authorization:RoleDefinition";

/**
 * Built-in roles that administer everything in their scope, or every secret, key, blob or cluster in
 * it (Azure built-in role ids, the same in every tenant).
 */
const PRIVILEGED_ROLES: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
  // Data-plane administration: every secret, key or blob, or cluster-admin, in everything the scope holds.
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
  "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
  "14b46e9e-c2b7-41b4-b07b-48a6ebf60603": "Key Vault Crypto Officer",
  "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "17d1049b-9a84-46fb-8f53-869881c3d3ab": "Storage Account Contributor",
  "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "Azure Kubernetes Service RBAC Cluster Admin",
  "0ab0b1a8-8aac-4efd-b8c2-3ee1fb270be8": "Azure Kubernetes Service Cluster Admin Role",
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
    "No role assignment grants a privileged built-in role (Owner, Contributor, User Access Administrator, RBAC Administrator, or data-plane administration: Key Vault Administrator, Secrets Officer, Secrets User and Crypto Officer, Storage Blob Data Owner and Contributor, Storage Account Contributor, AKS cluster admin) at a resource group, subscription, management group or the tenant root, and no role of any kind is assigned at a management group or the root: identities get their role on the resource they use.",
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

/** Actions that make a role an Owner: everything, or assigning roles (to itself, Owner included). */
const OWNER_ACTIONS = ["*", "Microsoft.Authorization/roleAssignments/write"];

/** Whether an ARM action pattern (case-insensitive, `*` anywhere) covers `action`; `*` itself only by `*`. */
function armMatches(pattern: string, action: string): boolean {
  if (action === "*") return /^\*+$/.test(pattern.trim());
  const re = new RegExp(
    `^${pattern
      .trim()
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")}$`,
  );
  return re.test(action.toLowerCase());
}

export const azureCustomRoleNotOwner = resourceRule({
  name: "azure-custom-role-not-owner",
  description:
    'No custom role definition assignable at a subscription, management group or root scope grants every action ("*") or the right to assign roles (Microsoft.Authorization/roleAssignments/write, directly or through a wildcard such as Microsoft.Authorization/*), unless its notActions take it back: either is an Owner role outside the built-in one\'s reviews, since a role that can assign roles can assign itself Owner.',
  remediation: "List the actions the role needs, or use a built-in role.",
  benchmarks: ["checkov:CKV_AZURE_39", "mcsb:PA-7"],
  enforcementLevel: "mandatory",
  types: [ROLE_DEFINITION],
  check: (ctx) => {
    const { permissions, assignableScopes } = ctx.props;
    if (!ctx.known([permissions, assignableScopes], "permissions, assignableScopes")) return;
    // The first of OWNER_ACTIONS each permission grants (and its notActions leave), as the message says it.
    const granted = list(permissions).flatMap((p) => {
      const actions = strings(get(p, "actions"));
      const notActions = strings(get(p, "notActions"));
      const a = OWNER_ACTIONS.find(
        (x) => actions.some((y) => armMatches(y, x)) && !notActions.some((y) => armMatches(y, x)),
      );
      if (a === undefined) return [];
      return [
        a === "*" ? 'actions "*"' : `${a} (through ${actions.filter((y) => armMatches(y, a)).join(", ")})`,
      ];
    });
    const broad = strings(assignableScopes).filter(
      (s) => scopeBreadth(s) !== "resource" && scopeBreadth(s) !== "resource group",
    );
    if (granted.length > 0 && broad.length > 0)
      ctx.report(
        `grants ${[...new Set(granted)].join(", ")} and is assignable at ${broad.join(", ")}; list the actions the role needs`,
      );
  },
});

export const FAMILY = family("azure-identity", "Azure role assignments", [
  azureRoleAssignmentNotBroad,
  azureCustomRoleNotOwner,
]);
