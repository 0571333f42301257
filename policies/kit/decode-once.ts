// Each resource's inputs decoded once per request, not once per policy. `@pulumi/policy` 1.21's
// server (server.js, makeAnalyzeRpcFun and makeAnalyzeStackRpcFun) calls
// `deserialize.deserializeProperties(req.getProperties())` inside its loop over policies: every
// resource rule that cannot name one raw type token (and the pack's rules see through spellings,
// so most cannot) and every stack rule decodes the whole protobuf Struct again. A prod plan carries
// Kueue's CRDs (about 150 KB of schema each), so the pack spent over 90% of its time in
// `Struct.toJavaScript` and the garbage collector. google-protobuf hands out the same Struct
// object for a request's field every time, so a cache keyed by that object decodes each request
// once; the decoded value is never changed by the SDK, and `revive` gives rules frozen copies.

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { decodeStruct, fieldHeader, fields, type WireField } from "../wire";

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
    const shared = proxySecrets ? undefined : (struct as { [SHARED]?: Shared })[SHARED];
    const seen = shared?.decoded.get(shared.key);
    const decoded = seen ?? original(struct, proxySecrets);
    cache.set(struct, decoded);
    if (shared && seen === undefined) shared.decoded.set(shared.key, decoded);
    return decoded;
  };
  decodeOnce.decodesOnce = true;
  sdk.deserializeProperties = decodeOnce;
  return true;
}

/**
 * Where a request's inputs may share the decoded value of the same bytes in an earlier request:
 * an AnalyzeStack carries every resource's inputs again, byte for byte what each Analyze of the
 * same preview carried when nothing changed in between, so it reuses what those decoded (and
 * `revive` froze). Keyed by the bytes' SHA-256, so only identical inputs share.
 */
interface Shared {
  decoded: Map<string, unknown>;
  key: string;
}
const SHARED = Symbol("hybrid-ai-infra shared inputs");

// Requests read without google-protobuf's Struct objects. The SDK's server decodes each request
// with google-protobuf, which builds one message object per field and list item of the inputs
// (on a prod plan, most of the pack's time and garbage). The inputs' bytes are instead kept as
// they arrived, and read straight into plain values when the SDK asks the Struct for them
// (`toJavaScript`, what the SDK calls; `getFieldsMap` decodes the Struct as google-protobuf
// would). Every other field is still decoded by google-protobuf. `policies/wire` reads exactly
// what google-protobuf reads, keys in the same order (test/policies/wire.test.ts).

interface JspbStruct {
  toJavaScript(): unknown;
  getFieldsMap(noLazyCreate?: boolean): unknown;
}
interface StructModule {
  Struct: (new () => JspbStruct) & { deserializeBinary(bytes: Uint8Array): JspbStruct };
}
interface WithProperties {
  setProperties(struct: JspbStruct): void;
}
interface MessageClass<T> {
  deserializeBinary(bytes: Uint8Array): T;
}
interface Method {
  requestDeserialize: ((buffer: Buffer) => unknown) & { readsInputsDirectly?: true };
}
interface GrpcModule {
  AnalyzerService: { analyze: Method; analyzeStack: Method };
}
interface AnalyzerModule {
  AnalyzeRequest: MessageClass<WithProperties>;
  AnalyzeStackRequest: MessageClass<{ getResourcesList(): WithProperties[] }>;
}

/** The field number of `properties` in AnalyzeRequest and AnalyzerResource. */
const PROPERTIES = 2;
/** The field number of `resources` in AnalyzeStackRequest. */
const RESOURCES = 1;

/**
 * Makes the SDK's server read the inputs of Analyze and AnalyzeStack requests directly.
 * Idempotent; returns whether the SDK's service definition was found where @pulumi/policy 1.21
 * takes it from (if not, the pack stays correct and is only slower).
 */
export function readInputsDirectly(): boolean {
  let rpc: GrpcModule;
  let messages: AnalyzerModule;
  let structs: StructModule;
  try {
    // The modules the SDK's server.js itself loads, resolved from where it lives.
    const sdkRequire = createRequire(createRequire(__filename).resolve("@pulumi/policy/server"));
    rpc = sdkRequire("@pulumi/pulumi/proto/analyzer_grpc_pb") as GrpcModule;
    messages = sdkRequire("@pulumi/pulumi/proto/analyzer_pb") as AnalyzerModule;
    const protoRequire = createRequire(sdkRequire.resolve("@pulumi/pulumi/proto/analyzer_pb"));
    structs = protoRequire("google-protobuf/google/protobuf/struct_pb") as StructModule;
  } catch {
    return false;
  }
  const { analyze, analyzeStack } = rpc.AnalyzerService ?? {};
  if (!analyze || !analyzeStack) return false;
  if (analyze.requestDeserialize.readsInputsDirectly) return true;
  // The decoded inputs of the Analyze requests since the last AnalyzeStack, by their bytes' hash;
  // an AnalyzeStack takes them over (and its own decodes) and the next Analyze starts afresh, so
  // one preview's inputs are held until its AnalyzeStack and no longer.
  let sinceStack = new Map<string, unknown>();
  const lazyStruct = (
    bytes: Buffer,
    start: number,
    end: number,
    decoded: Map<string, unknown>,
  ): JspbStruct => {
    const struct = new structs.Struct();
    const shared: Shared = {
      decoded,
      key: createHash("sha256").update(bytes.subarray(start, end)).digest("base64"),
    };
    Object.defineProperty(struct, SHARED, { value: shared });
    struct.toJavaScript = () => decodeStruct(bytes, start, end);
    struct.getFieldsMap = (noLazyCreate) =>
      structs.Struct.deserializeBinary(bytes.subarray(start, end)).getFieldsMap(noLazyCreate);
    return struct;
  };
  const readAnalyze: Method["requestDeserialize"] = (buffer) => {
    const { rest, properties } = withoutProperties(buffer, 0, buffer.length);
    const request = messages.AnalyzeRequest.deserializeBinary(rest);
    if (properties) request.setProperties(lazyStruct(buffer, properties.start, properties.end, sinceStack));
    return request;
  };
  const readAnalyzeStack: Method["requestDeserialize"] = (buffer) => {
    const parts: Buffer[] = [];
    const inputs: (WireField | undefined)[] = [];
    for (const f of fields(buffer)) {
      if (f.field !== RESOURCES) {
        parts.push(buffer.subarray(f.from, f.end));
        continue;
      }
      const { rest, properties } = withoutProperties(buffer, f.start, f.end);
      parts.push(fieldHeader(RESOURCES, rest.length), rest);
      inputs.push(properties);
    }
    const request = messages.AnalyzeStackRequest.deserializeBinary(Buffer.concat(parts));
    const decoded = sinceStack;
    sinceStack = new Map();
    request.getResourcesList().forEach((resource, i) => {
      const p = inputs[i];
      if (p) resource.setProperties(lazyStruct(buffer, p.start, p.end, decoded));
    });
    return request;
  };
  readAnalyze.readsInputsDirectly = true;
  readAnalyzeStack.readsInputsDirectly = true;
  analyze.requestDeserialize = readAnalyze;
  analyzeStack.requestDeserialize = readAnalyzeStack;
  return true;
}

/** A message's bytes without its `properties` fields, and where the last of them (the one that counts) lies. */
function withoutProperties(
  buffer: Buffer,
  start: number,
  end: number,
): { rest: Buffer; properties: WireField | undefined } {
  const parts: Buffer[] = [];
  let properties: WireField | undefined;
  for (const f of fields(buffer, start, end)) {
    if (f.field === PROPERTIES && f.wireType === 2) properties = f;
    else parts.push(buffer.subarray(f.from, f.end));
  }
  return { rest: Buffer.concat(parts), properties };
}
