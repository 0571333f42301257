// Each resource's inputs decoded once per request, not once per policy. `@pulumi/policy` 1.21's
// server (server.js, makeAnalyzeRpcFun and makeAnalyzeStackRpcFun) calls
// `deserialize.deserializeProperties(req.getProperties())` inside its loop over policies: every
// resource rule that cannot name one raw type token (and the pack's rules see through spellings,
// so most cannot) and every stack rule decodes the whole protobuf Struct again. A prod plan carries
// Kueue's CRDs (about 150 KB of schema each), so the pack spent over 90% of its time in
// `Struct.toJavaScript` and the garbage collector. google-protobuf hands out the same Struct
// object for a request's field every time, so a cache keyed by that object decodes each request
// once; the decoded value is never changed by the SDK, and `revive` gives rules frozen copies.

import { createRequire } from "node:module";

type Decode = (struct: object, proxySecrets?: boolean) => unknown;

interface DeserializeModule {
  deserializeProperties: Decode & { decodesOnce?: true };
}

/**
 * Makes the policy SDK decode each request's inputs once. Idempotent; returns whether the SDK's
 * decoder was found where 1.21 keeps it (if a later SDK moves it, the pack stays correct and is
 * only slower).
 */
export function decodeInputsOnce(): boolean {
  let sdk: DeserializeModule;
  try {
    sdk = createRequire(__filename)("@pulumi/policy/deserialize") as DeserializeModule;
  } catch {
    return false;
  }
  const original = sdk.deserializeProperties;
  if (typeof original !== "function") return false;
  if (original.decodesOnce) return true;
  const byFlag = { plain: new WeakMap<object, unknown>(), secrets: new WeakMap<object, unknown>() };
  const decodeOnce: DeserializeModule["deserializeProperties"] = (struct, proxySecrets) => {
    if (struct === null || typeof struct !== "object") return original(struct, proxySecrets);
    const cache = proxySecrets ? byFlag.secrets : byFlag.plain;
    if (cache.has(struct)) return cache.get(struct);
    const decoded = original(struct, proxySecrets);
    cache.set(struct, decoded);
    return decoded;
  };
  decodeOnce.decodesOnce = true;
  sdk.deserializeProperties = decodeOnce;
  return true;
}
