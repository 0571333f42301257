// The pack run as the Pulumi CLI runs it: a child process serving the analyzer protocol, called
// over gRPC, and `npm run policy`'s exits and output.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { type DocumentResource, startAnalyzer } from "../../scripts/policy/analyzer";

const ROOT = resolve(__dirname, "../..");
const run = promisify(execFile);

const weakVpn: DocumentResource = {
  urn: "urn:pulumi:dev::p::aws:ec2/vpnConnection:VpnConnection::link",
  type: "aws:ec2/vpnConnection:VpnConnection",
  name: "link",
  inputs: { tunnel1IkeVersions: ["ikev1"] },
};
const openBucket: DocumentResource = {
  urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
  type: "aws:s3/bucket:Bucket",
  name: "b",
  inputs: {},
};

describe("the policy pack through the analyzer protocol", () => {
  it("reports resource and stack violations at the rule's level, or the config's", async () => {
    const analyzer = await startAnalyzer();
    const found = await analyzer.analyze([weakVpn, openBucket]).finally(() => undefined);
    const vpn = found.filter((v) => v.policy === "aws-vpn-strong-crypto");
    expect(vpn.length).toBeGreaterThan(0);
    expect(vpn[0]).toMatchObject({ urn: weakVpn.urn, enforcementLevel: "mandatory" });
    expect(vpn.map((v) => v.message)).toContain("tunnel1IkeVersions allows ikev1; only ikev2 is allowed");
    // A stack rule, on the bucket without companions.
    expect(found.filter((v) => v.policy === "stack-storage-companions").map((v) => v.urn)).toContain(
      openBucket.urn,
    );
    // dev's config makes everything advisory; a rule's own entry can disable it.
    const dev = await analyzer.analyze([weakVpn], {
      all: "advisory",
      "stack-storage-companions": "disabled",
    });
    analyzer.close();
    expect(dev.length).toBeGreaterThan(0);
    expect(new Set(dev.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(dev.some((v) => v.policy === "stack-storage-companions")).toBe(false);
  });

  it("npm run policy: exit 1 on a mandatory violation, JSON out, exit 2 on a malformed document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));
    const good = join(dir, "plan.json");
    writeFileSync(good, JSON.stringify({ resources: [weakVpn] }));
    const cli = ["--import", "tsx", join(ROOT, "scripts/policy/cli.ts")];
    const failed = await run(process.execPath, [...cli, good, "--json"], { cwd: ROOT }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect("code" in failed ? failed.code : 0).toBe(1);
    const printed = JSON.parse(failed.stdout) as {
      violations: { policy: string; enforcementLevel: string }[];
    };
    expect(printed.violations.map((v) => v.policy)).toContain("aws-vpn-strong-crypto");
    expect(Object.keys(printed.violations[0] ?? {}).sort()).toEqual([
      "enforcementLevel",
      "message",
      "policy",
      "urn",
    ]);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ resources: [{ urn: "x", type: "t" }] }));
    const refused = await run(process.execPath, [...cli, bad], { cwd: ROOT }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect("code" in refused ? refused.code : 0).toBe(2);
    expect(refused.stderr).toContain(`${bad}: is not a plan document`);
    expect(refused.stderr).toContain("resources.0.urn: is not a Pulumi URN");
    expect(refused.stderr).not.toContain("    at ");
  });
});
