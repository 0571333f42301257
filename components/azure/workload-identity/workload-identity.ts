import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, input, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { azureContext } from "../context";
import { assignRole } from "../role-assignment";
import { datasetReadCondition } from "./condition";
import {
  blobContainerNameSchema,
  containerScope,
  createFederatedIdentity,
  federatedIdentityArgsShape,
  storageAccountIdSchema,
} from "./federation";

/** Arguments of `AzureWorkloadIdentity`. */
export interface AzureWorkloadIdentityArgs extends CommonArgs {
  /** Resource group of the identity. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope; default the resource group's. */
  location?: string;
  /** The issuer of the workload's service-account tokens: the AKS cluster's OIDC issuer URL, or another cluster's issuer that Entra ID can read. */
  oidcIssuerUrl: pulumi.Input<string>;
  /** The workload's namespace. */
  namespace: string;
  /** The ServiceAccount its pods run as. */
  serviceAccount: string;
  /** The datasets it reads: the storage account's id, the container, and the dataset's folder. */
  datasets: { storageAccountId: pulumi.Input<string>; container: string; prefix: string }[];
}

const argsSchema = z.strictObject({
  ...federatedIdentityArgsShape,
  datasets: z
    .array(
      z.strictObject({
        storageAccountId: input(storageAccountIdSchema),
        container: blobContainerNameSchema,
        prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a prefix of letters, digits, . _ and -"),
      }),
    )
    .min(1, "grants nothing; a workload without datasets needs no identity"),
});

/**
 * A workload's own Azure identity: a user-assigned identity that trusts only the workload's
 * ServiceAccount token (federated credential: issuer, `system:serviceaccount:<ns>:<sa>`, Entra's
 * token-exchange audience), holding Storage Blob Data Reader on each dataset's container only,
 * narrowed by a condition to the datasets' folders. The identity belongs to the platform phase; the
 * ServiceAccount, annotated with `clientId`, to the cluster phase.
 */
export class AzureWorkloadIdentity extends pulumi.ComponentResource {
  /** The identity's client id, which the ServiceAccount's `azure.workload.identity/client-id` names. */
  public readonly clientId: pulumi.Output<string>;
  /** The identity's principal (object) id, which the role assignments name. */
  public readonly principalId: pulumi.Output<string>;
  /** The Entra ID tenant the identity lives in. */
  public readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: AzureWorkloadIdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureWorkloadIdentity", name), argsSchema, args);
    super("hybrid-ai-infra:index:AzureWorkloadIdentity", name, {}, opts);
    const { tags } = resolveCommon(parsed);
    const identity = createFederatedIdentity(name, this, parsed, tags);
    const ctx = azureContext(this);
    // One assignment per container: Azure refuses a second one of the same role, principal and
    // scope. Accounts compare by identity: one account's id is one Output.
    const containers: { accountId: pulumi.Input<string>; container: string; prefixes: string[] }[] = [];
    for (const d of parsed.datasets) {
      const same = containers.find((c) => c.accountId === d.storageAccountId && c.container === d.container);
      if (same) same.prefixes.push(d.prefix);
      else containers.push({ accountId: d.storageAccountId, container: d.container, prefixes: [d.prefix] });
    }
    containers.forEach((c, i) => {
      assignRole(childName(name, `read-${i}`), this, ctx, {
        role: "Storage Blob Data Reader",
        principalId: identity.principalId,
        principalType: "ServicePrincipal",
        scope: containerScope(c.accountId, c.container),
        condition: datasetReadCondition(
          c.container,
          c.prefixes.map((prefix) => ({ container: c.container, prefix })),
        ),
        description: `Workload ${parsed.namespace}/${parsed.serviceAccount} reads ${c.prefixes.join(", ")}`,
      });
    });
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
    this.tenantId = identity.tenantId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId, tenantId: this.tenantId });
  }
}
