// The Kueue validator is the guard of every plan's Kueue objects: it accepts what Kueue v0.19.2
// accepts, and each broken object below, one rule broken each, is refused for that rule.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kueueObjectProblems } from "../helpers/kueue-schemas";
import { changedVendoredFiles } from "../helpers/kueue-vendor";

const root = resolve(__dirname, "../..");
const problems = (yaml: string) => kueueObjectProblems(root, parse(yaml) as Record<string, unknown>);

describe("the vendored Kueue release", () => {
  it("is byte for byte the pinned release's files (SHA256SUMS)", () => {
    expect(changedVendoredFiles(root)).toEqual([]);
  });
});

describe("the Kueue object validator", () => {
  it("accepts the examples written from Kueue's documentation (queues, MultiKueue manager and worker)", () => {
    for (const file of ["queues.yaml", "multikueue-manager.yaml", "multikueue-worker.yaml"]) {
      const docs = parseAllDocuments(readFileSync(resolve(__dirname, "fixtures", file), "utf8"));
      const objects = docs.map((d) => d.toJS() as Record<string, unknown>);
      const kueue = objects.filter((o) => String(o.apiVersion).startsWith("kueue.x-k8s.io/"));
      expect(kueue.length).toBeGreaterThan(0);
      for (const o of kueue) expect(kueueObjectProblems(root, o), `${file} ${String(o.kind)}`).toEqual([]);
    }
  });

  const broken: [string, string, RegExp][] = [
    [
      "an unknown field (v1beta1's cohort on a v1beta2 ClusterQueue)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: x}
spec: {cohort: dc1}`,
      /must NOT have additional properties.*cohort/,
    ],
    [
      "a borrowing limit without a cohort (CEL)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: x}
spec:
  resourceGroups:
  - coveredResources: [cpu]
    flavors: [{name: f, resources: [{name: cpu, nominalQuota: "4", borrowingLimit: "2"}]}]`,
      /borrowingLimit must be nil when cohort is empty/,
    ],
    [
      "a priority class without its value (required)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: WorkloadPriorityClass
metadata: {name: p}
description: no value`,
      /must have required property 'value'/,
    ],
    [
      "an admission check parameter kind outside the RE2 pattern",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: AdmissionCheck
metadata: {name: a}
spec:
  controllerName: kueue.x-k8s.io/multikueue
  parameters: {apiGroup: kueue.x-k8s.io, kind: Multi_KueueConfig, name: x}`,
      /parameters\/kind: must match pattern/,
    ],
    [
      "a flavor-fungibility preference without TryNextFlavor (CEL)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: y}
spec:
  cohortName: dc1
  flavorFungibility: {preference: BorrowingOverPreemption}`,
      /preference/,
    ],
    [
      "a MultiKueueConfig naming one cluster twice (CEL)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: MultiKueueConfig
metadata: {name: m}
spec: {clusters: [a, a]}`,
      /unique|duplicate/i,
    ],
    [
      "an Exists toleration with a value (CEL)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: r}
spec:
  tolerations: [{key: k, operator: Exists, value: v, effect: NoSchedule}]`,
      /value must be empty when 'operator' is 'Exists'/,
    ],
    [
      "a v1beta1 object (served, deprecated; the library writes v1beta2)",
      `apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata: {name: z}
spec: {cohort: dc1}`,
      /writes kueue.x-k8s.io\/v1beta2 only/,
    ],
    [
      "a flavor listing the covered resources out of order (ClusterQueue webhook)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ClusterQueue
metadata: {name: q}
spec:
  resourceGroups:
  - coveredResources: [cpu, memory]
    flavors: [{name: f, resources: [{name: memory, nominalQuota: 1Gi}, {name: cpu, nominalQuota: "1"}]}]`,
      /are not the covered cpu,memory/,
    ],
    [
      "a LocalQueue name longer than the label that names it (63)",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: ${"q".repeat(64)}, namespace: team}
spec: {clusterQueue: cq}`,
      /not a DNS label of at most 63/,
    ],
    [
      "a label value longer than 63 characters",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: ResourceFlavor
metadata: {name: r, labels: {team: ${"v".repeat(64)}}}`,
      /is not a label value/,
    ],
    [
      "a namespaced kind without its namespace",
      `apiVersion: kueue.x-k8s.io/v1beta2
kind: LocalQueue
metadata: {name: q}
spec: {clusterQueue: cq}`,
      /metadata.namespace: missing/,
    ],
  ];
  it.each(broken)("refuses %s", (_what, yaml, expected) => {
    const found = problems(yaml);
    expect(found.join("\n")).toMatch(expected);
  });
});
