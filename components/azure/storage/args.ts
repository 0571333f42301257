import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { CommonArgs } from "../../kit";
import { input } from "../../kit";
import type { IssueSink } from "../../validation";
import { groupArgsShape } from "../group";
import { privateDnsZoneId, SUBNET_ID, VNET_ID, WORKSPACE_ID } from "../ids";
import { RBAC_PROPAGATION_SECONDS } from "../rbac-propagation";
import { BLOB_PRIVATE_DNS_ZONE } from "./private-endpoint";

/** Where the storage account's private endpoint lives: an `AzureVnet`, or the ids of an existing VNet. */
export interface AzureStorageNetwork {
  /** VNet resource id; the private DNS zone is linked to it. */
  virtualNetworkId: pulumi.Input<string>;
  /** Subnet for the private endpoint (an `AzureVnet`'s endpoint subnet). */
  endpointSubnetId: pulumi.Input<string>;
  /**
   * A fixed address for the blob endpoint in that subnet (not among Azure's five reserved ones);
   * default one Azure picks, known only after the endpoint exists. Fixed, workloads' egress to the
   * account (its /32) is known at plan time. Azure takes it only when the endpoint is created.
   */
  endpointIp?: string;
}

/** Arguments of `AzureEncryptedStorage`. */
export interface AzureEncryptedStorageArgs extends CommonArgs {
  /** Resource group of the account, its Key Vault and identity (the stack creates it). */
  resourceGroupName: pulumi.Input<string>;
  /** Azure region, e.g. westeurope; default the resource group's. */
  location?: string;
  /** The VNet and subnet of the private endpoint: the only way in, as public network access is off. */
  network: AzureStorageNetwork;
  /** Start of the account name, 3-18 lower-case letters and digits (a random suffix follows). Default the component name without dashes. */
  accountNamePrefix?: string;
  /** Redundancy: "Standard_ZRS" (default, three zones), "Standard_GZRS" (plus a paired region) or "Standard_LRS". */
  sku?: "Standard_ZRS" | "Standard_GZRS" | "Standard_LRS";
  /** Private blob containers to create. Default ["datasets", "models"]. */
  containers?: string[];
  /** Days deleted blobs and containers stay recoverable (soft delete), 1-365. Default 30. */
  softDeleteRetentionDays?: number;
  /** Days a replaced or deleted blob version is kept before lifecycle management deletes it. Default 90. */
  noncurrentVersionExpirationDays?: number;
  /**
   * Retention of old blob versions under given folders (each dataset's backups), on top of the
   * account's: a version under `<container>/<prefix>/` is deleted `days` after it was replaced. None
   * may be longer than `noncurrentVersionExpirationDays` (the shorter rule wins). Azure keeps
   * versions by age only: there is no count of versions to keep.
   */
  retentionByPrefix?: { container: string; prefix: string; days: number }[];
  /** An existing privatelink.blob.core.windows.net zone linked to the VNet; default a new zone and link (a VNet can link only one zone of that name). */
  privateDnsZoneId?: pulumi.Input<string>;
  /** Send blob and Key Vault audit logs to this Log Analytics workspace. */
  logAnalyticsWorkspaceId?: pulumi.Input<string>;
  /** Datasets stored in this account; the placement target in its region hosts them. */
  datasets?: string[];
  /**
   * Seconds the account's first create waits after its identity's key role is assigned, for the
   * assignment to take effect (Key Vault: up to 600). Default 300; 0 when the grant was made beforehand.
   */
  rbacPropagationSeconds?: number;
}

/** The container datasets live in, each under a folder named after it (`<dataset>/...`). */
export const DATASETS_CONTAINER = "datasets";

/** The defaults of `AzureEncryptedStorageArgs`; the account name prefix defaults to the component name's letters and digits. */
export const STORAGE_DEFAULTS = {
  sku: "Standard_ZRS",
  containers: ["datasets", "models"],
  softDeleteRetentionDays: 30,
  noncurrentVersionExpirationDays: 90,
} as const;

const ACCOUNT_PREFIX = /^[a-z0-9]{3,18}$/;
const CONTAINER = z
  .string()
  .regex(
    /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
    "must be 3-63 lower-case letters, digits and single dashes, starting and ending with a letter or digit",
  );

/** The zod schema of `AzureEncryptedStorageArgs`; `storageArgsSchemaFor` adds the component name's check. */
const storageArgsSchema = z
  .strictObject({
    ...groupArgsShape,
    network: z.looseObject({
      virtualNetworkId: input(VNET_ID),
      endpointSubnetId: input(SUBNET_ID),
      endpointIp: z.ipv4("is not an IPv4 address").optional(),
    }),
    accountNamePrefix: z
      .string()
      .regex(ACCOUNT_PREFIX, "must be 3-18 lower-case letters and digits (a random suffix follows)")
      .optional(),
    sku: z.enum(["Standard_ZRS", "Standard_GZRS", "Standard_LRS"]).optional(),
    containers: z.array(CONTAINER).optional(),
    softDeleteRetentionDays: z.number().int().min(1).max(365).optional(),
    noncurrentVersionExpirationDays: z.number().int().min(1).max(36500).optional(),
    retentionByPrefix: z
      .array(
        z.strictObject({
          container: CONTAINER,
          prefix: z.string().regex(/^[A-Za-z0-9._-]+$/, "is not a folder name of letters, digits, . _ and -"),
          days: z.number().int().min(1).max(36500),
        }),
      )
      .optional(),
    privateDnsZoneId: input(privateDnsZoneId(BLOB_PRIVATE_DNS_ZONE)).optional(),
    logAnalyticsWorkspaceId: input(WORKSPACE_ID).optional(),
    datasets: z.array(z.string().min(1)).optional(),
    rbacPropagationSeconds: RBAC_PROPAGATION_SECONDS.optional(),
  })
  .superRefine((args, ctx) => checkStorageArgs(args, ctx, []));

/**
 * Containers named once, and the datasets container present when datasets are given: workload
 * identities read a dataset in its folder of that container, nowhere else. The component and the
 * stack config (under its own path) run it alike.
 */
export function checkStorageArgs(
  args: {
    containers?: readonly string[] | undefined;
    datasets?: readonly string[] | undefined;
    noncurrentVersionExpirationDays?: number | undefined;
    retentionByPrefix?: readonly { container: string; days: number }[] | undefined;
  },
  ctx: IssueSink,
  at: (string | number)[],
): void {
  const accountDays =
    args.noncurrentVersionExpirationDays ?? STORAGE_DEFAULTS.noncurrentVersionExpirationDays;
  const all: readonly string[] = args.containers ?? STORAGE_DEFAULTS.containers;
  (args.retentionByPrefix ?? []).forEach((r, i) => {
    if (r.days > accountDays)
      ctx.addIssue({
        code: "custom",
        path: [...at, "retentionByPrefix", i, "days"],
        message: `is ${r.days}, longer than the account's ${accountDays} (noncurrentVersionExpirationDays), which would delete the versions first; raise that`,
      });
    if (!all.includes(r.container))
      ctx.addIssue({
        code: "custom",
        path: [...at, "retentionByPrefix", i, "container"],
        message: `"${r.container}" is not one of the account's containers (${all.join(", ")})`,
      });
  });
  const seen = new Map<string, number>();
  (args.containers ?? []).forEach((c, i) => {
    const first = seen.get(c);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: [...at, "containers", i],
        message: `"${c}" repeats containers[${first}]`,
      });
    } else {
      seen.set(c, i);
    }
  });
  const containers = args.containers ?? STORAGE_DEFAULTS.containers;
  if ((args.datasets ?? []).length > 0 && !containers.includes(DATASETS_CONTAINER)) {
    ctx.addIssue({
      code: "custom",
      path: [...at, "containers"],
      message: `has no "${DATASETS_CONTAINER}" container, where the datasets given live (each under <dataset>/); add it`,
    });
  }
}

/** Whether a component name makes an account name prefix (its letters and digits, 3-18 of them). */
export function makesAccountPrefix(name: string): boolean {
  return ACCOUNT_PREFIX.test(defaultPrefix(name));
}

/** The schema for a component named `name`: its name must make an account name prefix when none is given. */
export function storageArgsSchemaFor(name: string) {
  return storageArgsSchema.superRefine((a, ctx) => {
    // The prefix defaults to the component name; Azure would reject a bad one only at deploy time.
    if (a.accountNamePrefix === undefined && !makesAccountPrefix(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["accountNamePrefix"],
        message: `is not given, and the component name ${JSON.stringify(name)} makes no account name prefix (3-18 lower-case letters and digits once dashes are dropped); set accountNamePrefix`,
      });
    }
  });
}

/** `AzureEncryptedStorageArgs` once parsed. */
export type ParsedStorageArgs = z.output<typeof storageArgsSchema>;

/** The account name prefix a component name gives: its letters and digits. */
export function defaultPrefix(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}
