// Key vaults and their keys: purge protection and soft delete, Azure RBAC, no internet access,
// audit logs; keys in an HSM, strong enough, rotating on a policy and with an expiry.
import {
  checkSettings,
  family,
  get,
  isAbsent,
  isFalse,
  isInternet,
  isTrue,
  list,
  numberOf,
  oneOf,
  parseBlock,
  refersTo,
  resourceRule,
  show,
  stackRule,
} from "../kit";

const VAULT = "azure-native:keyvault:Vault";
const KEY = "azure-native:keyvault:Key";
const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";

export const azureKeyVaultPurgeProtection = resourceRule({
  name: "azure-keyvault-purge-protection",
  description:
    "Key vaults keep soft delete and purge protection on, so keys that encrypt data cannot be destroyed before the retention period ends.",
  remediation:
    "Set properties.enablePurgeProtection true and leave properties.enableSoftDelete true (softDeleteRetentionInDays 90).",
  benchmarks: ["checkov:CKV_AZURE_110", "checkov:CKV_AZURE_42", "checkov:CKV_AZURE_111", "mcsb:DP-8"],
  enforcementLevel: "mandatory",
  types: [VAULT],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "properties.enablePurgeProtection",
        holds: isTrue,
        providerDefault: "Azure default false",
        risk: "a deleted vault and its keys can be purged before the retention period ends",
        fix: "set it to true",
      },
      {
        path: "properties.enableSoftDelete",
        holds: (v) => !isFalse(v),
        providerDefault: "Azure default true",
        risk: "deleted keys are gone at once",
        fix: "set it to true (or leave it unset)",
      },
    ]),
});

export const azureKeyVaultRbac = resourceRule({
  name: "azure-keyvault-rbac",
  description: "Key vaults authorize data-plane access with Azure RBAC, not vault access policies.",
  remediation:
    "Set properties.enableRbacAuthorization true and grant roles such as Key Vault Crypto Service Encryption User on the key.",
  benchmarks: ["mcsb:PA-7"],
  enforcementLevel: "mandatory",
  types: [VAULT],
  check: (ctx) =>
    checkSettings(ctx, ctx.props, [
      {
        path: "properties.enableRbacAuthorization",
        holds: isTrue,
        providerDefault: "Azure default false",
        risk: "data access is granted by vault access policies outside Azure RBAC",
        fix: "set it to true and grant Key Vault data roles",
      },
    ]),
});

export const azureKeyVaultPrivateNetwork = resourceRule({
  name: "azure-keyvault-private-network",
  description:
    "Key vaults take no traffic from the internet: public network access disabled, or a firewall that denies by default and whose IP rules add up to no more than an admin network (0.0.0.0/0 in any spelling, or the internet as many ranges, voids the Deny).",
  remediation:
    'Set properties.publicNetworkAccess "Disabled" and use a private endpoint or trusted-service access; or at least properties.networkAcls { defaultAction: "Deny", bypass: "AzureServices" } with narrow ipRules.',
  benchmarks: ["checkov:CKV_AZURE_189", "checkov:CKV_AZURE_109", "mcsb:NS-2"],
  enforcementLevel: "mandatory",
  types: [VAULT],
  check: (ctx) => {
    const access = get(ctx.props, "properties.publicNetworkAccess");
    const action = get(ctx.props, "properties.networkAcls.defaultAction");
    if (!ctx.known([access, action], "properties.publicNetworkAccess, networkAcls")) return;
    // Key Vault documents lowercase "disabled"; programs write either case.
    if (oneOf(access, "Disabled")) return;
    if (!ctx.judgesAbsent && isAbsent(access) && isAbsent(action)) return;
    if (!oneOf(action, "Deny")) {
      ctx.report(
        `properties.publicNetworkAccess is ${show(access, "enabled")} and properties.networkAcls.defaultAction is ${show(action, "Allow")}, so the vault is reachable from the internet; set publicNetworkAccess "Disabled" (or defaultAction "Deny")`,
      );
      return;
    }
    const rules = list(get(ctx.props, "properties.networkAcls.ipRules"));
    if (!ctx.known(rules, "properties.networkAcls.ipRules")) return;
    const texts = rules.map((r) => get(r, "value")).filter((v): v is string => typeof v === "string");
    const blocks = texts.flatMap((t) =>
      t === "*" ? (parseBlock("0.0.0.0/0") ?? []) : (parseBlock(t) ?? []),
    );
    const broad = ([4, 6] as const).filter((f) => {
      const mine = blocks.filter((b) => b.family === f);
      return mine.length > 0 && isInternet(mine, f);
    });
    if (broad.length > 0)
      ctx.report(
        `properties.networkAcls.ipRules allows ${texts.join(", ")}, the internet, so the Deny default is void; list only the ranges that need the vault`,
      );
  },
});

export const azureKeyVaultAuditLogs = stackRule({
  name: "azure-keyvault-audit-logs",
  description:
    "Every key vault logs who used which key: a diagnostic setting on the vault with the AuditEvent category (or the audit/allLogs group) enabled.",
  remediation:
    'Declare a monitor.DiagnosticSetting on the vault with logs [{ categoryGroup: "audit", enabled: true }] (the library\'s vaults have one).',
  benchmarks: [
    "kics:38c71c00-c177-4cd7-8d36-cd1007cdb190",
    "kics:bb2d6cbc-b3af-4da7-9b1c-d91652dd9ead",
    "mcsb:LT-3",
  ],
  enforcementLevel: "mandatory",
  check: (ctx) => {
    const settings = ctx.ofType(DIAGNOSTIC_SETTING);
    for (const vault of ctx.ofType(VAULT)) {
      const mine = settings.filter((s) => refersTo(s, "resourceUri", vault, (v) => [v.props.vaultName]));
      const logs = mine.flatMap((s) => list(s.props.logs));
      if (!ctx.known(logs, `${vault.name} diagnostic settings`)) continue;
      const audited = logs.some(
        (l) =>
          !isFalse(get(l, "enabled")) &&
          (oneOf(get(l, "category"), "AuditEvent") || oneOf(get(l, "categoryGroup"), "audit", "allLogs")),
      );
      if (!audited)
        ctx.report(`key vault ${vault.name} has no diagnostic setting sending its AuditEvent log`, vault.urn);
    }
  },
});

/** Key types that live in an HSM. */
const HSM_KEY_TYPES = ["RSA-HSM", "EC-HSM", "oct-HSM"];

export const azureKeyVaultKeyHsm = resourceRule({
  name: "azure-keyvault-key-hsm",
  description:
    "Key Vault keys are HSM-backed (kty RSA-HSM, EC-HSM or oct-HSM, which needs a Premium vault or Managed HSM), so the key material never leaves the HSM boundary; turn requireHsm off for software keys by choice.",
  remediation: 'Set properties.kty "RSA-HSM" (in a premium vault).',
  benchmarks: ["checkov:CKV_AZURE_112", "mcsb:DP-6"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      requireHsm: { type: "boolean", default: true, description: "Require HSM-backed keys." },
    },
  },
  types: [KEY],
  check: (ctx) => {
    if (!isTrue(ctx.config.requireHsm)) return;
    const kty = get(ctx.props, "properties.kty");
    if (
      ctx.known(kty, "properties.kty") &&
      (ctx.judgesAbsent || !isAbsent(kty)) &&
      !oneOf(kty, ...HSM_KEY_TYPES)
    )
      ctx.report(
        `properties.kty is ${show(kty)}, a software-protected key; use an HSM key type (${HSM_KEY_TYPES.join(", ")})`,
      );
  },
});

/** The weakest key sizes and curves accepted. */
const MIN_RSA_BITS = 2048;
const STRONG_CURVES = ["P-256", "P-384", "P-521", "P-256K"];

export const azureKeyVaultKeyStrength = resourceRule({
  name: "azure-keyvault-key-strength",
  description: `Key Vault RSA keys are at least ${MIN_RSA_BITS} bits (Key Vault defaults to 2048 when keySize is unset) and EC keys use a NIST or secp256k1 curve.`,
  remediation: "Set properties.keySize 3072 (or 4096) for RSA keys.",
  benchmarks: ["mcsb:DP-6"],
  enforcementLevel: "mandatory",
  types: [KEY],
  check: (ctx) => {
    const { kty, keySize, curveName } = (ctx.props.properties ?? {}) as Record<string, unknown>;
    if (!ctx.known([kty, keySize, curveName], "properties.kty, keySize, curveName")) return;
    const size = numberOf(keySize);
    if (
      typeof kty === "string" &&
      kty.toUpperCase().startsWith("RSA") &&
      size !== undefined &&
      size < MIN_RSA_BITS
    )
      ctx.report(`properties.keySize is ${size}, under ${MIN_RSA_BITS} bits; use 3072`);
    if (!isAbsent(curveName) && !oneOf(curveName, ...STRONG_CURVES))
      ctx.report(`properties.curveName is ${show(curveName)}; use ${STRONG_CURVES.join(", ")}`);
  },
});

/** ISO 8601 durations as days (P1Y, P365D, P18M, P2W); undefined when not one. */
export function durationDays(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(value.trim());
  if (!m || value.trim() === "P") return undefined;
  const [, y, mo, w, d] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return (y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0);
}

export const azureKeyVaultKeyRotation = resourceRule({
  name: "azure-keyvault-key-rotation",
  description:
    "Key Vault keys rotate on a policy: properties.rotationPolicy has a lifetime action of type rotate, triggered at most maxRotationDays (default 730) after creation or before expiry.",
  remediation:
    'Set properties.rotationPolicy { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P365D" } }], attributes: { expiryTime: "P2Y" } } and let consumers follow the latest version (storage CMKs do; AKS KMS needs its key version updated).',
  benchmarks: ["mcsb:DP-6", "hybrid-ai-infra:key-rotation"],
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      maxRotationDays: {
        type: "integer",
        minimum: 1,
        default: 730,
        description: "Longest time between rotations, in days.",
      },
    },
  },
  types: [KEY],
  check: (ctx) => {
    const policy = get(ctx.props, "properties.rotationPolicy");
    if (!ctx.known(policy, "properties.rotationPolicy") || (isAbsent(policy) && !ctx.judgesAbsent)) return;
    const max = numberOf(ctx.config.maxRotationDays) ?? 730;
    const rotations = list(get(policy, "lifetimeActions")).filter((a) =>
      oneOf(get(a, "action.type"), "rotate"),
    );
    if (rotations.length === 0) {
      ctx.report(
        `properties.rotationPolicy is ${show(policy)} with no rotate action, so the key never rotates; add one`,
      );
      return;
    }
    const days = rotations.map(
      (a) =>
        durationDays(get(a, "trigger.timeAfterCreate")) ?? durationDays(get(a, "trigger.timeBeforeExpiry")),
    );
    if (days.every((d) => d === undefined || d > max))
      ctx.report(
        `properties.rotationPolicy rotates only after ${days.map((d) => (d === undefined ? "an unreadable time" : `${d} days`)).join(", ")}; rotate within ${max} days`,
      );
  },
});

export const azureKeyVaultKeyExpiry = resourceRule({
  name: "azure-keyvault-key-expiry",
  description:
    "Key Vault keys expire: properties.attributes.expires, or a rotation policy's attributes.expiryTime (Key Vault then renews the expiry with each rotation, which keeps consumers of the latest version working).",
  remediation:
    'Set properties.rotationPolicy.attributes.expiryTime (e.g. "P2Y") with a rotate action before it.',
  benchmarks: ["checkov:CKV_AZURE_40", "kics:4d080822-5ee2-49a4-8984-68f3d4c890fc"],
  enforcementLevel: "mandatory",
  types: [KEY],
  check: (ctx) => {
    const expires = get(ctx.props, "properties.attributes.expires");
    const expiryTime = get(ctx.props, "properties.rotationPolicy.attributes.expiryTime");
    if (
      !ctx.known([expires, expiryTime], "properties.attributes.expires, rotationPolicy.attributes.expiryTime")
    )
      return;
    if (!ctx.judgesAbsent) return;
    if (isAbsent(expires) && isAbsent(expiryTime))
      ctx.report(
        "the key has no expiry (properties.attributes.expires or rotationPolicy.attributes.expiryTime), so a leaked key stays valid forever; set one with a rotation before it",
      );
  },
});

export const FAMILY = family("azure-keyvault", "Key Vault", [
  azureKeyVaultPurgeProtection,
  azureKeyVaultRbac,
  azureKeyVaultPrivateNetwork,
  azureKeyVaultAuditLogs,
  azureKeyVaultKeyHsm,
  azureKeyVaultKeyStrength,
  azureKeyVaultKeyRotation,
  azureKeyVaultKeyExpiry,
]);
