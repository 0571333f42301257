// Table-driven rule tests: each rule gets passing cases (realistic good inputs) and failing cases
// (each spelling of its mistake), and every failing case is also run under the other spellings of
// its resource type that the pack must see through: azure-native's versioned tokens, Kubernetes
// API versions, `*List` wrappers, `*Patch` kinds (for mistakes a patch states explicitly) and the
// AWS provider's V2 aliases. A case fails when an expected message is missing or, for a passing
// case, when anything is reported.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { judge, UNKNOWN_INPUT } from "./evaluate";

/** One input for a rule. */
export interface Case {
  /** What the case shows. */
  name: string;
  /** A canonical type token (`kubernetes:apps/v1:Deployment`) or any raw spelling. */
  type: string;
  props: Record<string, unknown>;
  config?: Record<string, unknown>;
  urn?: string;
  /** Substrings each expected message contains (one entry per expected violation); empty or absent: passes. */
  fails?: string[];
  /** For a failing Kubernetes case: the mistake is stated explicitly, so a `*Patch` must fail too. */
  explicit?: boolean;
}

/** Other raw spellings of a type token that must be judged alike. */
export function spellings(type: string): string[] {
  const [pkg, module = "", name = ""] = type.split(":");
  if (pkg === "azure-native" && !module.includes("/")) return [`azure-native:${module}/v20240301:${name}`];
  if (pkg === "kubernetes") {
    const [group = "", version = "v1"] = module.split("/");
    const out = [`kubernetes:${group}/${version}:${name}List`];
    if (group === "apps" && ["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet"].includes(name))
      out.push(`kubernetes:apps/v1beta2:${name}`);
    if (group === "apps" && ["Deployment", "DaemonSet", "ReplicaSet"].includes(name))
      out.push(`kubernetes:extensions/v1beta1:${name}`);
    if (group === "batch" && name === "CronJob") out.push("kubernetes:batch/v1beta1:CronJob");
    return out;
  }
  const aliases: Record<string, string> = {
    "aws:s3/bucket:Bucket": "aws:s3/bucketV2:BucketV2",
    "aws:s3/bucketAcl:BucketAcl": "aws:s3/bucketAclV2:BucketAclV2",
    "aws:s3/bucketVersioning:BucketVersioning": "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
      "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  };
  return aliases[type] ? [aliases[type]] : [];
}

/** The inputs under a spelling: a `*List` wraps them in `items`. */
function under(spelling: string, props: Record<string, unknown>): Record<string, unknown> {
  return spelling.endsWith("List") ? { items: [props] } : props;
}

/** A patch spelling of a Kubernetes kind. */
const patchOf = (type: string) => `${type}Patch`;

async function expectCase(
  rule: ResourceValidationPolicy,
  c: Case,
  type: string,
  props: Record<string, unknown>,
): Promise<void> {
  const { violations } = await judge(rule, type, props, c.config ?? {}, c.urn);
  const fails = c.fails ?? [];
  if (fails.length === 0) {
    expect(violations, `${c.name} as ${type}`).toEqual([]);
    return;
  }
  for (const f of fails)
    expect(
      violations.some((v) => v.includes(f)),
      `${c.name} as ${type}: expected "${f}" in ${JSON.stringify(violations)}`,
    ).toBe(true);
  expect(violations.length, `${c.name} as ${type}: ${JSON.stringify(violations)}`).toBe(fails.length);
}

/** Declares a describe block running every case of `rule`, and its spelling variants. */
export function ruleCases(rule: ResourceValidationPolicy, cases: readonly Case[]): void {
  describe(rule.name, () => {
    for (const c of cases) {
      it(`${c.fails?.length ? "fails" : "passes"} ${c.name}`, async () => {
        await expectCase(rule, c, c.type, c.props);
        if (!c.fails?.length) return;
        for (const spelling of spellings(c.type)) {
          const items = spelling.endsWith("List");
          const { violations } = await judge(rule, spelling, under(spelling, c.props), c.config ?? {}, c.urn);
          expect(violations.length, `${c.name} as ${spelling}: ${JSON.stringify(violations)}`).toBe(
            c.fails.length,
          );
          if (items) for (const v of violations) expect(v.startsWith("items[0]: "), v).toBe(true);
        }
        if (c.explicit) {
          const { violations } = await judge(rule, patchOf(c.type), c.props, c.config ?? {}, c.urn);
          expect(violations.length, `${c.name} as a patch: ${JSON.stringify(violations)}`).toBeGreaterThan(0);
        }
      });
    }
  });
}

/** A resource rule's verdict when `path` of `props` is replaced by the unknown sentinel. */
export async function withUnknownAt(
  rule: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  path: string[],
  config: Record<string, unknown> = {},
) {
  const copy = structuredClone(props) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1] ?? ""] = UNKNOWN_INPUT;
  return judge(rule, type, copy, config);
}
