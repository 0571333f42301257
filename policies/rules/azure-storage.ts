// Azure storage accounts as the security model wants them: TLS 1.2+ and HTTPS only, Entra ID only
// (no shared keys, no local SFTP users), no anonymous blobs or public containers, private network
// access with a private endpoint, doubly encrypted under a customer key, blob versioning and soft
// delete. Log-sink accounts that Network Watcher writes flow logs to may keep a public endpoint
// behind a Deny-by-default firewall and Microsoft-managed keys; that exemption is claimed with a
// tag but granted only when a flow log in the stack actually writes to the account.
import {
  checkSettings,
  family,
  get,
  isAbsent,
  isFalse,
  isTrue,
  list,
  numberOf,
  oneOf,
  type Props,
  refersTo,
  resourceRule,
  type Setting,
  type StackResource,
  show,
  stackRule,
  stringMap,
  strings,
} from "../kit";

export const STORAGE_ACCOUNT = "azure-native:storage:StorageAccount";
const BLOB_SERVICE = "azure-native:storage:BlobServiceProperties";
const BLOB_CONTAINER = "azure-native:storage:BlobContainer";
const PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint";
const FLOW_LOG = "azure-native:network:FlowLog";

/**
 * The tag an account uses to claim it is a log sink (flow logs), not a data account. A claim only:
 * `azure-storage-log-sink-claim` checks that a flow log writes to it.
 */
export const LOG_SINK_SCHEMA = {
  type: "object",
  properties: {
    logSinkTags: {
      type: "object",
      additionalProperties: { type: "array", items: { type: "string" } },
      default: { purpose: ["flow-logs"] },
      description:
        "Tag name -> values by which an account claims to be a flow-log sink; the claim holds only when a network FlowLog in the stack writes to the account.",
    },
  },
} as const;

/** Whether the account claims, by tag, to be a log sink. */
export function claimsLogSink(props: Props, config: Record<string, unknown>): boolean {
  const tags = stringMap(props.tags);
  return Object.entries((config.logSinkTags ?? {}) as Record<string, unknown>).some(([tag, values]) => {
    const value = tags[tag];
    return value !== undefined && strings(values).includes(value);
  });
}

const SECURE_TRANSPORT: readonly Setting[] = [
  {
    path: "minimumTlsVersion",
    holds: (v) => oneOf(v, "TLS1_2", "TLS1_3"),
    providerDefault: "Azure default TLS1_0",
    risk: "clients may connect with TLS 1.0 or 1.1",
    fix: 'set it to "TLS1_2"',
  },
  {
    // Documented default: true since API version 2019-04-01, which every azure-native v3 version postdates.
    path: "enableHttpsTrafficOnly",
    holds: (v) => !isFalse(v),
    providerDefault: "Azure default true",
    risk: "the account accepts plain HTTP",
    fix: "set it to true (or leave it unset)",
  },
];

export const azureStorageSecureTransport = resourceRule({
  name: "azure-storage-secure-transport",
  description: "Storage accounts accept HTTPS only, with TLS 1.2 or later.",
  remediation: 'Set minimumTlsVersion "TLS1_2" and leave enableHttpsTrafficOnly true.',
  benchmarks: [
    "checkov:CKV_AZURE_44",
    "checkov:CKV_AZURE_3",
    "kics:12944ec4-1fa0-47be-8b17-42a034f937c2",
    "mcsb:DP-3",
  ],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: (ctx) => checkSettings(ctx, ctx.props, SECURE_TRANSPORT),
});

export const azureStorageNoPublicBlobs = resourceRule({
  name: "azure-storage-no-public-blobs",
  description: "Storage accounts forbid anonymous (public) access to blobs and containers.",
  remediation: "Set allowBlobPublicAccess false.",
  benchmarks: ["checkov:CKV_AZURE_190", "checkov:CKV2_AZURE_47"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        // Documented default: false ("The default interpretation is false for this property").
        path: "allowBlobPublicAccess",
        holds: (v) => !isTrue(v),
        providerDefault: "Azure default false",
        risk: "containers can be opened to anonymous reads",
        fix: "set it to false",
      },
    ]),
});

export const azureStorageNoSharedKey = resourceRule({
  name: "azure-storage-no-shared-key",
  description:
    "Storage accounts authorize requests with Entra ID only: no account keys, no account or service SAS, no local (SFTP) users.",
  remediation:
    "Set allowSharedKeyAccess false, isLocalUserEnabled false (and defaultToOAuthAuthentication true); grant data roles to identities.",
  benchmarks: ["checkov:CKV2_AZURE_40", "checkov:CKV_AZURE_244", "mcsb:IM-1"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "allowSharedKeyAccess",
        holds: isFalse,
        providerDefault: "null, which Azure treats as true",
        risk: "account keys and account SAS tokens bypass Entra ID",
        fix: "set it to false",
      },
      {
        path: "isLocalUserEnabled",
        holds: isFalse,
        providerDefault: "Azure default true",
        risk: "local SFTP users with keys or passwords bypass Entra ID",
        fix: "set it to false",
      },
    ]),
});

export const azureStorageNoCrossTenantReplication = resourceRule({
  name: "azure-storage-no-cross-tenant-replication",
  description:
    "Storage accounts refuse object replication to accounts in other Entra tenants (allowCrossTenantReplication not true).",
  remediation: "Set allowCrossTenantReplication false (the default for accounts created since late 2023).",
  benchmarks: ["mcsb:DP-2"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: (ctx) => {
    const value = ctx.props.allowCrossTenantReplication;
    if (ctx.known(value, "allowCrossTenantReplication") && isTrue(value))
      ctx.report(
        "allowCrossTenantReplication is true, so a replication policy can copy the data to another tenant; set it to false",
      );
  },
});

export const azureStoragePrivateNetwork = resourceRule({
  name: "azure-storage-private-network",
  description:
    "Storage accounts holding data have public network access disabled (private endpoints only). An account that claims to be a flow-log sink (see azure-storage-log-sink-claim) at least denies by default at the firewall and lets trusted Azure services through.",
  remediation:
    'Set publicNetworkAccess "Disabled" and reach the account through a private endpoint; for a flow-log account, set networkRuleSet { defaultAction: "Deny", bypass: "AzureServices" }.',
  benchmarks: [
    "checkov:CKV_AZURE_59",
    "checkov:CKV_AZURE_35",
    "checkov:CKV_AZURE_36",
    "kics:17f75827-0684-48f4-8747-61129c7e4198",
    "kics:9be09caf-2ba4-4fa9-9787-a670dc32c639",
    "kics:5400f379-a347-4bdd-a032-446465fdcc6f",
    "mcsb:NS-2",
  ],
  enforcementLevel: "mandatory",
  configSchema: LOG_SINK_SCHEMA,
  types: [STORAGE_ACCOUNT],
  check: (ctx) => {
    const access = ctx.props.publicNetworkAccess;
    if (!ctx.known(access, "publicNetworkAccess") || oneOf(access, "Disabled")) return;
    if (isAbsent(access) && !ctx.judgesAbsent) return;
    if (!claimsLogSink(ctx.props, ctx.config)) {
      ctx.report(
        `publicNetworkAccess is ${show(access, "Azure default Enabled")}, so the account's public endpoint is reachable; set it to "Disabled" and use a private endpoint`,
      );
      return;
    }
    checkSettings(ctx, ctx.props, [
      {
        path: "networkRuleSet.defaultAction",
        holds: (v) => oneOf(v, "Deny"),
        providerDefault: "Azure default Allow",
        risk: "any network can reach a log-sink account with public network access",
        fix: 'set it to "Deny"',
      },
      {
        path: "networkRuleSet.bypass",
        holds: (v) =>
          isAbsent(v) || (typeof v === "string" && v.split(",").some((b) => oneOf(b, "AzureServices"))),
        providerDefault: "Azure default AzureServices",
        risk: "Network Watcher, a trusted service, cannot write the flow logs through the firewall",
        fix: 'set it to "AzureServices"',
      },
    ]);
  },
});

export const azureStorageInfrastructureEncryption = resourceRule({
  name: "azure-storage-infrastructure-encryption",
  description: "Storage accounts encrypt data twice: at the service and again at the infrastructure layer.",
  remediation:
    "Set encryption.requireInfrastructureEncryption true when creating the account (it cannot be turned on later).",
  benchmarks: ["mcsb:DP-4"],
  enforcementLevel: "mandatory",
  types: [STORAGE_ACCOUNT],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "encryption.requireInfrastructureEncryption",
        holds: isTrue,
        providerDefault: "Azure default false",
        risk: "data is encrypted once, not also at the infrastructure layer",
        fix: "set it to true (only possible when the account is created)",
      },
    ]),
});

export const azureStorageCustomerManagedKey = resourceRule({
  name: "azure-storage-customer-managed-key",
  description:
    "Storage accounts holding data encrypt it with a customer-managed Key Vault key; an account that claims to be a flow-log sink (verified by azure-storage-log-sink-claim) may keep Microsoft-managed keys.",
  remediation:
    'Set encryption.keySource "Microsoft.Keyvault", encryption.keyVaultProperties { keyName, keyVaultUri } and encryption.encryptionIdentity (AzureEncryptedStorage does).',
  benchmarks: ["checkov:CKV2_AZURE_1", "mcsb:DP-5"],
  enforcementLevel: "mandatory",
  configSchema: LOG_SINK_SCHEMA,
  types: [STORAGE_ACCOUNT],
  check: (ctx) => {
    if (claimsLogSink(ctx.props, ctx.config)) return;
    checkSettings(ctx, ctx.props, [
      {
        path: "encryption.keySource",
        holds: (v) => oneOf(v, "Microsoft.Keyvault"),
        providerDefault: "Azure default Microsoft.Storage",
        risk: "the data is encrypted with a Microsoft-managed key the owner cannot rotate or revoke",
        fix: 'set it to "Microsoft.Keyvault" with encryption.keyVaultProperties and an identity that may use the key',
      },
    ]);
  },
});

export const azureStorageContainerPrivate = resourceRule({
  name: "azure-storage-container-private",
  description: "Blob containers allow no anonymous access (publicAccess None or unset).",
  remediation: 'Set publicAccess "None" (or leave it unset) and grant readers a data role.',
  benchmarks: ["checkov:CKV_AZURE_34", "kics:dd5230f8-a577-4bbb-b7ac-f2c2fe7d5299"],
  enforcementLevel: "mandatory",
  types: [BLOB_CONTAINER],
  check: (ctx) => {
    const access = ctx.props.publicAccess;
    if (ctx.known(access, "publicAccess") && !isAbsent(access) && !oneOf(access, "None"))
      ctx.report(
        `publicAccess is ${show(access)}, so anyone can read the container's blobs; set it to "None"`,
      );
  },
});

// ---------------------------------------------------------------- across resources

/** An account's names: its accountName, else its Pulumi name. */
const accountIds = (a: StackResource) => [a.props.accountName, a.name];

/** The flow logs in the stack that write to `account`. */
function flowLogsInto(
  ctx: { ofType: (...t: string[]) => StackResource[] },
  account: StackResource,
): StackResource[] {
  return ctx.ofType(FLOW_LOG).filter((f) => refersTo(f, "storageId", account, accountIds));
}

export const azureStorageLogSinkClaim = stackRule({
  name: "azure-storage-log-sink-claim",
  description:
    "An account that claims, by tag, to be a flow-log sink (and so keeps a public endpoint and Microsoft-managed keys) is one: a network FlowLog in the stack writes to it. The account's own tag cannot grant the exemption; a data account that adds the tag is judged as the data account it is.",
  remediation:
    "Remove the log-sink tag from data accounts (then disable public network access and use a customer-managed key), or point the flow log at the account.",
  benchmarks: ["hybrid-ai-infra:unclaimable-exemptions", "mcsb:NS-2", "mcsb:DP-5"],
  enforcementLevel: "mandatory",
  configSchema: LOG_SINK_SCHEMA,
  check: (ctx) => {
    for (const account of ctx.ofType(STORAGE_ACCOUNT)) {
      if (!claimsLogSink(account.props, ctx.config)) continue;
      if (flowLogsInto(ctx, account).length > 0) continue;
      const exempted = [
        oneOf(account.props.publicNetworkAccess, "Disabled")
          ? undefined
          : `publicNetworkAccess ${show(account.props.publicNetworkAccess, "Enabled")}`,
        oneOf(get(account.props, "encryption.keySource"), "Microsoft.Keyvault")
          ? undefined
          : "Microsoft-managed keys",
      ].filter((x): x is string => x !== undefined);
      if (exempted.length > 0)
        ctx.report(
          `storage account ${account.name} claims to be a flow-log sink (tag) but no flow log in the stack writes to it, so it is a data account with ${exempted.join(" and ")}; disable public network access and use a customer-managed key, or drop the tag`,
          account.urn,
        );
    }
  },
});

/** Whether a soft-delete policy is on for at least `min` days. */
function retains(policy: unknown, min: number): boolean {
  return isTrue(get(policy, "enabled")) && (numberOf(get(policy, "days")) ?? 0) >= min;
}

export const azureStorageBlobProtection = stackRule({
  name: "azure-storage-blob-protection",
  description:
    "Every storage account holding data keeps what is overwritten or deleted: its BlobServiceProperties turn on versioning, blob soft delete and container soft delete for at least minRetentionDays (default 7). A verified flow-log sink is exempt: Network Watcher appends to it and its flow log's retention policy deletes old records on purpose.",
  remediation:
    "Declare storage.BlobServiceProperties with isVersioningEnabled true, deleteRetentionPolicy and containerDeleteRetentionPolicy { enabled: true, days: 30 } (AzureEncryptedStorage does).",
  benchmarks: ["checkov:CKV2_AZURE_38", "mcsb:DP-7", "mcsb:BR-1"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      ...LOG_SINK_SCHEMA.properties,
      minRetentionDays: {
        type: "integer",
        minimum: 1,
        maximum: 365,
        default: 7,
        description: "Shortest soft-delete retention, in days.",
      },
    },
  },
  check: (ctx) => {
    const min = numberOf(ctx.config.minRetentionDays) ?? 7;
    const services = ctx.ofType(BLOB_SERVICE);
    for (const account of ctx.ofType(STORAGE_ACCOUNT)) {
      if (claimsLogSink(account.props, ctx.config) && flowLogsInto(ctx, account).length > 0) continue;
      const mine = services.filter((s) => refersTo(s, "accountName", account, accountIds));
      if (
        !ctx.known(
          mine.map((s) => s.props),
          `${account.name} BlobServiceProperties`,
        )
      )
        continue;
      if (mine.length === 0) {
        ctx.report(
          `storage account ${account.name} has no BlobServiceProperties, so blobs are neither versioned nor soft-deleted`,
          account.urn,
        );
        continue;
      }
      const missing = [
        mine.some((s) => isTrue(s.props.isVersioningEnabled)) ? undefined : "isVersioningEnabled",
        mine.some((s) => retains(s.props.deleteRetentionPolicy, min))
          ? undefined
          : `deleteRetentionPolicy (${min}+ days)`,
        mine.some((s) => retains(s.props.containerDeleteRetentionPolicy, min))
          ? undefined
          : `containerDeleteRetentionPolicy (${min}+ days)`,
      ].filter((x): x is string => x !== undefined);
      if (missing.length > 0)
        ctx.report(
          `storage account ${account.name}'s BlobServiceProperties lack ${missing.join(", ")}`,
          account.urn,
        );
    }
  },
});

export const azureStoragePrivateEndpoint = stackRule({
  name: "azure-storage-private-endpoint",
  description:
    "Every storage account with public network access disabled has a private endpoint in the stack linking it (privateLinkServiceConnections[].privateLinkServiceId), so the data is reachable from the VNet and nowhere else.",
  remediation:
    "Declare network.PrivateEndpoint with a privateLinkServiceConnection to the account's blob group (AzureEncryptedStorage does).",
  benchmarks: ["checkov:CKV2_AZURE_33", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const endpoints = ctx.ofType(PRIVATE_ENDPOINT);
    for (const account of ctx.ofType(STORAGE_ACCOUNT)) {
      if (!oneOf(account.props.publicNetworkAccess, "Disabled")) continue;
      const linked = endpoints.some((e) =>
        list(e.props.privateLinkServiceConnections).some((_, i) =>
          refersTo(e, `privateLinkServiceConnections.${i}.privateLinkServiceId`, account, accountIds),
        ),
      );
      if (!linked)
        ctx.report(
          `storage account ${account.name} disables public access but no private endpoint in the stack links it`,
          account.urn,
        );
    }
  },
});

const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";
/** Blob log categories: what an audit trail of the data needs. */
const BLOB_LOG_CATEGORIES = ["StorageRead", "StorageWrite", "StorageDelete"];

export const azureStorageAuditLogs = stackRule({
  name: "azure-storage-audit-logs",
  description:
    "Every storage account holding data logs who read, wrote and deleted its blobs: a diagnostic setting on its blob service (…/blobServices/default) with the audit or allLogs category group, or StorageRead, StorageWrite and StorageDelete. A verified flow-log sink is exempt.",
  remediation:
    'Declare monitor.DiagnosticSetting with resourceUri "<account id>/blobServices/default" and logs [{ categoryGroup: "audit", enabled: true }] (AzureEncryptedStorage does).',
  benchmarks: ["checkov:CKV2_AZURE_21", "mcsb:LT-3", "mcsb:LT-4"],
  enforcementLevel: "mandatory",
  configSchema: LOG_SINK_SCHEMA,
  check: (ctx) => {
    const settings = ctx.ofType(DIAGNOSTIC_SETTING).filter((d) => {
      const uri = d.props.resourceUri;
      // A setting on the account itself carries metrics only; blob logs live on the blob service.
      return typeof uri !== "string" || uri.toLowerCase().includes("/blobservices/");
    });
    for (const account of ctx.ofType(STORAGE_ACCOUNT)) {
      if (claimsLogSink(account.props, ctx.config) && flowLogsInto(ctx, account).length > 0) continue;
      const mine = settings.filter((d) =>
        refersTo(d, "resourceUri", account, (a) =>
          accountIds(a).map((id) => (typeof id === "string" ? `${id}/blobServices/default` : id)),
        ),
      );
      const logs = mine.flatMap((d) => list(d.props.logs));
      if (!ctx.known(logs, `${account.name} diagnostic settings`)) continue;
      const on = logs.filter((l) => !isFalse(get(l, "enabled")));
      const grouped = on.some((l) => oneOf(get(l, "categoryGroup"), "audit", "allLogs"));
      const missing = BLOB_LOG_CATEGORIES.filter((c) => !on.some((l) => oneOf(get(l, "category"), c)));
      if (!grouped && missing.length > 0)
        ctx.report(
          `storage account ${account.name} logs no ${missing.join(", ")} for its blobs; add a diagnostic setting on its blob service with the audit category group`,
          account.urn,
        );
    }
  },
});

export const FAMILY = family("azure-storage", "Azure storage", [
  azureStorageAuditLogs,
  azureStorageSecureTransport,
  azureStorageNoPublicBlobs,
  azureStorageNoSharedKey,
  azureStorageNoCrossTenantReplication,
  azureStoragePrivateNetwork,
  azureStorageInfrastructureEncryption,
  azureStorageCustomerManagedKey,
  azureStorageContainerPrivate,
  azureStorageLogSinkClaim,
  azureStorageBlobProtection,
  azureStoragePrivateEndpoint,
]);
