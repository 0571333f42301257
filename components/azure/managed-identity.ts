import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import type * as pulumi from "@pulumi/pulumi";
import { type GroupAndRegion, locatedIn } from "./group";

/**
 * A user-assigned managed identity, parented to `parent`. Made before the resource that uses it,
 * so its role grants are in place when that resource first acts (a system-assigned identity would
 * only exist afterwards).
 */
export function createIdentity(
  name: string,
  parent: pulumi.Resource,
  where: GroupAndRegion,
  tags: Record<string, string>,
): UserAssignedIdentity {
  return new UserAssignedIdentity(
    name,
    { resourceGroupName: where.resourceGroupName, ...locatedIn(where.location), tags },
    { parent },
  );
}
