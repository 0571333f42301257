import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type CommonArgs, childName, input, resolveCommon } from "../../kit";
import { componentSubject, parseOrThrow } from "../../validation";
import { type AzureContext, azureContext } from "../context";
import { assignRole } from "../role-assignment";
import {
  blobContainerNameSchema,
  containerScope,
  createFederatedIdentity,
  datasetReadCondition,
  federatedIdentityArgsShape,
  storageAccountIdSchema,
} from "../workload-identity";
import { blobWriteCondition } from "./condition";

/** A container of a storage account and the folders a copy reads or writes there. */
export interface CopyContainerGrant {
  storageAccountId: pulumi.Input<string>;
  container: string;
  /** Folders (dataset names). */
  prefixes: string[];
  /** Exact blobs besides (a backup's manifest, which it writes and its drill reads). */
  blobs?: string[];
}

/** Arguments of `AzureDataCopyIdentity`. */
export interface AzureDataCopyIdentityArgs extends CommonArgs {
  /** Resource group of the identity. */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region; default the resource group's. */
  location?: string;
  /** The issuer of the copy's service-account tokens: AKS's own, EKS's OIDC issuer, or an on-premises cluster's. */
  oidcIssuerUrl: pulumi.Input<string>;
  /** The copy's namespace and ServiceAccount: the only subject the identity trusts. */
  namespace: string;
  serviceAccount: string;
  /** What it reads (Storage Blob Data Reader, narrowed to the folders). */
  reads?: CopyContainerGrant[];
  /** What it writes (Storage Blob Data Contributor, narrowed to the folders, no delete unless `deletes`). */
  writes?: CopyContainerGrant[];
  /** Whether it may delete under the written folders (a staged copy mirrors its source). Default false. */
  deletes?: boolean;
}

const grant = z.strictObject({
  storageAccountId: input(storageAccountIdSchema),
  container: blobContainerNameSchema,
  prefixes: z
    .array(z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a folder of letters, digits, . _ and -"))
    .min(1),
  blobs: z.array(z.string().regex(/^[A-Za-z0-9._/-]+$/, "is not a blob path")).optional(),
});

/** What a copy's principal may read and write, whichever kind of principal it is (its args' grant fields). */
export const copyGrantsShape = {
  reads: z.array(grant).optional(),
  writes: z.array(grant).optional(),
  deletes: z.boolean().optional(),
};

/** A copy that grants nothing is a mistake, not a no-op. */
export const grantsSomething = [
  (a: { reads?: unknown[] | undefined; writes?: unknown[] | undefined }) =>
    (a.reads?.length ?? 0) + (a.writes?.length ?? 0) > 0,
  { message: "grants nothing: a copy reads or writes at least one folder" },
] as const;

const argsSchema = z
  .strictObject({ ...federatedIdentityArgsShape, ...copyGrantsShape })
  .refine(...grantsSomething);

type CopyGrants = Pick<z.output<typeof argsSchema>, "reads" | "writes" | "deletes">;

/**
 * The role assignments of a copy's principal (`<name>-read-<i>`, `<name>-write-<i>`): Storage Blob
 * Data Reader on each container it reads and Storage Blob Data Contributor on each it writes, each
 * narrowed by a condition to the dataset's folders and manifest. Shared by the federated identity
 * and the on-premises site's Entra application, so both are held to the same grant.
 */
export function assignCopyRoles(
  name: string,
  parent: pulumi.Resource,
  ctx: AzureContext,
  principalId: pulumi.Input<string>,
  grants: CopyGrants,
  who: string,
): void {
  const scope = (g: NonNullable<CopyGrants["reads"]>[number]) =>
    containerScope(g.storageAccountId, g.container);
  (grants.reads ?? []).forEach((g, i) => {
    assignRole(childName(name, `read-${i}`), parent, ctx, {
      role: "Storage Blob Data Reader",
      principalId,
      principalType: "ServicePrincipal",
      scope: scope(g),
      condition: datasetReadCondition(g.container, [
        ...g.prefixes.map((prefix) => ({ container: g.container, prefix })),
        // A manifest read by a drill: its folder, listed and read.
        ...(g.blobs ?? []).map((b) => ({ container: g.container, prefix: b.replace(/\/[^/]*$/, "") })),
      ]),
      description: `${who} reads ${[...g.prefixes, ...(g.blobs ?? [])].join(", ")}`,
    });
  });
  (grants.writes ?? []).forEach((g, i) => {
    assignRole(childName(name, `write-${i}`), parent, ctx, {
      role: "Storage Blob Data Contributor",
      principalId,
      principalType: "ServicePrincipal",
      scope: scope(g),
      condition: blobWriteCondition({
        container: g.container,
        prefixes: g.prefixes,
        ...(g.blobs ? { blobs: g.blobs } : {}),
        ...(grants.deletes ? { deletes: true } : {}),
      }),
      description: `${who} writes ${[...g.prefixes, ...(g.blobs ?? [])].join(", ")}`,
    });
  });
}

/**
 * The Azure identity of one data copy: a user-assigned identity that trusts only the copy's
 * ServiceAccount token from the cluster that runs it (AKS's own issuer, or EKS's or an on-premises
 * cluster's, federated), holding Storage Blob Data Reader on the containers it reads and Storage
 * Blob Data Contributor on those it writes, each narrowed by a condition to the dataset's folder.
 */
export class AzureDataCopyIdentity extends pulumi.ComponentResource {
  /** The identity's client id (AZURE_CLIENT_ID; the ServiceAccount's annotation on AKS). */
  public readonly clientId: pulumi.Output<string>;
  /** The identity's principal id. */
  public readonly principalId: pulumi.Output<string>;
  /** The Entra ID tenant (AZURE_TENANT_ID). */
  public readonly tenantId: pulumi.Output<string>;

  constructor(name: string, args: AzureDataCopyIdentityArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const parsed = parseOrThrow(componentSubject("AzureDataCopyIdentity", name), argsSchema, args);
    super("hybrid-ai-infra:index:AzureDataCopyIdentity", name, {}, opts);
    const { tags } = resolveCommon(parsed);
    const identity = createFederatedIdentity(name, this, parsed, tags);
    assignCopyRoles(
      name,
      this,
      azureContext(this),
      identity.principalId,
      parsed,
      `Data copy ${parsed.namespace}/${parsed.serviceAccount}`,
    );
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
    this.tenantId = identity.tenantId;
    this.registerOutputs({ clientId: this.clientId, principalId: this.principalId, tenantId: this.tenantId });
  }
}
