// Runs the policy pack exactly as the Pulumi CLI does: the pack in a child process serving the
// analyzer protocol on 127.0.0.1, then `GetAnalyzerInfo`, `Configure`, one `Analyze` per resource
// and one `AnalyzeStack`, over gRPC.
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient, AnalyzerService } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { encodeStruct, fieldHeader } from "../../policies/wire";
import { type EnforcementLevel, type PackPolicy, resolvePackConfig } from "./pack-config";

/** One resource of a plan document: `urn`, `type`, `name` and `inputs` are required. */
export interface DocumentResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  parent?: string | null | undefined;
  custom?: boolean;
  protect?: boolean;
  dependsOn?: string[];
  /** The provider that manages it, `URN::id` as the engine writes it (for Kubernetes objects: the cluster). */
  provider?: string | null | undefined;
}

/** One violation, as `--json` prints it. */
export interface Violation {
  policy: string;
  urn: string;
  message: string;
  enforcementLevel: EnforcementLevel;
}

/** Where the pack lives. */
export const POLICY_PACK_DIR = resolve(__dirname, "../../policies");

const LEVEL_NAMES: Record<number, EnforcementLevel> = {
  [proto.EnforcementLevel.ADVISORY]: "advisory",
  [proto.EnforcementLevel.MANDATORY]: "mandatory",
  [proto.EnforcementLevel.DISABLED]: "disabled",
  [proto.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_NUMBERS: Record<EnforcementLevel, proto.EnforcementLevel> = {
  advisory: proto.EnforcementLevel.ADVISORY,
  mandatory: proto.EnforcementLevel.MANDATORY,
  disabled: proto.EnforcementLevel.DISABLED,
  remediate: proto.EnforcementLevel.REMEDIATE,
};

/** Starts the pack as the CLI would (its directory as the working directory) and reads its port. */
async function startPack(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(dir, "index.ts")], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const port = await new Promise<number>((done, fail) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0] ?? "";
      if (out.includes("\n") && /^\d+$/.test(line.trim())) done(Number(line.trim()));
    });
    child.on("exit", (code) =>
      fail(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)),
    );
  });
  return { child, port };
}

function call<Req, Res>(
  fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((done, fail) => fn(req, (e, r) => (e ? fail(e) : done(r))));
}

/** The policies and their config schemas, as the pack describes them to the CLI. */
function packPolicies(info: proto.AnalyzerInfo): PackPolicy[] {
  return info.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    return {
      name: p.getName(),
      enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()] ?? "advisory",
      properties: (schema?.getProperties()?.toJavaScript() ?? {}) as PackPolicy["properties"],
      required: schema?.getRequiredList() ?? [],
    };
  });
}

function options(r: DocumentResource): proto.AnalyzerResourceOptions {
  const o = new proto.AnalyzerResourceOptions();
  o.setProtect(r.protect ?? false);
  if (r.parent) o.setParent(r.parent);
  return o;
}

/** The provider resource a reference (`URN::id`) names, as the engine describes it to the pack. */
function providerOf(r: DocumentResource): proto.AnalyzerProviderResource | undefined {
  if (!r.provider) return undefined;
  const urn = r.provider.split("::").slice(0, 4).join("::");
  const p = new proto.AnalyzerProviderResource();
  p.setUrn(urn);
  p.setType(urn.split("::")[2] ?? "");
  p.setName(urn.split("::")[3] ?? "");
  // Rules read the provider's identity only; its inputs (a kubeconfig) stay out of the request.
  p.setProperties(Struct.fromJavaScript({}));
  return p;
}

/**
 * A resource's Analyze request as bytes, and its entry of the AnalyzeStack request (as the
 * parts to write). Its type, URN, name, options and provider come from google-protobuf, its
 * inputs (`encoded`) are spliced in as field 2. The fields go in field-number order, so the bytes
 * are exactly what google-protobuf writes for the whole message; encoding the inputs directly is a
 * tenth of the time of building Struct objects on a plan that carries CRDs
 * (test/policies/wire.test.ts, which also checks these bytes). AnalyzerResource numbers its first six fields as AnalyzeRequest
 * does and adds the parent and dependencies after them, so its bytes are the request's followed
 * by those two: the entry reuses the request instead of building and copying it again.
 */
export function requestBytes(
  r: DocumentResource,
  encoded: Buffer,
): { request: Buffer; stackEntry: Uint8Array[] } {
  const head = new proto.AnalyzeRequest();
  head.setType(r.type);
  const tail = new proto.AnalyzeRequest();
  tail.setUrn(r.urn);
  tail.setName(r.name);
  tail.setOptions(options(r));
  const provider = providerOf(r);
  if (provider) tail.setProvider(provider);
  const request = Buffer.concat([
    head.serializeBinary(),
    fieldHeader(PROPERTIES, encoded.length),
    encoded,
    tail.serializeBinary(),
  ]);
  const more = new proto.AnalyzerResource();
  if (r.parent) more.setParent(r.parent);
  more.setDependenciesList(r.dependsOn ?? []);
  const rest = more.serializeBinary();
  return { request, stackEntry: [fieldHeader(RESOURCES, request.length + rest.length), request, rest] };
}

/** The field number of `properties` in AnalyzeRequest and AnalyzerResource. */
const PROPERTIES = 2;
/** The field number of `resources` in AnalyzeStackRequest. */
const RESOURCES = 1;

function diagnostics(res: proto.AnalyzeResponse, fallbackUrn: string): Violation[] {
  return res.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    urn: d.getUrn() || fallbackUrn,
    // The pack prefixes each message with the rule's description; the rule name already says it.
    message: d.getMessage().startsWith(`${d.getDescription()}\n`)
      ? d.getMessage().slice(d.getDescription().length + 1)
      : d.getMessage(),
    enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()] ?? "advisory",
  }));
}

/** A running pack: evaluate as many documents as needed, then close. */
export interface Analyzer {
  /** The pack's policies as it describes them. */
  policies: readonly PackPolicy[];
  /**
   * Configures the pack with `config` (validated as the CLI validates it; what the CLI would
   * ignore is passed to `warn`) and evaluates `resources`.
   */
  analyze(
    resources: readonly DocumentResource[],
    config?: unknown,
    configSource?: string,
    warn?: (warning: string) => void,
  ): Promise<Violation[]>;
  close(): void;
  /** The pack process's id (for measuring its CPU time). */
  pid: number | undefined;
}

/** Starts the pack in `dir` and connects to it. */
export async function startAnalyzer(dir = POLICY_PACK_DIR): Promise<Analyzer> {
  const { child, port } = await startPack(dir);
  const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const info = await call<Empty, proto.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
  const policies = packPolicies(info);
  return {
    policies,
    pid: child.pid,
    analyze: async (resources, config, configSource, warn) => {
      const { config: resolved, warnings } = resolvePackConfig(
        policies,
        config,
        configSource,
        info.getName(),
      );
      for (const w of warnings) warn?.(w);
      const configure = new proto.ConfigureAnalyzerRequest();
      for (const [name, c] of Object.entries(resolved)) {
        const pc = new proto.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_NUMBERS[c.enforcementLevel]);
        pc.setProperties(Struct.fromJavaScript(c.properties as Record<string, never>));
        configure.getPolicyconfigMap().set(name, pc);
      }
      await call<proto.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), configure);
      return analyzeWith(client, resources);
    },
    close: () => {
      client.close();
      child.kill();
    },
  };
}

/** A unary call whose request is already bytes. */
function callBytes(
  client: AnalyzerClient,
  method: { path: string },
  request: Buffer,
): Promise<proto.AnalyzeResponse> {
  return new Promise((done, fail) =>
    client.makeUnaryRequest(
      method.path,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => proto.AnalyzeResponse.deserializeBinary(new Uint8Array(bytes)),
      request,
      (e, res) => (e || !res ? fail(e ?? new Error(`${method.path}: no response`)) : done(res)),
    ),
  );
}

/** How many resources are encoded between two turns of the event loop (see `analyzeWith`). */
const SLICE = 250;

/**
 * `Analyze` on each custom resource (its inputs), then `AnalyzeStack` on all of them. The
 * requests are encoded and sent a slice at a time, yielding between slices so gRPC writes each
 * one while the next is encoded: the pack judges the first resources while this process is still
 * encoding the rest (encoding everything first left the pack idle for a second on a fleet, and
 * this process idle while the pack worked). AnalyzeStack goes out after every Analyze, as the
 * CLI orders them, without waiting for their answers: the pack serves requests in the order
 * they arrive, and no verdict depends on when it is asked.
 */
async function analyzeWith(
  client: AnalyzerClient,
  resources: readonly DocumentResource[],
): Promise<Violation[]> {
  const requests: Promise<Violation[]>[] = [];
  const stack: Uint8Array[] = [];
  for (let from = 0; from < resources.length; from += SLICE) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const r of resources.slice(from, from + SLICE)) {
      const { request, stackEntry } = requestBytes(r, encodeStruct(r.inputs));
      if (r.custom !== false) {
        requests.push(
          callBytes(client, AnalyzerService.analyze, request).then((res) => diagnostics(res, r.urn)),
        );
      }
      stack.push(...stackEntry);
    }
  }
  const whole = callBytes(client, AnalyzerService.analyzeStack, Buffer.concat(stack)).then((res) =>
    diagnostics(res, ""),
  );
  const violations: Violation[] = [];
  for (const found of await Promise.all([...requests, whole])) violations.push(...found);
  return violations.sort((a, b) => (a.policy + a.urn + a.message < b.policy + b.urn + b.message ? -1 : 1));
}

/** Evaluates one document with a pack started for it. `config` is a parsed `--policy-pack-config` document. */
export async function analyzeDocument(
  resources: readonly DocumentResource[],
  config?: unknown,
  configSource?: string,
  dir = POLICY_PACK_DIR,
  warn: (warning: string) => void = (w) => process.stderr.write(`warning: ${w}\n`),
): Promise<Violation[]> {
  const analyzer = await startAnalyzer(dir);
  try {
    return await analyzer.analyze(resources, config, configSource, warn);
  } finally {
    analyzer.close();
  }
}
