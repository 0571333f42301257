// The queue rules (Kueue): per cluster and by namespace identity, each spelling of the mistake
// (both Kueue API versions and both ClusterQueue admission-check fields, *List wrappers, CronJobs
// of either batch version, the classification on the object, the pod template, the placement
// annotation or the namespace, in any casing, the queue named or defaulted by Kueue's webhook)
// fails; the shapes the library renders pass, and unknowns leave the verdict to the update.
import type { PolicyResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { queuesBatchJobsQueued, queuesRestrictedNeverBursts } from "../../policies/rules/queues";
import { judgeStack, resource, UNKNOWN_INPUT } from "./evaluate";
import { NAMESPACE, namespace } from "./k8s-fixtures";

const LABEL = "hybrid-ai-infra.io/data-classification";
const ANNOTATION = "placement.hybrid-ai-infra.io/classification";
const QUEUE = "kueue.x-k8s.io/queue-name";
const DC1 = "urn:pulumi:prod::p::pulumi:providers:kubernetes::dc1";
const EKS = "urn:pulumi:prod::p::pulumi:providers:kubernetes::eks";
const kueue = (version: string, kind: string) => `kubernetes:kueue.x-k8s.io/${version}:${kind}`;

interface Spelling {
  /** Kueue's API version. */
  version: "v1beta1" | "v1beta2";
  /** A ClusterQueue's admission checks: v1beta2's strategy or v1beta1's plain list. */
  checks: "strategy" | "plain";
  /** LocalQueues declared in one LocalQueueList. */
  listed: boolean;
}
const SPELLINGS: Spelling[] = [
  { version: "v1beta2", checks: "strategy", listed: false },
  { version: "v1beta1", checks: "plain", listed: false },
  { version: "v1beta1", checks: "strategy", listed: true },
];

/**
 * One cluster's queues as the library renders them: a namespace `research`, a ClusterQueue that
 * bursts through MultiKueue and one that does not; LocalQueue `burst-eks` on the first and
 * `default` on `defaultTo`.
 */
function cluster(provider: string, s: Spelling = SPELLINGS[0] as Spelling, defaultTo = "research") {
  const ns = resource(NAMESPACE, `${provider}-research`, namespace("research"), { provider });
  const opts = { provider, dependencies: [ns] };
  const localQueue = (name: string, clusterQueue: unknown) => ({
    metadata: { name, namespace: "research" },
    spec: { clusterQueue },
  });
  const queues = [localQueue("burst-eks", "research-burst-eks"), localQueue("default", defaultTo)];
  return {
    ns,
    resources: [
      ns,
      resource(
        kueue(s.version, "AdmissionCheck"),
        `${provider}-burst`,
        {
          metadata: { name: "burst-eks" },
          spec: { controllerName: "kueue.x-k8s.io/multikueue", parameters: { name: "burst-eks" } },
        },
        { provider },
      ),
      resource(
        kueue(s.version, "ClusterQueue"),
        `${provider}-research-burst-eks`,
        {
          metadata: { name: "research-burst-eks" },
          spec:
            s.checks === "strategy"
              ? { admissionChecksStrategy: { admissionChecks: [{ name: "burst-eks" }] } }
              : { admissionChecks: ["burst-eks"] },
        },
        { provider },
      ),
      resource(
        kueue(s.version, "ClusterQueue"),
        `${provider}-research`,
        { metadata: { name: "research" }, spec: { cohortName: "dc1" } },
        { provider },
      ),
      ...(s.listed
        ? [resource(`${kueue(s.version, "LocalQueue")}List`, `${provider}-queues`, { items: queues }, opts)]
        : queues.map((q) =>
            resource(kueue(s.version, "LocalQueue"), `${provider}-${q.metadata.name}`, q, opts),
          )),
    ],
  };
}

interface JobArgs {
  /** The queue-name label on the Job (absent: none). */
  queue?: unknown;
  /** The classification label on the Job and its pod template. */
  level?: string;
  /** Labels of the pod template only. */
  templateLabels?: Record<string, string>;
  annotations?: Record<string, string>;
  kind?: "Job" | "CronJob" | "CronJobV1beta1" | "JobList";
}

/** A Job (or CronJob, or a JobList holding it) in `research` of `provider`'s cluster. */
function job(name: string, provider: string, ns: PolicyResource, a: JobArgs = {}): PolicyResource {
  const labels = {
    ...(a.level ? { [LABEL]: a.level } : {}),
    ...(a.queue !== undefined ? { [QUEUE]: a.queue } : {}),
  };
  const template = {
    metadata: { labels: { ...(a.level ? { [LABEL]: a.level } : {}), ...a.templateLabels } },
    spec: { restartPolicy: "Never", containers: [{ name: "train", image: "registry.example/train:1.0" }] },
  };
  const meta = { name, namespace: "research", labels, annotations: a.annotations ?? {} };
  const opts = { provider, dependencies: [ns] };
  switch (a.kind ?? "Job") {
    case "Job":
      return resource("kubernetes:batch/v1:Job", name, { metadata: meta, spec: { template } }, opts);
    case "JobList":
      return resource(
        "kubernetes:batch/v1:JobList",
        name,
        { items: [{ metadata: meta, spec: { template } }] },
        opts,
      );
    default:
      return resource(
        a.kind === "CronJob" ? "kubernetes:batch/v1:CronJob" : "kubernetes:batch/v1beta1:CronJob",
        name,
        {
          metadata: { name, namespace: "research", annotations: a.annotations ?? {} },
          spec: { schedule: "0 2 * * *", jobTemplate: { metadata: { labels }, spec: { template } } },
        },
        opts,
      );
  }
}

const messages = async (rule: typeof queuesBatchJobsQueued, resources: PolicyResource[]) => {
  const verdict = await judgeStack(rule, resources);
  return { found: verdict.violations.map((v) => v.message), undecided: verdict.undecided };
};

describe("queues-restricted-never-bursts", () => {
  for (const s of SPELLINGS) {
    const tag = `Kueue ${s.version}, ${s.checks} admission checks${s.listed ? ", LocalQueueList" : ""}`;
    const dc1 = cluster(DC1, s);

    it(`passes the library's shapes (${tag}): restricted in the local queue, internal bursting`, async () => {
      const { found, undecided } = await messages(queuesRestrictedNeverBursts, [
        ...dc1.resources,
        job("train", DC1, dc1.ns, { level: "restricted", queue: "default" }),
        job("shards", DC1, dc1.ns, { level: "internal", queue: "burst-eks" }),
        job("nightly", DC1, dc1.ns, { level: "restricted", queue: "default", kind: "CronJob" }),
      ]);
      expect(found).toEqual([]);
      expect(undecided).toBeUndefined();
    });

    const failing: [string, JobArgs, string][] = [
      [
        "labelled restricted",
        { level: "restricted", queue: "burst-eks" },
        "submitted to LocalQueue burst-eks",
      ],
      ["labelled in capitals", { level: "Restricted", queue: "burst-eks" }, "holds restricted data"],
      [
        "restricted on the pod template only",
        { queue: "burst-eks", templateLabels: { [LABEL]: "restricted" } },
        "holds restricted data",
      ],
      [
        "restricted by the placement annotation, the label saying internal",
        { level: "internal", queue: "burst-eks", annotations: { [ANNOTATION]: "restricted" } },
        "holds restricted data",
      ],
      [
        "a CronJob's job template",
        { level: "restricted", queue: "burst-eks", kind: "CronJob" },
        "CronJob research/",
      ],
      [
        "a batch/v1beta1 CronJob",
        { level: "restricted", queue: "burst-eks", kind: "CronJobV1beta1" },
        "CronJob research/",
      ],
      [
        "a Job inside a JobList",
        { level: "restricted", queue: "burst-eks", kind: "JobList" },
        "holds restricted",
      ],
    ];
    for (const [what, args, expected] of failing)
      it(`fails ${what} submitted to a MultiKueue queue (${tag})`, async () => {
        const { found } = await messages(queuesRestrictedNeverBursts, [
          ...dc1.resources,
          job("train", DC1, dc1.ns, args),
        ]);
        expect(found).toEqual([expect.stringContaining(expected)]);
        expect(found[0]).toContain("dispatches to other clusters");
      });

    it(`fails an unlabelled restricted Job that Kueue defaults to a bursting default queue (${tag})`, async () => {
      const bursting = cluster(DC1, s, "research-burst-eks");
      const { found } = await messages(queuesRestrictedNeverBursts, [
        ...bursting.resources,
        job("train", DC1, bursting.ns, { level: "restricted" }),
      ]);
      expect(found).toEqual([expect.stringContaining("defaulted by Kueue to LocalQueue default")]);
    });
  }

  it("fails a Job whose namespace is labelled restricted, the Job itself saying nothing", async () => {
    const ns = resource(NAMESPACE, "dc1-research", namespace("research", "restricted"), { provider: DC1 });
    const dc1 = cluster(DC1);
    const resources = [ns, ...dc1.resources.slice(1)].map((r) =>
      (r as { dependencies: PolicyResource[] }).dependencies.includes(dc1.ns)
        ? Object.assign(r, { dependencies: [ns] })
        : r,
    );
    const { found } = await messages(queuesRestrictedNeverBursts, [
      ...resources,
      job("train", DC1, ns, { queue: "burst-eks" }),
    ]);
    expect(found).toEqual([expect.stringContaining("holds restricted data")]);
  });

  it("matches queues per cluster: the same names bursting in another cluster do not count", async () => {
    const dc1 = cluster(DC1);
    // In dc1 the queue named burst-eks does not burst; in eks a queue of that name does.
    const local = dc1.resources.map((r) =>
      r.name === `${DC1}-research-burst-eks`
        ? Object.assign(r, { props: { metadata: { name: "research-burst-eks" }, spec: {} } })
        : r,
    );
    const eks = cluster(EKS);
    const { found } = await messages(queuesRestrictedNeverBursts, [
      ...local,
      ...eks.resources,
      job("train", DC1, dc1.ns, { level: "restricted", queue: "burst-eks" }),
    ]);
    expect(found).toEqual([]);
  });

  it("leaves the verdict to the update when the queue's ClusterQueue or the Job's queue is not known", async () => {
    const dc1 = cluster(DC1);
    const pending = dc1.resources.map((r) =>
      r.name === `${DC1}-burst-eks`
        ? Object.assign(r, {
            props: {
              metadata: { name: "burst-eks", namespace: "research" },
              spec: { clusterQueue: UNKNOWN_INPUT },
            },
          })
        : r,
    );
    const a = await messages(queuesRestrictedNeverBursts, [
      ...pending,
      job("train", DC1, dc1.ns, { level: "restricted", queue: "burst-eks" }),
    ]);
    expect(a.found).toEqual([]);
    expect(a.undecided).toContain("ClusterQueue");
    const b = await messages(queuesRestrictedNeverBursts, [
      ...cluster(DC1).resources,
      job("train", DC1, dc1.ns, { level: "restricted", queue: UNKNOWN_INPUT }),
    ]);
    expect(b.found).toEqual([]);
    expect(b.undecided).toContain(QUEUE);
  });
});

describe("queues-batch-jobs-queued", () => {
  for (const s of SPELLINGS) {
    const tag = `Kueue ${s.version}${s.listed ? ", LocalQueueList" : ""}`;
    const dc1 = cluster(DC1, s);

    it(`passes Jobs and CronJobs that name a queue (${tag})`, async () => {
      const { found } = await messages(queuesBatchJobsQueued, [
        ...dc1.resources,
        job("a", DC1, dc1.ns, { queue: "default" }),
        job("b", DC1, dc1.ns, { queue: "default", kind: "CronJob" }),
        job("c", DC1, dc1.ns, { queue: "default", kind: "JobList" }),
      ]);
      expect(found).toEqual([]);
    });

    const failing: [string, JobArgs, string][] = [
      ["a Job with no queue", {}, "Job research/train names no LocalQueue"],
      [
        "the queue on the pod template only (Kueue reads the Job's)",
        { templateLabels: { [QUEUE]: "default" } },
        "names no LocalQueue",
      ],
      ["an empty queue name", { queue: "" }, "names no LocalQueue"],
      ["a CronJob with no queue on its job template", { kind: "CronJob" }, "CronJob research/train"],
      ["a batch/v1beta1 CronJob", { kind: "CronJobV1beta1" }, "CronJob research/train"],
      ["a Job inside a JobList", { kind: "JobList" }, "names no LocalQueue"],
    ];
    for (const [what, args, expected] of failing)
      it(`fails ${what} (${tag})`, async () => {
        const { found } = await messages(queuesBatchJobsQueued, [
          ...dc1.resources,
          job("train", DC1, dc1.ns, args),
        ]);
        expect(found).toEqual([expect.stringContaining(expected)]);
      });
  }

  it("matches per cluster: a namespace of the same name with queues in another cluster does not count", async () => {
    const eks = cluster(EKS);
    const ns = resource(NAMESPACE, "dc1-research", namespace("research"), { provider: DC1 });
    const { found } = await messages(queuesBatchJobsQueued, [...eks.resources, ns, job("adhoc", DC1, ns)]);
    expect(found).toEqual([]);
  });

  it("leaves the verdict to the update while a LocalQueue's namespace is not known", async () => {
    const ns = resource(NAMESPACE, "dc1-research", namespace("research"), { provider: DC1 });
    const queue = resource(
      kueue("v1beta2", "LocalQueue"),
      "dc1-default",
      { metadata: { name: "default", namespace: UNKNOWN_INPUT }, spec: { clusterQueue: "research" } },
      { provider: DC1 },
    );
    const { found, undecided } = await messages(queuesBatchJobsQueued, [ns, queue, job("adhoc", DC1, ns)]);
    expect(found).toEqual([]);
    expect(undecided).toContain("queues");
  });
});
