// Each entry point loads only its own provider packages, so a consumer installs only the optional
// peers it uses (an AWS-only program needs no @pulumi/azure-native). Each entry is loaded in a
// fresh process, since one process's module cache would hide what the second entry loads. CI runs
// this after the tests (`.ci/run`); it takes a few seconds per entry, mostly the providers' load.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/**
 * The provider peers each entry needs (beside @pulumi/pulumi), as package.json's `entryPeers` tells
 * consumers, and what the root loads: nothing until a program reads one site's component from it
 * (`root:AwsVpc`), then that site's provider only. VpnLink builds both clouds' ends of a link.
 */
const ENTRY_PEERS: Record<string, string[]> = JSON.parse(
  readFileSync(resolve(ROOT, "package.json"), "utf8"),
).entryPeers;
const EXPECTED: Record<string, string[]> = {
  ...Object.fromEntries(
    Object.entries(ENTRY_PEERS)
      .filter(([entry]) => entry !== ".")
      .map(([entry, peers]) => [entry.slice(2), peers]),
  ),
  root: [],
  "root:AwsVpc": ["@pulumi/aws"],
  "root:AzureVnet": ["@pulumi/azure-native", "@pulumi/random"],
  // The kubernetes entry, as package.json says it loads (the Load Balancer Controller's webhook certificate: @pulumi/tls).
  "root:PlacedWorkloads": ENTRY_PEERS["./kubernetes"] ?? [],
};

function loadedBy(entry: string): string[] {
  const [folder, name] = entry.startsWith("root") ? ["", entry.split(":")[1]] : [entry, undefined];
  const script = [
    `const door = require("./components/${folder}");`,
    name ? `if (typeof door.${name} !== "function") throw new Error("${name} is not a function");` : "",
    "const names = Object.keys(require.cache).map((p) => /node_modules\\/(@pulumi\\/[^/]+)/.exec(p)?.[1]).filter(Boolean);",
    "process.stdout.write(JSON.stringify([...new Set(names)].filter((n) => n !== '@pulumi/pulumi').sort()));",
  ].join("\n");
  return JSON.parse(
    execFileSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8" }),
  );
}

let failed = false;
for (const [entry, expected] of Object.entries(EXPECTED)) {
  const loaded = loadedBy(entry);
  const ok = JSON.stringify(loaded) === JSON.stringify(expected);
  failed ||= !ok;
  process.stdout.write(
    `${ok ? "ok  " : "FAIL"} hybrid-ai-infra${entry.startsWith("root") ? entry.slice(4) : `/${entry}`}: loads ${loaded.join(", ") || "no provider"}${ok ? "" : `; expected ${expected.join(", ") || "none"}`}\n`,
  );
}
process.exitCode = failed ? 1 : 0;
