// The queue rules, each shown to pass the shapes the library renders and to report the one it guards.
import { describe, expect, it } from "vitest";
import { queuesBatchJobsQueued, queuesRestrictedNeverBursts } from "../../policies/rules/queues";
import { resource, stackViolations } from "./evaluate";

const KUEUE = "kubernetes:kueue.x-k8s.io/v1beta2:";
const job = (name: string, namespace: string, labels: Record<string, string>, classification = "internal") =>
  resource("kubernetes:batch/v1:Job", name, {
    metadata: {
      name,
      namespace,
      labels: { "hybrid-ai-infra.io/data-classification": classification, ...labels },
    },
    spec: {
      template: { metadata: { labels: { "hybrid-ai-infra.io/data-classification": classification } } },
    },
  });
const localQueue = (name: string, namespace: string, clusterQueue: string) =>
  resource(`${KUEUE}LocalQueue`, `${namespace}-${name}`, {
    metadata: { name, namespace },
    spec: { clusterQueue },
  });
const burst = [
  resource(`${KUEUE}AdmissionCheck`, "burst-eks", {
    metadata: { name: "burst-eks" },
    spec: { controllerName: "kueue.x-k8s.io/multikueue", parameters: { name: "burst-eks" } },
  }),
  resource(`${KUEUE}ClusterQueue`, "research-burst-eks", {
    metadata: { name: "research-burst-eks" },
    spec: { admissionChecksStrategy: { admissionChecks: [{ name: "burst-eks" }] } },
  }),
  resource(`${KUEUE}ClusterQueue`, "research", {
    metadata: { name: "research" },
    spec: { cohortName: "dc1" },
  }),
  localQueue("burst-eks", "research", "research-burst-eks"),
  localQueue("default", "research", "research"),
];

describe("queues-batch-jobs-queued", () => {
  it("passes a queued Job, and a Job in a namespace without queues", async () => {
    const found = await stackViolations(queuesBatchJobsQueued, [
      ...burst,
      job("a", "research", { "kueue.x-k8s.io/queue-name": "default" }),
      job("b", "elsewhere", {}),
    ]);
    expect(found).toEqual([]);
  });

  it("reports a Job outside the queue of a namespace that has one", async () => {
    const found = await stackViolations(queuesBatchJobsQueued, [...burst, job("adhoc", "research", {})]);
    expect(found.map((f) => f.message)).toEqual([
      expect.stringContaining("Job research/adhoc names no LocalQueue"),
    ]);
  });
});

describe("queues-restricted-never-bursts", () => {
  it("passes restricted data in a local queue and internal data in a burst queue", async () => {
    const found = await stackViolations(queuesRestrictedNeverBursts, [
      ...burst,
      job("train", "research", { "kueue.x-k8s.io/queue-name": "default" }, "restricted"),
      job("shards", "research", { "kueue.x-k8s.io/queue-name": "burst-eks" }, "internal"),
    ]);
    expect(found).toEqual([]);
  });

  it("reports a restricted Job submitted to a queue that dispatches through MultiKueue", async () => {
    const found = await stackViolations(queuesRestrictedNeverBursts, [
      ...burst,
      job("train", "research", { "kueue.x-k8s.io/queue-name": "burst-eks" }, "restricted"),
    ]);
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /holds restricted data and is submitted to LocalQueue burst-eks, which dispatches/,
      ),
    ]);
  });
});
