// Analyze served by type (policies/kit/dispatch.ts): the SDK's handler over the rules of each
// canonical type must answer exactly what its handler over every rule answers (violations, their
// order and levels, preview notes), byte for byte, on the realistic program, on mistakes in several
// spellings and under preview unknowns.
import { createRequire } from "node:module";
import type { Policy } from "@pulumi/policy";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { analyzeByType, dispatchAnalyzeByType } from "../../policies/kit";
import { ALL_RULES } from "../../policies/rules";
import { UNKNOWN_INPUT } from "./evaluate";
import { goodProgram } from "./good-program";

type Handler = (
  call: { request: proto.AnalyzeRequest },
  callback: (e: unknown, r?: proto.AnalyzeResponse) => void,
) => unknown;
const sdkServer = createRequire(__filename)("@pulumi/policy/server") as {
  makeAnalyzeRpcFun: (name: string, version: string, level: string, policies: readonly Policy[]) => Handler;
};

function request(type: string, name: string, inputs: Record<string, unknown>): proto.AnalyzeRequest {
  const r = new proto.AnalyzeRequest();
  r.setType(type);
  r.setName(name);
  r.setUrn(`urn:pulumi:prod::p::${type}::${name}`);
  r.setProperties(Struct.fromJavaScript(inputs as never));
  // As the engine sends it (the SDK reads the options of every request).
  r.setOptions(new proto.AnalyzerResourceOptions());
  return r;
}

const answer = (handler: Handler, req: proto.AnalyzeRequest) =>
  new Promise<Uint8Array>((done, fail) => {
    handler({ request: req }, (e, r) => (e || !r ? fail(e) : done(r.serializeBinary())));
  });

const privileged = {
  metadata: { name: "x", namespace: "team" },
  spec: {
    template: {
      spec: { containers: [{ name: "c", image: "nginx", securityContext: { privileged: true } }] },
    },
  },
};
const publicPolicy = {
  bucket: "b",
  policy: JSON.stringify({
    Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
  }),
};

describe("Analyze served by type", () => {
  it("answers, byte for byte, what the SDK answers with every rule", async () => {
    const policies = ALL_RULES as unknown as Policy[];
    const everyRule = sdkServer.makeAnalyzeRpcFun("hybrid-ai-infra", "0.1.0", "advisory", policies);
    const byType = analyzeByType(
      "hybrid-ai-infra",
      "0.1.0",
      "advisory",
      policies,
      sdkServer.makeAnalyzeRpcFun as never,
    ) as unknown as Handler;
    const requests = [
      ...goodProgram().map((r) => request(r.type, r.name, r.inputs)),
      request("kubernetes:apps/v1:Deployment", "priv", privileged),
      request("kubernetes:apps/v1beta2:DeploymentList", "privs", { items: [privileged, privileged] }),
      request("kubernetes:apps/v1:DeploymentPatch", "patch", privileged),
      request("aws:s3/bucketPolicy:BucketPolicy", "pub", publicPolicy),
      request("aws:s3/bucketPolicy:BucketPolicy", "unknown", { bucket: "b", policy: UNKNOWN_INPUT }),
      request("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16", enableDnsSupport: UNKNOWN_INPUT }),
      request("random:index/randomPassword:RandomPassword", "pw", { length: 32 }),
    ];
    let violations = 0;
    for (const req of requests) {
      const [all, dispatched] = await Promise.all([answer(everyRule, req), answer(byType, req)]);
      expect(Buffer.from(dispatched).equals(Buffer.from(all)), req.getUrn()).toBe(true);
      violations += proto.AnalyzeResponse.deserializeBinary(all).getDiagnosticsList().length;
    }
    // The comparison covers violations, not only silence.
    expect(violations).toBeGreaterThan(4);
  });

  it("is what the pack's server runs: the SDK's server is found where 1.21 keeps it", () => {
    expect(dispatchAnalyzeByType()).toBe(true);
    expect(dispatchAnalyzeByType()).toBe(true);
  });
});
