import { RoleAssignment } from "@pulumi/azure-native/authorization";
import type * as pulumi from "@pulumi/pulumi";
import type { AzureContext } from "./context";
import { type AzureRole, roleDefinitionId } from "./roles";

/** One built-in role for one principal on one scope: the unit of least privilege. */
export interface RoleGrant {
  role: AzureRole;
  principalId: pulumi.Input<string>;
  /** The narrowest resource id that works: a key, a subnet, an identity, a cluster. */
  scope: pulumi.Input<string>;
  /**
   * The principal's kind; give "ServicePrincipal" for a managed identity made in the same update:
   * naming the type lets ARM accept a principal before Entra ID has replicated it. Omitted, ARM
   * looks the principal up.
   */
  principalType?: "ServicePrincipal" | "User" | "Group" | undefined;
  /** Why the grant exists, shown in the portal. */
  description: string;
  /** An ABAC condition (syntax version 2.0) narrowing the grant further, e.g. to blob paths. */
  condition?: pulumi.Input<string> | undefined;
}

/** Declares a role assignment for `grant`, parented to `parent`. */
export function assignRole(
  name: string,
  parent: pulumi.Resource,
  ctx: AzureContext,
  grant: RoleGrant,
  dependsOn: pulumi.Resource[] = [],
): RoleAssignment {
  return new RoleAssignment(
    name,
    {
      principalId: grant.principalId,
      ...(grant.principalType ? { principalType: grant.principalType } : {}),
      roleDefinitionId: roleDefinitionId(ctx.subscriptionId, grant.role),
      scope: grant.scope,
      description: grant.description,
      ...(grant.condition ? { condition: grant.condition, conditionVersion: "2.0" } : {}),
    },
    { parent, dependsOn },
  );
}
