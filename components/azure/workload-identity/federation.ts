// What a workload's and a data copy's Entra identities share: the federated credential that trusts
// one ServiceAccount's token, and the storage ids and containers their role assignments name.
import { FederatedIdentityCredential, type UserAssignedIdentity } from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { childName, input } from "../../kit";
import { dnsLabelSchema } from "../../validation";
import { type GroupAndRegion, groupArgsShape } from "../group";
import { createIdentity } from "../managed-identity";

/** The audience Entra ID accepts in a federated service-account token. */
export const ENTRA_TOKEN_AUDIENCE = "api://AzureADTokenExchange";

/** A storage account's resource id, the scope role assignments on its containers start from. */
export const storageAccountIdSchema = z
  .string()
  .regex(
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/[^/]+$/i,
    "is not a storage account resource id (/subscriptions/.../providers/Microsoft.Storage/storageAccounts/<account>)",
  );

/** A blob container's name: 3-63 lower-case letters, digits and single hyphens. */
export const blobContainerNameSchema = z
  .string()
  .regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, "is not a container name");

/** The scope of a role assignment on one container. */
export function containerScope(
  storageAccountId: pulumi.Input<string>,
  container: string,
): pulumi.Output<string> {
  return pulumi.interpolate`${storageAccountId}/blobServices/default/containers/${container}`;
}

/**
 * The args a federated identity shares: its resource group and region, the issuer of the tokens it
 * trusts, and the one namespace and ServiceAccount whose token that is.
 */
export const federatedIdentityArgsShape = {
  ...groupArgsShape,
  oidcIssuerUrl: input(z.string().min(1)),
  namespace: dnsLabelSchema,
  serviceAccount: dnsLabelSchema,
};

/**
 * A user-assigned identity (`name`) that trusts exactly one ServiceAccount's token from one
 * issuer, for Entra's token-exchange audience (its federated credential, `<name>-sa`).
 */
export function createFederatedIdentity(
  name: string,
  parent: pulumi.Resource,
  args: GroupAndRegion & { oidcIssuerUrl: pulumi.Input<string>; namespace: string; serviceAccount: string },
  tags: Record<string, string>,
): UserAssignedIdentity {
  const identity = createIdentity(name, parent, args, tags);
  new FederatedIdentityCredential(
    childName(name, "sa"),
    {
      resourceGroupName: args.resourceGroupName,
      resourceName: identity.name,
      issuer: args.oidcIssuerUrl,
      subject: `system:serviceaccount:${args.namespace}:${args.serviceAccount}`,
      audiences: [ENTRA_TOKEN_AUDIENCE],
    },
    { parent },
  );
  return identity;
}
