import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");

describe("the package", () => {
  it("exports from its root door every component and function the README and DESIGN.md name", () => {
    const names = [
      "AwsVpc",
      "AwsPrivateCluster",
      "AwsGpuNodeGroup",
      "AwsNodeGroup",
      "AwsEncryptedBucket",
      "AzureVnet",
      "AzurePrivateCluster",
      "AzureGpuNodePool",
      "AzureNodePool",
      "AzureEncryptedStorage",
      "OnPremCluster",
      "PlacedWorkloads",
      "place",
      "decidePlacement",
      "parseWorkloadCatalog",
      "renderPlacement",
      "ConfigError",
    ];
    // The root loads each site entry on first use with Node's require, as the compiled package
    // does: run it where require understands TypeScript (tsx's hook), not in Vitest's runner.
    const script = [
      'const door = require("./components");',
      `process.stdout.write(JSON.stringify(${JSON.stringify(names)}.map((n) => [n, typeof door[n]])));`,
    ].join("\n");
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    expect(Object.fromEntries(JSON.parse(out))).toEqual(
      Object.fromEntries(names.map((n) => [n, "function"])),
    );
  });

  it("maps the root and ./placement to compiled files with declarations", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; default: string }>;
      peerDependencies: Record<string, string>;
    };
    expect(pkg.exports["."]).toEqual({
      // Bundled per entry (scripts/bundle-declarations.mjs): only what the entry's exports reach.
      types: "./dist/types/index.d.ts",
      default: "./dist/components/index.js",
    });
    expect(pkg.exports["./placement"]?.default).toBe("./dist/components/placement/index.js");
    // Node 20 resolves @pulumi/pulumi 3.248; the peer range must include it.
    expect(pkg.peerDependencies["@pulumi/pulumi"]).toMatch(/^>=3\.\d+\.\d+ <4/);
  });

  // Which providers each entry loads is a lint rule (scripts/dependency-rules.cjs): static, cached.
  it("gives each site its own entry point, with types for every module resolution, and optional provider peers", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, { default: string } | string>;
      typesVersions: Record<string, Record<string, string[]>>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    for (const site of ["aws", "azure", "onprem", "kubernetes", "vpn", "testing", "placement"]) {
      expect(pkg.exports[`./${site}`]).toEqual({
        types: `./dist/types/${site}.d.ts`,
        default: `./dist/components/${site}/index.js`,
      });
      expect(pkg.typesVersions["*"]?.[site]).toEqual([`dist/types/${site}.d.ts`]);
    }
    for (const peer of [
      "@pulumi/aws",
      "@pulumi/azure-native",
      "@pulumi/azuread",
      "@pulumi/kubernetes",
      "@pulumi/random",
    ])
      expect(pkg.peerDependenciesMeta[peer]).toEqual({ optional: true });
  });

  it("keeps the placement engine free of Pulumi, even transitively", () => {
    const script = [
      'require("./components/placement");',
      "const loaded = Object.keys(require.cache).filter((p) => p.includes('@pulumi'));",
      "process.stdout.write(JSON.stringify(loaded));",
    ].join("\n");
    // A fresh Node with tsx's require hook (what the tsx command sets up, minus its extra process).
    const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual([]);
  });
});
