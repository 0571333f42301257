// The pack run as the Pulumi CLI runs it: a child process serving the analyzer protocol, called
// over gRPC, and `npm run policy`'s exits and output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Analyzer, type DocumentResource, startAnalyzer } from "../../scripts/policy/analyzer";
import { policyCli } from "../../scripts/policy/cli";
import { type PackPolicy, resolvePackConfig } from "../../scripts/policy/pack-config";

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
  // One pack process for the file, as the CLI keeps one for a preview.
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = await startAnalyzer();
  });
  afterAll(() => analyzer.close());

  it("reports resource and stack violations at the rule's level, or the config's", async () => {
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
    expect(dev.length).toBeGreaterThan(0);
    expect(new Set(dev.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(dev.some((v) => v.policy === "stack-storage-companions")).toBe(false);
  });

  it("npm run policy: exit 1 on a mandatory violation, JSON out, exit 2 on a malformed document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));
    const good = join(dir, "plan.json");
    writeFileSync(good, JSON.stringify({ resources: [weakVpn] }));
    const io = () => {
      const out = { stdout: "", stderr: "" };
      return { out, io: { out: (t: string) => (out.stdout += t), err: (t: string) => (out.stderr += t) } };
    };
    const failed = io();
    expect(await policyCli([good, "--json"], failed.io, analyzer)).toBe(1);
    const printed = JSON.parse(failed.out.stdout) as { violations: { policy: string }[] };
    expect(printed.violations.map((v) => v.policy)).toContain("aws-vpn-strong-crypto");
    expect(Object.keys(printed.violations[0] ?? {}).sort()).toEqual([
      "enforcementLevel",
      "message",
      "policy",
      "urn",
    ]);

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ resources: [{ urn: "x", type: "t" }] }));
    const refused = io();
    expect(await policyCli([bad], refused.io)).toBe(2);
    expect(refused.out.stderr).toContain(`${bad}: is not a plan document`);
    expect(refused.out.stderr).toContain("resources.0.urn: is not a Pulumi URN");
    const notJson = join(dir, "text.json");
    writeFileSync(notJson, "resources: []");
    const garbled = io();
    expect(await policyCli([notJson], garbled.io)).toBe(2);
    expect(garbled.out.stderr).toMatch(/text\.json: is not JSON/);
  });

  it("reads a pack config the CLI's way: all, then each rule's level and properties over its defaults", () => {
    const policies: PackPolicy[] = [
      {
        name: "a",
        enforcementLevel: "mandatory" as const,
        properties: { minDhGroup: { type: "integer", default: 14 } },
      },
      { name: "b", enforcementLevel: "advisory" as const, properties: {} },
    ];
    expect(resolvePackConfig(policies, { all: "advisory", a: { minDhGroup: 19 }, b: "disabled" })).toEqual({
      a: { enforcementLevel: "advisory", properties: { minDhGroup: 19 } },
      b: { enforcementLevel: "disabled", properties: {} },
    });
    expect(resolvePackConfig(policies, undefined).a).toEqual({
      enforcementLevel: "mandatory",
      properties: { minDhGroup: 14 },
    });
    expect(() => resolvePackConfig(policies, { "no-such-rule": "mandatory" }, "config.json")).toThrow(
      'config.json: "no-such-rule" is not a policy of the pack; its policies are a, b',
    );
    expect(() => resolvePackConfig(policies, { a: { minDhGroup: "x" } })).toThrow(
      "a.minDhGroup must be of type integer",
    );
    expect(() => resolvePackConfig(policies, { a: { maxDhGroup: 1 } })).toThrow(
      "a.maxDhGroup is not a property of a",
    );
    expect(() => resolvePackConfig(policies, { all: "strict" })).toThrow(
      '"strict" is not an enforcement level',
    );
  });
});
