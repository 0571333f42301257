// The vendored Kueue release (test/crds/kueue/<version>): its files, checked against SHA256SUMS, and
// the CRDs the library ships derived from them.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { KUEUE_VERSION } from "../../components/facts";

type Json = Record<string, unknown>;

/** The vendored release's folder. */
export function vendoredDir(root: string): string {
  return join(root, "test", "crds", "kueue", KUEUE_VERSION);
}

/** The folder of the vendored CRDs. */
export function vendoredCrdDir(root: string): string {
  return join(vendoredDir(root), "crds");
}

/** Files whose SHA-256 differs from SHA256SUMS (empty when every vendored file is the release's). */
export function changedVendoredFiles(root: string): string[] {
  const dir = vendoredDir(root);
  return readFileSync(join(dir, "SHA256SUMS"), "utf8")
    .trim()
    .split("\n")
    .flatMap((line) => {
      const [sum, file] = line.split(/\s+/);
      if (!sum || !file) return [];
      const actual = createHash("sha256")
        .update(readFileSync(join(dir, file)))
        .digest("hex");
      return actual === sum ? [] : [file];
    });
}

/** Every vendored CRD as parsed YAML, by file name order. */
export function vendoredCrds(dir: string): Json[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), "utf8")) as Json);
}

/** The release's other install objects (the rendered manifest without its CRDs). */
export function vendoredInstallObjects(root: string): Json[] {
  const text = readFileSync(join(vendoredDir(root), "install", "objects.yaml"), "utf8");
  return parseAllDocuments(text).map((d) => d.toJS() as Json);
}

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      // A schema's documentation is a string; a property named "description" is a schema object.
      .filter(([k, v]) => !(k === "description" && typeof v === "string"))
      .map(([k, v]) => [k, withoutDescriptions(v)]),
  );
}

/**
 * The CRDs the library ships: the release's, the Workload CRD without descriptions (two thirds of
 * its 1.4 MB; they serve only `kubectl explain`, and Kueue, not users, writes Workloads).
 */
export function shippedCrds(dir: string): Json[] {
  return vendoredCrds(dir).map((crd) =>
    (crd.metadata as { name?: string }).name === "workloads.kueue.x-k8s.io"
      ? (withoutDescriptions(crd) as Json)
      : crd,
  );
}
