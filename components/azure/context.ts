import { getClientConfigOutput } from "@pulumi/azure-native/authorization";
import type * as pulumi from "@pulumi/pulumi";

/** Who and where the deployment runs, read from the azure-native provider a component inherits. */
export interface AzureContext {
  readonly subscriptionId: pulumi.Output<string>;
  /** The Entra ID tenant: Key Vaults and the cluster's Entra integration live in it. */
  readonly tenantId: pulumi.Output<string>;
  /** Object id of the identity running the deployment. */
  readonly objectId: pulumi.Output<string>;
}

export function azureContext(parent: pulumi.Resource): AzureContext {
  const config = getClientConfigOutput({ parent });
  return {
    subscriptionId: config.subscriptionId,
    tenantId: config.tenantId,
    objectId: config.objectId,
  };
}
