// The pack as a whole: every rule complete (id, description, remediation, benchmark ids, default
// level) and listed, types named canonically, config schemas within what the CLI validates, the
// stacks' configs accepted as the CLI accepts them, the pack publishable alone (no import from
// outside policies/ but its own dependencies), the vendored facts equal to the library's, the
// benchmark catalogue consistent with the rules' tags, and docs/policy.md up to date.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { BENCHMARKS, canonicalType, decodeInputsOnce, revive } from "../../policies/kit";
import { ALL_RULES, FAMILIES } from "../../policies/rules";
import { coverage } from "../../scripts/policy/coverage";
import { DOCS_FILE, renderDocs } from "../../scripts/policy/docs";
import { type JsonSchema, resolvePackConfig, SUPPORTED_KEYWORDS } from "../../scripts/policy/pack-config";
import { LIBRARY_FACTS_FILE, libraryFactsJson } from "../../scripts/policy/vendor-facts";

const PACK = resolve(__dirname, "../../policies");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (f === "node_modules") return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe("every rule", () => {
  it("has a unique kebab-case name", () => {
    const names = ALL_RULES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("says what it checks, how to fix it, its default level and the benchmark ids it covers", () => {
    for (const r of ALL_RULES) {
      expect(r.description?.length, r.name).toBeGreaterThan(40);
      expect(r.remediationSteps?.length, r.name).toBeGreaterThan(20);
      expect(["advisory", "mandatory"], r.name).toContain(r.enforcementLevel);
      expect(r.tags?.length, r.name).toBeGreaterThan(0);
      for (const tag of r.tags ?? [])
        expect(Object.keys(BENCHMARKS), `${r.name}: ${tag}`).toContain(tag.split(":")[0]);
    }
  });

  it("names the canonical token of each type it checks, so every spelling reaches it", () => {
    for (const r of ALL_RULES)
      for (const t of "types" in r ? r.types : []) expect(canonicalType(t).type, `${r.name}: ${t}`).toBe(t);
  });

  it("keeps its config schema to the JSON Schema the CLI validates", () => {
    const walk = (schema: JsonSchema, at: string) => {
      for (const k of Object.keys(schema)) expect(SUPPORTED_KEYWORDS.has(k), `${at}.${k}`).toBe(true);
      for (const [k, s] of Object.entries(schema.properties ?? {})) walk(s, `${at}.${k}`);
      if (schema.items) walk(schema.items, `${at}[]`);
    };
    for (const r of ALL_RULES)
      for (const [k, s] of Object.entries(r.configSchema?.properties ?? {})) {
        walk(s as JsonSchema, `${r.name}.${k}`);
        expect((s as JsonSchema).default, `${r.name}.${k} has a default`).toBeDefined();
      }
  });
});

describe("the families", () => {
  it("list every file of policies/rules, and the pack serves them all", () => {
    const onDisk = readdirSync(join(PACK, "rules"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "families.ts")
      .map((f) => f.slice(0, -3))
      .sort();
    expect(Object.keys(FAMILIES).sort()).toEqual(onDisk);
    expect(ALL_RULES).toEqual(Object.values(FAMILIES).flatMap((f) => f.rules));
    expect(readFileSync(join(PACK, "index.ts"), "utf8")).toContain(
      'new PolicyPack("hybrid-ai-infra", { policies: [...ALL_RULES] })',
    );
  });
});

describe("the stacks' pack configs", () => {
  const policies = ALL_RULES.map((r) => ({
    name: r.name,
    enforcementLevel: r.enforcementLevel ?? "advisory",
    properties: (r.configSchema?.properties ?? {}) as Record<string, JsonSchema>,
    required: r.configSchema?.required ?? [],
  }));
  for (const stack of ["dev", "staging", "prod"])
    it(`${stack}: validate as the CLI validates them, naming only rules and properties of the pack`, () => {
      const file = JSON.parse(readFileSync(join(PACK, `config.${stack}.json`), "utf8"));
      const { warnings } = resolvePackConfig(policies, file, `config.${stack}.json`);
      expect(warnings).toEqual([]);
    });
});

describe("the pack, publishable alone", () => {
  const pkg = JSON.parse(readFileSync(join(PACK, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    files: string[];
  };

  it("imports nothing outside policies/ but its own dependencies and Node's modules", () => {
    const sources = files(PACK).filter((f) => f.endsWith(".ts"));
    expect(sources.length).toBeGreaterThan(20);
    for (const file of sources) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /(?:^|\n)\s*(?:import|export)[^;]*?from\s+"([^"]+)"|require\("([^"]+)"\)/g,
      )) {
        const spec = m[1] ?? m[2] ?? "";
        const where = `${relative(PACK, file)} imports ${spec}`;
        if (spec.startsWith(".")) {
          expect(resolve(dirname(file), spec).startsWith(PACK), where).toBe(true);
          continue;
        }
        const name = spec.startsWith("@")
          ? spec.split("/").slice(0, 2).join("/")
          : (spec.split("/")[0] ?? "");
        const builtin = spec.startsWith("node:") || builtinModules.includes(name);
        expect(builtin || name in pkg.dependencies, where).toBe(true);
      }
    }
  });

  it("ships the facts, the configs and its launcher files", () => {
    for (const f of [
      "index.ts",
      "kit/**/*.ts",
      "rules/**/*.ts",
      "wire/**/*.ts",
      "facts/**/*",
      "PulumiPolicy.yaml",
      "tsconfig.json",
    ])
      expect(pkg.files).toContain(f);
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi", "typescript"])
      expect(pkg.dependencies).toHaveProperty(dep);
  });

  it("carries the library's facts exactly as components/ defines them", () => {
    expect(JSON.parse(readFileSync(LIBRARY_FACTS_FILE, "utf8"))).toEqual(JSON.parse(libraryFactsJson()));
  });
});

describe("benchmark coverage and docs", () => {
  it("the catalogue and the rules' tags agree", () => {
    for (const f of coverage()) {
      expect(f.problems, f.id).toEqual([]);
      expect(f.covered.length, f.id).toBeGreaterThan(0);
    }
  });

  it("docs/policy.md shows the rules and coverage as they are (npx tsx scripts/policy/docs.ts)", () => {
    const text = readFileSync(DOCS_FILE, "utf8");
    expect(renderDocs(text) === text, "docs/policy.md is stale: run npx tsx scripts/policy/docs.ts").toBe(
      true,
    );
  });
});

describe("each request's inputs decoded once", () => {
  const load = createRequire(__filename);

  it("makes the SDK's decoder, where its server calls it per policy, decode a Struct once", () => {
    expect(decodeInputsOnce()).toBe(true);
    const sdk = load("@pulumi/policy/deserialize") as {
      deserializeProperties: (s: object, secrets: boolean) => unknown;
    };
    const struct = Struct.fromJavaScript({ spec: { versions: [{ name: "v1beta2" }] } });
    const first = sdk.deserializeProperties(struct, false);
    expect(first).toEqual({ spec: { versions: [{ name: "v1beta2" }] } });
    expect(sdk.deserializeProperties(struct, false)).toBe(first);
    expect(sdk.deserializeProperties(Struct.fromJavaScript({ a: 1 }), false)).not.toBe(first);
    // The server reads the decoder off the module at each call, inside its loop over policies.
    const server = readFileSync(load.resolve("@pulumi/policy/server.js"), "utf8");
    expect(server).toContain("deserialize_1.deserializeProperties(req.getProperties(), false)");
    expect(server).toContain("deserialize_1.deserializeProperties(r.getProperties(), false)");
  });

  it("revives the SDK's inputs once, frozen, so rules sharing them cannot change them", () => {
    const target = { metadata: { labels: { a: "b" } } };
    const proxy = new Proxy(target, {
      get: (obj, prop) => (prop === "__getSpecialProxyTarget" ? obj : Reflect.get(obj, prop)),
    });
    const once = revive(proxy) as { metadata: { labels: Record<string, string> } };
    expect(revive(proxy)).toBe(once);
    expect(Object.isFrozen(once.metadata.labels)).toBe(true);
    expect(() => {
      once.metadata.labels.a = "c";
    }).toThrow(TypeError);
    // Plain inputs (the tests' own) are copied each time, as before.
    expect(revive(target)).not.toBe(revive(target));
  });
});
