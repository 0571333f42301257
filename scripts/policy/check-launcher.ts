// Proves the pack runs the way `pulumi preview --policy-pack` and a published pack run it:
// 1. the files `npm pack` would publish from policies/ (what `pulumi policy publish` uploads) are
//    copied alone into a scratch folder, so an import from outside the pack fails;
// 2. its dependencies come from a node_modules beside it (standing in for the install the CLI
//    does for a published pack; here the repository's, linked, since CI has no registry);
// 3. it is started as the nodejs language host's RunPlugin starts an analyzer: node running
//    @pulumi/pulumi/cmd/run-policy-pack with the engine address and the pack folder, in that
//    folder, which registers ts-node with type checking and ignores PulumiPolicy.yaml's options;
// 4. over the analyzer protocol it must list every rule of the pack and judge a known-bad
//    resource as the in-process rules do.
// Slow (ts-node type-checks the pack and the SDK's declarations: ~20 s), so it runs in CI
// (`npx tsx scripts/policy/check-launcher.ts`), not in `npm test`.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ALL_RULES } from "../../policies/rules";
import { POLICY_PACK_DIR } from "./analyzer";

const ROOT = resolve(__dirname, "../..");

/** The files `npm pack` would publish from the pack folder. */
export function publishedFiles(dir = POLICY_PACK_DIR): string[] {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    encoding: "utf8",
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
}

function call<Req, Res>(
  fn: (req: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((done, fail) => fn(req, (e, r) => (e ? fail(e) : done(r))));
}

/** Runs the check; resolves with what it saw, rejects with what went wrong. */
export async function checkLauncher(): Promise<{ policies: number; seconds: number; violations: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), "policy-pack-"));
  const pack = join(scratch, "pack");
  try {
    for (const file of publishedFiles()) {
      mkdirSync(dirname(join(pack, file)), { recursive: true });
      cpSync(join(POLICY_PACK_DIR, file), join(pack, file));
    }
    symlinkSync(join(ROOT, "node_modules"), join(pack, "node_modules"), "dir");
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [pack] });
    const started = Date.now();
    const child = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", pack], {
      cwd: pack,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    try {
      const port = await new Promise<number>((done, fail) => {
        let out = "";
        child.stdout?.on("data", (d: Buffer) => {
          out += d.toString();
          const line = out.split("\n")[0]?.trim() ?? "";
          if (out.includes("\n") && /^\d+$/.test(line)) done(Number(line));
        });
        child.on("exit", (code) =>
          fail(new Error(`the pack exited (${code}) before serving:\n${out}${stderr}`)),
        );
      });
      const seconds = (Date.now() - started) / 1000;
      const client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const info = await call<Empty, proto.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
      const request = new proto.AnalyzeRequest();
      request.setType("aws:eks/cluster:Cluster");
      request.setUrn("urn:pulumi:ci::p::aws:eks/cluster:Cluster::open");
      request.setName("open");
      request.setProperties(Struct.fromJavaScript({ vpcConfig: { endpointPublicAccess: true } }));
      request.setOptions(new proto.AnalyzerResourceOptions());
      const response = await call<proto.AnalyzeRequest, proto.AnalyzeResponse>(
        client.analyze.bind(client),
        request,
      );
      client.close();
      return {
        policies: info.getPoliciesList().length,
        seconds,
        violations: response.getDiagnosticsList().map((d) => d.getPolicyname()),
      };
    } finally {
      child.kill();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module)
  checkLauncher().then(
    ({ policies, seconds, violations }) => {
      const expected = ALL_RULES.length;
      if (policies !== expected)
        throw new Error(`the launched pack lists ${policies} policies, the rules module ${expected}`);
      if (!violations.includes("aws-eks-endpoint-access"))
        throw new Error(
          `the launched pack did not flag a public EKS endpoint (it said: ${violations.join(", ") || "nothing"})`,
        );
      process.stdout.write(
        `policy pack: published files alone, started by run-policy-pack (ts-node, type-checked) in ${seconds.toFixed(1)} s, ${policies} policies, judged a public EKS endpoint\n`,
      );
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
