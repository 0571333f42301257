// The pack run as the Pulumi CLI runs it: a child process serving the analyzer protocol, called
// over gRPC; its config validated exactly as the CLI validates it; preview unknowns decided per
// resource; and `npm run policy`'s exits and output.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_RULES } from "../../policies/rules";
import { type Analyzer, type DocumentResource, startAnalyzer } from "../../scripts/policy/analyzer";
import { policyCli } from "../../scripts/policy/cli";
import { type PackPolicy, resolvePackConfig, validatePolicyConfig } from "../../scripts/policy/pack-config";
import { UNKNOWN_INPUT } from "./evaluate";

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
/** A VPN connection DH group 2 passes only when the config's minDhGroup lets it. */
const group2Vpn: DocumentResource = {
  ...weakVpn,
  inputs: Object.fromEntries(
    ["tunnel1", "tunnel2"].flatMap((t) => [
      [`${t}IkeVersions`, ["ikev2"]],
      [`${t}Phase1EncryptionAlgorithms`, ["AES256-GCM-16"]],
      [`${t}Phase1IntegrityAlgorithms`, ["SHA2-384"]],
      [`${t}Phase1DhGroupNumbers`, [2]],
      [`${t}Phase2EncryptionAlgorithms`, ["AES256-GCM-16"]],
      [`${t}Phase2IntegrityAlgorithms`, ["SHA2-384"]],
      [`${t}Phase2DhGroupNumbers`, [20]],
      [
        `${t}LogOptions`,
        { cloudwatchLogOptions: { logEnabled: true, logGroupArn: "arn:aws:logs:eu-west-1:1:log-group:v" } },
      ],
    ]),
  ),
};

describe("the policy pack through the analyzer protocol", () => {
  // One pack process for the file, as the CLI keeps one for a preview.
  let analyzer: Analyzer;
  beforeAll(async () => {
    analyzer = await startAnalyzer();
  });
  afterAll(() => analyzer.close());

  it("serves every rule, with its facts, as the rules module declares them", () => {
    expect(analyzer.policies.map((p) => p.name).sort()).toEqual(ALL_RULES.map((r) => r.name).sort());
    const vpn = analyzer.policies.find((p) => p.name === "aws-vpn-strong-crypto");
    expect(vpn?.properties.minDhGroup).toMatchObject({ type: "integer", minimum: 14, default: 14 });
  });

  it("reports resource and stack violations at the rule's level, or the config's", async () => {
    const found = await analyzer.analyze([weakVpn, openBucket]);
    const vpn = found.filter((v) => v.policy === "aws-vpn-strong-crypto");
    expect(vpn[0]).toMatchObject({ urn: weakVpn.urn, enforcementLevel: "mandatory" });
    expect(vpn.map((v) => v.message)).toContain('tunnel1IkeVersions allows "ikev1"; only ikev2 are allowed');
    expect(found.filter((v) => v.policy === "aws-s3-bucket-companions").map((v) => v.urn)).toContain(
      openBucket.urn,
    );
    const dev = await analyzer.analyze([weakVpn], {
      all: "advisory",
      "aws-s3-bucket-companions": "disabled",
    });
    expect(new Set(dev.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(dev.some((v) => v.policy === "aws-s3-bucket-companions")).toBe(false);
  });

  it("refuses config the pack's JSON Schema forbids, as the CLI does: a minimum DH group of 2 never lets group 2 pass", async () => {
    await expect(
      analyzer.analyze([group2Vpn], { "aws-vpn-strong-crypto": { minDhGroup: 2 } }, "config.json"),
    ).rejects.toThrow(
      'config.json: validating policy config for "hybrid-ai-infra": aws-vpn-strong-crypto: minDhGroup: Must be greater than or equal to 14',
    );
    const found = await analyzer.analyze([group2Vpn], { "aws-vpn-strong-crypto": { minDhGroup: 19 } });
    expect(found.filter((v) => v.policy === "aws-vpn-strong-crypto").map((v) => v.message)).toContain(
      "tunnel1Phase1DhGroupNumbers allows group 2, below group 19; use 19, 20 or 21",
    );
  });

  it("decides per resource under preview unknowns: what is known to be wrong stays mandatory, the rest is an advisory note", async () => {
    const unknownPolicy: DocumentResource = {
      urn: "urn:pulumi:dev::p::aws:s3/bucketPolicy:BucketPolicy::p",
      type: "aws:s3/bucketPolicy:BucketPolicy",
      name: "p",
      inputs: { bucket: UNKNOWN_INPUT, policy: UNKNOWN_INPUT },
    };
    const halfKnown: DocumentResource = {
      urn: "urn:pulumi:dev::p::aws:eks/cluster:Cluster::c",
      type: "aws:eks/cluster:Cluster",
      name: "c",
      inputs: {
        name: UNKNOWN_INPUT,
        roleArn: UNKNOWN_INPUT,
        vpcConfig: { endpointPrivateAccess: false, endpointPublicAccess: false, subnetIds: UNKNOWN_INPUT },
      },
    };
    const found = await analyzer.analyze([unknownPolicy, halfKnown]);
    expect(found.find((v) => v.policy === "aws-eks-endpoint-access")).toMatchObject({
      urn: halfKnown.urn,
      enforcementLevel: "mandatory",
      message: expect.stringContaining("endpointPrivateAccess is false"),
    });
    const note = found.find((v) => v.policy === "aws-s3-policy-not-public");
    expect(note).toMatchObject({ urn: unknownPolicy.urn, enforcementLevel: "advisory" });
    expect(note?.message).toContain("can't be known during preview");
  });

  it("npm run policy: exit 1 on a mandatory violation, JSON out, warnings for keys the CLI ignores, exit 2 on a bad document or config", async () => {
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

    const typo = join(dir, "typo.json");
    writeFileSync(typo, JSON.stringify({ all: "advisory", "aws-vpn-strong-crypt": "disabled" }));
    const warned = io();
    expect(await policyCli([good, "--config", typo], warned.io, analyzer)).toBe(0);
    expect(warned.out.stderr).toContain(
      '"aws-vpn-strong-crypt" is not a policy of the pack; the Pulumi CLI ignores it too',
    );

    const forbidden = join(dir, "forbidden.json");
    writeFileSync(forbidden, JSON.stringify({ "aws-vpn-strong-crypto": { minDhGroup: "14" } }));
    const refusedConfig = io();
    expect(await policyCli([good, "--config", forbidden], refusedConfig.io, analyzer)).toBe(2);
    expect(refusedConfig.out.stderr).toContain(
      "aws-vpn-strong-crypto: minDhGroup: Invalid type. Expected: integer, given: string",
    );

    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ resources: [{ urn: "x", type: "t" }] }));
    const refused = io();
    expect(await policyCli([bad], refused.io, analyzer)).toBe(2);
    expect(refused.out.stderr).toContain("resources.0.urn: is not a Pulumi URN");
  });
});

describe("pack config, read and validated as the Pulumi CLI does", () => {
  const policies: PackPolicy[] = [
    {
      name: "a",
      enforcementLevel: "mandatory",
      properties: { minDhGroup: { type: "integer", default: 14, minimum: 14 } },
    },
    { name: "b", enforcementLevel: "advisory", properties: {} },
    {
      name: "c",
      enforcementLevel: "advisory",
      properties: {
        exempt: {
          type: "array",
          default: [],
          items: { type: "object", required: ["name"], properties: { name: { type: "string" } } },
        },
        ports: {
          type: "array",
          default: ["443/tcp"],
          items: { type: "string", pattern: "^\\d+(/(tcp|udp))?$" },
        },
      },
    },
  ];

  it("applies all, then each policy's level and properties over its schema defaults", () => {
    const { config } = resolvePackConfig(policies, { all: "advisory", a: { minDhGroup: 19 }, b: "disabled" });
    expect(config.a).toEqual({ enforcementLevel: "advisory", properties: { minDhGroup: 19 } });
    expect(config.b).toEqual({ enforcementLevel: "disabled", properties: {} });
    expect(resolvePackConfig(policies, undefined).config.a).toEqual({
      enforcementLevel: "mandatory",
      properties: { minDhGroup: 14 },
    });
    expect(
      resolvePackConfig(policies, { a: { enforcementLevel: "remediate" } }).config.a?.enforcementLevel,
    ).toBe("remediate");
  });

  it("refuses what the CLI refuses, with the CLI's messages, and warns of what it ignores", () => {
    expect(() => resolvePackConfig(policies, { all: "strict" }, "f")).toThrow(
      'f: parsing enforcement level for "all": "strict" is not a valid enforcement level',
    );
    expect(() => resolvePackConfig(policies, { a: 3 }, "f")).toThrow(
      'f: parsing "a": 3 is not a valid value; must be a string or object',
    );
    expect(() => resolvePackConfig(policies, { a: { minDhGroup: 1.5 } }, "f")).toThrow(
      "a: minDhGroup: Invalid type. Expected: integer, given: number",
    );
    expect(() => resolvePackConfig(policies, { c: { exempt: [{}], ports: ["ssh"] } }, "f")).toThrow(
      "f: validating policy config for \"hybrid-ai-infra\": c: exempt.0: name is required; c: ports.0: Does not match pattern '^\\d+(/(tcp|udp))?$'",
    );
    const { warnings } = resolvePackConfig(
      policies,
      { nope: "disabled", a: { maxDhGroup: 1 }, environments: ["org/env"] },
      "f",
    );
    expect(warnings).toEqual([
      "f: environments (org/env) are Pulumi ESC environments, which only the Pulumi CLI resolves; ignored here",
      'f: "nope" is not a policy of the pack; the Pulumi CLI ignores it too (a typo?)',
      "f: a.maxDhGroup is not a property of a; the Pulumi CLI ignores it too",
    ]);
  });

  it("writes gojsonschema's message for each keyword the pack's schemas use", () => {
    const p = (properties: PackPolicy["properties"]): PackPolicy => ({
      name: "p",
      enforcementLevel: "advisory",
      properties,
    });
    expect(validatePolicyConfig(p({ n: { type: "integer", maximum: 64 } }), { n: 65 })).toEqual([
      "p: n: Must be less than or equal to 64",
    ]);
    expect(validatePolicyConfig(p({ n: { type: "integer", minimum: 1 } }), { n: 0 })).toEqual([
      "p: n: Must be greater than or equal to 1",
    ]);
    expect(validatePolicyConfig(p({ b: { type: "boolean" } }), { b: "true" })).toEqual([
      "p: b: Invalid type. Expected: boolean, given: string",
    ]);
    expect(
      validatePolicyConfig(
        p({ m: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } }),
        { m: { purpose: [1] } },
      ),
    ).toEqual(["p: m.purpose.0: Invalid type. Expected: string, given: integer"]);
    // Integers written as 14.0 are integers, as Go decodes them.
    expect(validatePolicyConfig(p({ n: { type: "integer" } }), { n: 14.0 })).toEqual([]);
  });
});
