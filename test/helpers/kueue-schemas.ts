// Kueue objects checked as the API server and Kueue's webhooks check them at the pinned release:
// the vendored CRD's structural schema (types, enums, RE2 patterns, lengths, required fields; an
// unknown field is an error here, where the API server would prune it without a word), its CEL
// rules (x-kubernetes-validations, except the transition rules an update alone runs), the API
// server's name and label rules, and the ClusterQueue webhook's checks no schema can express.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { evaluate } from "@marcbachmann/cel-js";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { RE2 } from "re2-wasm";
import { parse } from "yaml";
import { KUEUE_API_GROUP } from "../../components/facts";
import { vendoredCrdDir } from "./kueue-vendor";

type Schema = Record<string, unknown>;
type Json = Record<string, unknown>;

/** The vendored CRD file of each kind. */
const FILES: Record<string, string> = {
  AdmissionCheck: "admissionchecks",
  ClusterQueue: "clusterqueues",
  Cohort: "cohorts",
  LocalQueue: "localqueues",
  MultiKueueCluster: "multikueueclusters",
  MultiKueueConfig: "multikueueconfigs",
  ProvisioningRequestConfig: "provisioningrequestconfigs",
  ResourceFlavor: "resourceflavors",
  Topology: "topologies",
  WorkloadPriorityClass: "workloadpriorityclasses",
  Workload: "workloads",
};

/** The version the library writes; v1beta1 is served but deprecated, and refused here. */
const VERSION = "v1beta2";

/**
 * Every object schema that lists its properties and keeps no open map is closed: the API server
 * prunes an unknown field silently under the default field validation, so a typo (v1beta1's
 * `cohort` on a v1beta2 ClusterQueue) would vanish in a real apply. Here it is an error.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const s = schema as Schema;
  const out: Schema = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, closed(v)]));
  if (
    s.type === "object" &&
    s.properties &&
    s.additionalProperties === undefined &&
    !s["x-kubernetes-preserve-unknown-fields"]
  )
    out.additionalProperties = false;
  return out;
}

// CRD patterns are Go RE2: AdmissionCheck's `^(?i)[a-z]...` is an inline flag JavaScript's RegExp
// refuses (a plain Ajv compile of that CRD throws). Match them with RE2 itself.
const re2 = Object.assign((pattern: string, flags?: string) => new RE2(pattern, flags ?? "u"), {
  code: "new RE2(p, f)",
});

const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, code: { regExp: re2 } });
addFormats(ajv);
ajv.addFormat("int32", {
  type: "number",
  validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
});
ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });

interface Compiled {
  schema: Schema;
  validate: ValidateFunction;
  scope: string;
}
const compiled = new Map<string, Compiled>();

/** The kind's v1beta2 schema, compiled on first use (the Workload CRD alone is 1.4 MB of YAML). */
function compiledFor(root: string, kind: string): Compiled | undefined {
  const file = FILES[kind];
  if (!file) return undefined;
  const found = compiled.get(kind);
  if (found) return found;
  const crd = parse(readFileSync(join(vendoredCrdDir(root), `${KUEUE_API_GROUP}_${file}.yaml`), "utf8")) as {
    spec: { scope: string; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === VERSION);
  if (!version) throw new Error(`the vendored ${kind} CRD serves no ${VERSION}`);
  const schema = version.schema.openAPIV3Schema;
  const entry = { schema, validate: ajv.compile(closed(schema) as Schema), scope: crd.spec.scope };
  compiled.set(kind, entry);
  return entry;
}

/** Every CEL rule of the schema tree that holds for `data` (transition rules need an old object: skipped). */
function celProblems(schema: Schema | undefined, data: unknown, path: string, out: string[]): void {
  if (data === undefined || !schema) return;
  for (const rule of (schema["x-kubernetes-validations"] ?? []) as { rule: string; message?: string }[]) {
    if (rule.rule.includes("oldSelf")) continue;
    let ok: unknown;
    try {
      ok = evaluate(rule.rule, { self: data });
    } catch (e) {
      out.push(`${path || "."}: rule \`${rule.rule}\` does not evaluate: ${(e as Error).message}`);
      continue;
    }
    if (ok !== true) out.push(`${path || "."}: ${rule.message ?? rule.rule}`);
  }
  if (schema.type === "object" && data && typeof data === "object" && !Array.isArray(data)) {
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
      celProblems(sub, (data as Json)[k], `${path}.${k}`, out);
    if (schema.additionalProperties && typeof schema.additionalProperties === "object")
      for (const [k, v] of Object.entries(data))
        celProblems(schema.additionalProperties as Schema, v, `${path}.${k}`, out);
  }
  if (schema.type === "array" && Array.isArray(data))
    data.forEach((d, i) => {
      celProblems(schema.items as Schema, d, `${path}[${i}]`, out);
    });
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The API server's rules for an object's name and labels, and the stricter ones Kueue relies on. */
function metadataProblems(kind: string, scope: string, metadata: Json | undefined): string[] {
  const out: string[] = [];
  const name = String(metadata?.name ?? "");
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253)
    out.push(`metadata.name: "${name}" is not a DNS subdomain of at most 253 characters`);
  // Queues are named in Job labels (63 characters at most), and a ClusterQueue whose name is not a
  // DNS label silently loses its pod label (Kueue's reconciler.go).
  if (
    ["LocalQueue", "ClusterQueue", "WorkloadPriorityClass", "MultiKueueConfig"].includes(kind) &&
    (!DNS_LABEL.test(name) || name.length > 63)
  )
    out.push(`metadata.name: "${name}" is not a DNS label of at most 63 characters`);
  if (scope === "Namespaced" && !metadata?.namespace) out.push("metadata.namespace: missing");
  if (scope === "Cluster" && metadata?.namespace)
    out.push(`metadata.namespace: "${String(metadata.namespace)}" on a cluster-scoped kind`);
  for (const [key, value] of Object.entries((metadata?.labels ?? {}) as Record<string, string>)) {
    const [prefix, base] = key.includes("/") ? key.split("/") : ["", key];
    if (!LABEL_KEY.test(key) || (base ?? "").length > 63 || (prefix ?? "").length > 253)
      out.push(`metadata.labels: "${key}" is not a label key`);
    if (!LABEL_VALUE.test(value) || value.length > 63)
      out.push(`metadata.labels.${key}: "${value}" is not a label value of at most 63 characters`);
  }
  return out;
}

/** Kubernetes quantities in canonical units, compared as numbers (enough for the limits below). */
function quantity(q: unknown): number {
  const text = String(q);
  const m = text.match(/^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/);
  if (!m) return Number.NaN;
  const scale: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(m[1]) * (m[2] ? (scale[m[2]] ?? Number.NaN) : 1);
}

interface ResourceQuota {
  name: string;
  nominalQuota: unknown;
  borrowingLimit?: unknown;
  lendingLimit?: unknown;
}

/**
 * The ClusterQueue webhook's checks (pkg/webhooks/clusterqueue_webhook.go): every flavor lists the
 * covered resources in their order; a resource and a flavor belong to one group; quantities are not
 * negative; a lending limit stays within the nominal quota.
 */
function clusterQueueWebhookProblems(spec: Json | undefined): string[] {
  const out: string[] = [];
  const groups = (spec?.resourceGroups ?? []) as {
    coveredResources: string[];
    flavors: { name: string; resources: ResourceQuota[] }[];
  }[];
  const resources = new Set<string>();
  const flavors = new Set<string>();
  groups.forEach((g, i) => {
    for (const r of g.coveredResources) {
      if (resources.has(r)) out.push(`spec.resourceGroups[${i}]: resource ${r} is in two groups`);
      resources.add(r);
    }
    g.flavors.forEach((f, j) => {
      const at = `spec.resourceGroups[${i}].flavors[${j}]`;
      if (flavors.has(f.name)) out.push(`${at}: flavor ${f.name} is in two groups`);
      flavors.add(f.name);
      const names = f.resources.map((r) => r.name);
      if (names.join(",") !== g.coveredResources.join(","))
        out.push(`${at}: resources ${names.join(",")} are not the covered ${g.coveredResources.join(",")}`);
      for (const r of f.resources) {
        const nominal = quantity(r.nominalQuota);
        if (!(nominal >= 0)) out.push(`${at}.${r.name}: nominalQuota ${String(r.nominalQuota)} is negative`);
        if (r.lendingLimit !== undefined && quantity(r.lendingLimit) > nominal)
          out.push(`${at}.${r.name}: lendingLimit exceeds nominalQuota`);
        if ((r.lendingLimit !== undefined || r.borrowingLimit !== undefined) && !spec?.cohortName)
          out.push(`${at}.${r.name}: borrowing and lending limits need a cohortName`);
      }
    });
  });
  return out;
}

/** The object's apiVersion and kind, from its inputs or from a Pulumi type token `kubernetes:<apiVersion>:<kind>`. */
export function kueueObjectOf(type: string, inputs: Json): Json | undefined {
  const [, apiVersion = "", kind = ""] = type.split(":");
  if (!apiVersion.startsWith(`${KUEUE_API_GROUP}/`)) return undefined;
  return { ...inputs, apiVersion: inputs.apiVersion ?? apiVersion, kind: inputs.kind ?? kind };
}

/**
 * The problems of one Kueue object (`kueue.x-k8s.io/*`), each naming its field; empty when the API
 * server and Kueue's webhooks at the pinned release would accept it on create.
 */
export function kueueObjectProblems(root: string, object: Json): string[] {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  if (apiVersion !== `${KUEUE_API_GROUP}/${VERSION}`)
    return [`apiVersion ${apiVersion}: the library writes ${KUEUE_API_GROUP}/${VERSION} only`];
  const entry = compiledFor(root, kind);
  if (!entry) return [`no vendored CRD for ${kind}`];
  const copy = structuredClone(object);
  const out: string[] = [];
  if (!entry.validate(copy))
    for (const e of entry.validate.errors ?? [])
      out.push(`${e.instancePath || "."}: ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`);
  // Defaults are in place now (useDefaults), as the API server applies them before its CEL rules.
  celProblems(entry.schema, copy, "", out);
  out.push(...metadataProblems(kind, entry.scope, object.metadata as Json | undefined));
  if (kind === "ClusterQueue") out.push(...clusterQueueWebhookProblems(object.spec as Json | undefined));
  return out;
}
