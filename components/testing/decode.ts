import * as pulumi from "@pulumi/pulumi";

const rpc = pulumi.runtime;

/** What a secret looks like in a plan: the value never leaves the program. */
export const SECRET = "[secret]";
/** What a value that is only known after deployment looks like in a plan. */
export const UNKNOWN = "[unknown]";

/**
 * Turns properties as the engine receives them (serialised, with signatures for secrets,
 * resource references and assets) into plain JSON. With `maskSecrets`, every secret becomes
 * "[secret]"; without it, the secret's value is kept (for tests that assert what was sent).
 */
export function decodeProperties(value: unknown, maskSecrets: boolean): unknown {
  if (value === rpc.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map((v) => decodeProperties(v, maskSecrets));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const sig = record[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) return maskSecrets ? SECRET : decodeProperties(record.value, maskSecrets);
  if (sig === rpc.specialResourceSig) return record.urn;
  if (sig === rpc.specialOutputValueSig) {
    if (record.secret === true && maskSecrets) return SECRET;
    return "value" in record ? decodeProperties(record.value, maskSecrets) : UNKNOWN;
  }
  if (sig === rpc.specialAssetSig || sig === rpc.specialArchiveSig) {
    const { [rpc.specialSigKey]: _sig, ...rest } = record;
    return rest;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = decodeProperties(record[key], maskSecrets);
  return out;
}

/** Every property path whose value is a secret, e.g. `kubeconfig` or `rules[0].password`. */
export function secretPaths(value: unknown, prefix = ""): string[] {
  // Most resources hold no secret: look first without building a path per property.
  return holdsSecret(value) ? pathsOfSecrets(value, prefix) : [];
}

/** Whether `secretPaths` finds anything: the same walk, without the paths. */
function holdsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  const sig = record[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) return true;
  if (sig === rpc.specialOutputValueSig) return record.secret === true;
  if (sig !== undefined) return false;
  for (const k in record) if (Object.hasOwn(record, k) && holdsSecret(record[k])) return true;
  return false;
}

function pathsOfSecrets(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => pathsOfSecrets(v, `${prefix}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const sig = record[rpc.specialSigKey];
  if (sig === rpc.specialSecretSig) return [prefix];
  if (sig === rpc.specialOutputValueSig) return record.secret === true ? [prefix] : [];
  if (sig !== undefined) return [];
  return Object.keys(record).flatMap((k) => pathsOfSecrets(record[k], prefix ? `${prefix}.${k}` : k));
}
