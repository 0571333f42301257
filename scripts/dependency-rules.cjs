// The library's dependency rules, checked by dependency-cruiser in `npm run lint`
// (npx depcruise --config scripts/dependency-rules.cjs components stacks scripts test bench).
// Biome's project rules (noImportCycles) resolved into node_modules' type declarations and made
// the lint take half a minute; dependency-cruiser reads only our files and stops at node_modules.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No import cycles. Like Biome's noImportCycles (ignoreTypes), an `import type` cuts a cycle: the compiler removes it.",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "pulumi-free-folders-stay-pulumi-free",
      severity: "error",
      comment:
        "components/placement, facts, validation, monitoring and traffic never load Pulumi, not even through another folder: the placement engine and the plan's usage and traffic views run without it.",
      from: { path: "^components/(placement|facts|validation|monitoring|traffic)/" },
      to: { path: "(^|/)node_modules/@pulumi/", reachable: true },
    },
    {
      name: "aws-entry-without-kubernetes",
      severity: "error",
      comment:
        "hybrid-ai-infra/aws needs @pulumi/aws alone: its modules never reach @pulumi/kubernetes or components/kubernetes, not even through another folder or a type (issue 19.25; scripts/consumer-check.sh compiles an AWS-only consumer).",
      from: { path: "^components/aws/" },
      to: { path: ["(^|/)node_modules/@pulumi/kubernetes/", "^components/kubernetes/"], reachable: true },
    },
    {
      name: "one-door-per-folder",
      severity: "error",
      comment:
        "A folder under components/ is entered only through its doors: index.ts (what the package publishes) or internal.ts (what the library's other folders and the reference stacks compose from, never published).",
      from: { path: "^(components/([^/]+)|stacks|scripts)" },
      to: {
        path: "^components/[^/]+/",
        pathNot: ["^components/$2/", "^components/[^/]+/(index|internal)\\.ts$"],
      },
    },
    {
      name: "one-door-per-stacks-folder",
      severity: "error",
      comment:
        "The reference program's folders (config, sites, joins, cluster) are entered only through their index.ts too.",
      from: { path: "^stacks/([^/]+)/" },
      to: {
        path: "^stacks/[^/]+/",
        pathNot: ["^stacks/$1/", "^stacks/[^/]+/index\\.ts$"],
      },
    },
    {
      name: "library-stays-a-library",
      severity: "error",
      comment:
        "The published package is components/ alone: it never imports the stacks, the scripts, the tests or the benchmarks.",
      from: { path: "^components/" },
      to: { path: "^(stacks|scripts|test|bench)/" },
    },
  ],
  options: {
    // Resolve imports into node_modules (so a rule can name @pulumi/*), but never read them.
    doNotFollow: { path: "node_modules" },
    // Parse TypeScript as written, so `import type` counts where a rule asks for it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // A run that finds every file unchanged (by content) reuses the last result.
    cache: { folder: "node_modules/.cache/dependency-cruiser", strategy: "content" },
  },
};
