// The inputs' wire format (policies/wire) against google-protobuf, which the Pulumi CLI's other
// end and the SDK's server speak: the same bytes out, the same values (keys in the same order)
// in, so the pack's verdicts cannot change with the codec. And the pack's request readers
// (readInputsDirectly) against the SDK's own google-protobuf readers, on whole requests.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import fc from "fast-check";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { decodeInputsOnce, readInputsDirectly } from "../../policies/kit";
import { decodeStruct, encodeStruct } from "../../policies/wire";
import { type DocumentResource, requestBytes } from "../../scripts/policy/analyzer";

/** JSON with its key order: deep equality that also sees the order a rule iterates in. */
const ordered = (v: unknown) => JSON.stringify(v);

const reference = (obj: object) => Buffer.from(Struct.fromJavaScript(obj as never).serializeBinary());
const referenceDecode = (bytes: Uint8Array) => Struct.deserializeBinary(bytes).toJavaScript();

// Keys that sort differently as strings and as JS property order, empty, non-ASCII, and prototype names.
// "__proto__" itself is google-protobuf's blind spot (its writer drops the key, its reader turns it
// into the prototype), so it has its own case below rather than a comparison with it.
const key = fc.oneof(
  fc.string().filter((k) => k !== "__proto__"),
  fc.constantFrom("", "10", "2", "0", "B", "a", "é", "😀", "__proto__x", "constructor"),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true }),
    fc.integer(),
    fc.string({ unit: "binary" }),
    fc.array(tie("value")),
    tie("object"),
  ),
  object: fc.dictionary(key, tie("value")),
}));

const kueueCrd = parse(
  readFileSync(resolve(__dirname, "../crds/kueue/v0.19.2/crds/kueue.x-k8s.io_workloads.yaml"), "utf8"),
) as object;

describe("the inputs' wire format", () => {
  it("writes google-protobuf's bytes and reads back google-protobuf's values, keys in its order", () => {
    fc.assert(
      fc.property(json.object, (obj) => {
        const mine = encodeStruct(obj);
        expect(mine.equals(reference(obj))).toBe(true);
        expect(ordered(decodeStruct(mine))).toBe(ordered(referenceDecode(mine)));
      }),
      { numRuns: 300 },
    );
  });

  it("agrees on a real CRD (150 KB of schema), and on keys written out of order or twice", () => {
    const inputs = { apiVersion: "apiextensions.k8s.io/v1", ...kueueCrd, "0": -0, big: 2 ** 60 };
    const bytes = encodeStruct(inputs);
    expect(bytes.equals(reference(inputs))).toBe(true);
    expect(ordered(decodeStruct(bytes))).toBe(ordered(referenceDecode(bytes)));
    // Another writer may put entries in any order and repeat a key: the last one counts.
    const b = encodeStruct({ b: 1 });
    const a1 = encodeStruct({ a: 1 });
    const a2 = encodeStruct({ a: "two" });
    const shuffled = Buffer.concat([b, a1, a2]);
    expect(ordered(decodeStruct(shuffled))).toBe(ordered(referenceDecode(shuffled)));
    expect(ordered(decodeStruct(shuffled))).toBe(ordered({ a: "two", b: 1 }));
  });

  it('keeps a "__proto__" key as an own key both ways, as JSON.parse does, never as the prototype', () => {
    const inputs = JSON.parse('{"a":{"__proto__":{"hostNetwork":true},"b":1}}') as object;
    const bytes = encodeStruct(inputs);
    expect(bytes.includes(Buffer.from("__proto__"))).toBe(true);
    const back = decodeStruct(bytes) as { a: Record<string, unknown> };
    expect(Object.keys(back.a)).toEqual(["__proto__", "b"]);
    expect(Object.getPrototypeOf(back.a)).toBe(Object.prototype);
    expect(back.a.hostNetwork).toBeUndefined();
    expect(ordered(back)).toBe(ordered(inputs));
  });

  it("refuses what google-protobuf refuses: a value a Struct cannot hold, an entry without a value", () => {
    expect(() => encodeStruct({ a: undefined })).toThrow(/Unexpected struct type/);
    expect(() => Struct.fromJavaScript({ a: undefined } as never)).toThrow(/Unexpected struct type/);
    // Entry { key: "a" } with no value.
    const noValue = Buffer.from([0x0a, 0x03, 0x0a, 0x01, 0x61]);
    expect(() => decodeStruct(noValue)).toThrow(/Unexpected struct type/);
    expect(() => referenceDecode(noValue)).toThrow(/Unexpected struct type/);
  });
});

const smallCrd = parse(
  readFileSync(resolve(__dirname, "../crds/kueue/v0.19.2/crds/kueue.x-k8s.io_localqueues.yaml"), "utf8"),
) as object;

describe("the pack's request readers", () => {
  const original = {
    analyze: AnalyzerService.analyze.requestDeserialize,
    analyzeStack: AnalyzerService.analyzeStack.requestDeserialize,
  };
  const resource = (n: number) => ({
    type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
    urn: `urn:pulumi:prod::p::kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::crd${n}`,
    name: `crd${n}`,
    inputs: { ...smallCrd, metadata: { name: `crd${n}`, labels: { z: "1", a: "2" } } },
  });

  it("read every field as the SDK's readers do, the inputs included", () => {
    expect(readInputsDirectly()).toBe(true);
    expect(AnalyzerService.analyze.requestDeserialize).not.toBe(original.analyze);
    const r = resource(1);
    const req = new proto.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(Struct.fromJavaScript(r.inputs as never));
    const options = new proto.AnalyzerResourceOptions();
    options.setProtect(true);
    req.setOptions(options);
    const bytes = Buffer.from(req.serializeBinary());
    const mine = AnalyzerService.analyze.requestDeserialize(bytes);
    const theirs = original.analyze(bytes);
    expect(ordered(mine.getProperties()?.toJavaScript())).toBe(
      ordered(theirs.getProperties()?.toJavaScript()),
    );
    expect(mine.getProperties()?.getFieldsMap().getLength()).toBe(
      theirs.getProperties()?.getFieldsMap().getLength(),
    );
    mine.clearProperties();
    theirs.clearProperties();
    expect(mine.toObject()).toEqual(theirs.toObject());

    const stack = new proto.AnalyzeStackRequest();
    stack.setResourcesList(
      [resource(1), resource(2), { ...resource(3), inputs: {} }].map((x, i) => {
        const a = new proto.AnalyzerResource();
        a.setType(x.type);
        a.setUrn(x.urn);
        a.setName(x.name);
        a.setProperties(Struct.fromJavaScript(x.inputs as never));
        a.setParent(i > 0 ? resource(1).urn : "");
        a.setDependenciesList([resource(1).urn]);
        return a;
      }),
    );
    const stackBytes = Buffer.from(stack.serializeBinary());
    const mineStack = AnalyzerService.analyzeStack.requestDeserialize(stackBytes).getResourcesList();
    const theirStack = original.analyzeStack(stackBytes).getResourcesList();
    expect(mineStack.map((x) => ordered(x.getProperties()?.toJavaScript()))).toEqual(
      theirStack.map((x) => ordered(x.getProperties()?.toJavaScript())),
    );
    for (const x of [...mineStack, ...theirStack]) x.clearProperties();
    expect(mineStack.map((x) => x.toObject())).toEqual(theirStack.map((x) => x.toObject()));
  });

  it("let an AnalyzeStack reuse what the same preview's Analyze requests decoded, for identical bytes only", () => {
    expect(readInputsDirectly()).toBe(true);
    expect(decodeInputsOnce()).toBe(true);
    const sdk = createRequire(__filename)("@pulumi/policy/deserialize") as {
      deserializeProperties: (s: object, secrets: boolean) => unknown;
    };
    const analyze = (inputs: object) => {
      const req = new proto.AnalyzeRequest();
      req.setType("kubernetes:core/v1:ConfigMap");
      req.setProperties(Struct.fromJavaScript(inputs as never));
      const read = AnalyzerService.analyze.requestDeserialize(Buffer.from(req.serializeBinary()));
      return sdk.deserializeProperties(read.getProperties() as object, false);
    };
    const analyzeStack = (...inputs: object[]) => {
      const req = new proto.AnalyzeStackRequest();
      req.setResourcesList(
        inputs.map((x) => {
          const a = new proto.AnalyzerResource();
          a.setType("kubernetes:core/v1:ConfigMap");
          a.setProperties(Struct.fromJavaScript(x as never));
          return a;
        }),
      );
      return AnalyzeStackResources(req).map((r) =>
        sdk.deserializeProperties(r.getProperties() as object, false),
      );
    };
    const AnalyzeStackResources = (req: proto.AnalyzeStackRequest) =>
      AnalyzerService.analyzeStack.requestDeserialize(Buffer.from(req.serializeBinary())).getResourcesList();
    const a = { data: { a: "1" } };
    const b = { data: { b: "2" } };
    const seenA = analyze(a);
    const seenB = analyze(b);
    const [stackA, stackB, stackC] = analyzeStack(a, b, { data: { a: "2" } });
    expect(stackA).toBe(seenA);
    expect(stackB).toBe(seenB);
    expect(stackC).toEqual({ data: { a: "2" } });
    // The next preview decodes afresh: nothing of the last one is held or shared.
    const again = analyze(a);
    expect(again).toEqual(seenA);
    expect(again).not.toBe(seenA);
    // Secrets kept as such are never shared.
    const req = new proto.AnalyzeRequest();
    req.setProperties(Struct.fromJavaScript(a as never));
    const read = AnalyzerService.analyze.requestDeserialize(Buffer.from(req.serializeBinary()));
    expect(sdk.deserializeProperties(read.getProperties() as object, true)).not.toBe(again);
  });
});

describe("the analyzer's request bytes", () => {
  const urnOf = (type: string, name: string) => `urn:pulumi:prod::hybrid-ai-infra::${type}::${name}`;
  const resource = fc.record(
    {
      type: fc.constantFrom("aws:s3/bucketV2:BucketV2", "kubernetes:batch/v1:Job"),
      name: fc.string({ minLength: 1 }),
      inputs: json.object as fc.Arbitrary<Record<string, unknown>>,
      parent: fc.option(fc.constant(urnOf("pkg:index:Parent", "p")), { nil: undefined }),
      protect: fc.boolean(),
      dependsOn: fc.array(fc.constantFrom(urnOf("a:b:C", "x"), urnOf("a:b:C", "y")), { maxLength: 2 }),
      provider: fc.option(fc.constant(`${urnOf("pulumi:providers:kubernetes", "eks")}::id-1`), {
        nil: undefined,
      }),
    },
    { requiredKeys: ["type", "name", "inputs", "protect", "dependsOn"] },
  );

  /** What google-protobuf writes for the same fields, set on whole messages. */
  function fill<T extends proto.AnalyzeRequest | proto.AnalyzerResource>(m: T, r: DocumentResource): T {
    m.setType(r.type);
    m.setProperties(Struct.fromJavaScript(r.inputs as never));
    m.setUrn(r.urn);
    m.setName(r.name);
    const o = new proto.AnalyzerResourceOptions();
    o.setProtect(r.protect ?? false);
    if (r.parent) o.setParent(r.parent);
    m.setOptions(o);
    if (r.provider) {
      const urn = r.provider.split("::").slice(0, 4).join("::");
      const p = new proto.AnalyzerProviderResource();
      p.setUrn(urn);
      p.setType(urn.split("::")[2] ?? "");
      p.setName(urn.split("::")[3] ?? "");
      p.setProperties(Struct.fromJavaScript({}));
      m.setProvider(p);
    }
    return m;
  }

  it("are google-protobuf's AnalyzeRequest, and its AnalyzeStackRequest entry, byte for byte", () => {
    fc.assert(
      fc.property(resource, (generated) => {
        const r: DocumentResource = { ...generated, urn: urnOf(generated.type, generated.name) };
        const { request, stackEntry } = requestBytes(r, encodeStruct(r.inputs));
        expect(request.equals(Buffer.from(fill(new proto.AnalyzeRequest(), r).serializeBinary()))).toBe(true);
        const entry = fill(new proto.AnalyzerResource(), r);
        if (r.parent) entry.setParent(r.parent);
        entry.setDependenciesList(r.dependsOn ?? []);
        const stack = new proto.AnalyzeStackRequest();
        stack.setResourcesList([entry]);
        expect(Buffer.concat(stackEntry).equals(Buffer.from(stack.serializeBinary()))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
