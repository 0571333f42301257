// Each Analyze request runs only the rules of its resource's type. `@pulumi/policy` 1.21's server
// (server.js, makeAnalyzeRpcFun) runs every resource policy on every resource: per policy it
// builds the arguments (a Proxy over the inputs, the options, the provider, a violation
// reporter), calls the policy and awaits it. The pack's rules see through spellings, so they
// cannot name the one raw type token that lets the SDK skip them (`__pulumiType`); they return at
// once for any other type, but with 120 resource rules the SDK's loop around those returns was
// most of a plan's Analyze time. Instead the server gets, per canonical type, a handler the SDK's
// own makeAnalyzeRpcFun builds over the rules that check that type (in the pack's order). Levels,
// configuration, preview unknowns, remediation and the response stay the SDK's: a rule left out
// would have reported nothing (test/policies/dispatch.test.ts compares the responses byte for
// byte). A policy that is not one of the pack's rules, or that names a raw type for the SDK's
// skip, is given every request, so the SDK answers for it as it would.

import { createRequire } from "node:module";
import type { Policy, PolicyPackArgs } from "@pulumi/policy";
import { canonicalType } from "./types";

type Handler = (call: { request: { getType(): string } }, callback: unknown) => unknown;
type MakeAnalyze = (name: string, version: string, level: unknown, policies: readonly Policy[]) => Handler;
type Serve = ((
  name: string,
  version: string,
  level: unknown,
  args: PolicyPackArgs,
  initialConfig: unknown,
) => void) & { dispatchesByType?: true };

interface ServerModule {
  serve: Serve;
  makeAnalyzeRpcFun: MakeAnalyze;
}
interface GrpcServer {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}
interface GrpcModule {
  Server: { prototype: GrpcServer };
}

/** Whether the SDK's Analyze loop could do anything with `policy` on a resource of canonical `type`. */
function runsOn(policy: Policy, type: string): boolean {
  const validate = (policy as { validateResource?: unknown }).validateResource;
  const remediate = (policy as { remediateResource?: unknown }).remediateResource;
  // Stack policies are skipped by the loop.
  if (validate === undefined && remediate === undefined) return false;
  const types = (policy as { types?: unknown }).types;
  // Not one of the pack's rules, or one the SDK skips itself (and says so): always given.
  if (!Array.isArray(types) || (validate as { __pulumiType?: unknown })?.__pulumiType !== undefined)
    return true;
  return types.includes(type);
}

/** A handler that hands each request to the SDK's handler over the rules of its canonical type. */
export function analyzeByType(
  name: string,
  version: string,
  level: unknown,
  policies: readonly Policy[],
  make: MakeAnalyze,
): Handler {
  const handlers = new Map<string, Handler>();
  return function analyze(this: unknown, call, callback) {
    const type = canonicalType(call.request.getType()).type;
    let handler = handlers.get(type);
    if (!handler) {
      handler = make(
        name,
        version,
        level,
        policies.filter((p) => runsOn(p, type)),
      );
      handlers.set(type, handler);
    }
    return handler.call(this, call, callback);
  };
}

/**
 * Makes the policy SDK serve Analyze by type (above). Call before the PolicyPack is built.
 * Idempotent; returns whether the SDK's server was found as 1.21 has it (if not, the pack stays
 * correct and is only slower).
 */
export function dispatchAnalyzeByType(): boolean {
  let server: ServerModule;
  let grpc: GrpcModule;
  let service: unknown;
  try {
    const here = createRequire(__filename);
    server = here("@pulumi/policy/server") as ServerModule;
    // The modules the SDK's server.js itself loads, resolved from where it lives.
    const sdkRequire = createRequire(here.resolve("@pulumi/policy/server"));
    grpc = sdkRequire("@grpc/grpc-js") as GrpcModule;
    service = (sdkRequire("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerService?: unknown })
      .AnalyzerService;
  } catch {
    return false;
  }
  const { serve, makeAnalyzeRpcFun } = server;
  if (typeof serve !== "function" || typeof makeAnalyzeRpcFun !== "function" || service === undefined)
    return false;
  if (makeAnalyzeRpcFun.length !== 4) return false;
  if (serve.dispatchesByType) return true;
  const dispatching: Serve = (name, version, level, args, initialConfig) => {
    const prototype = grpc.Server.prototype;
    const addService = prototype.addService;
    // serve() registers the analyzer service synchronously: swap its Analyze handler on the way.
    prototype.addService = function (this: GrpcServer, s, implementation) {
      const analyze =
        s === service
          ? { analyze: analyzeByType(name, version, level, args.policies ?? [], makeAnalyzeRpcFun) }
          : {};
      return addService.call(this, s, { ...implementation, ...analyze });
    };
    try {
      serve(name, version, level, args, initialConfig);
    } finally {
      prototype.addService = addService;
    }
  };
  dispatching.dispatchesByType = true;
  server.serve = dispatching;
  return true;
}
