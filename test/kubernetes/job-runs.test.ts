// What an update does to an applied Job (issue 24, point 4): edits wait for the next run; a run is
// started again by raising `run`.
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { Job } from "kubernetes-models/batch/v1/Job";
import { beforeAll, describe, expect, it } from "vitest";
import { PlacedWorkloads, renderPlacement, type WorkloadSpec } from "../../components/kubernetes";
import type { PlacementResult } from "../../components/placement";
import type { Recorder } from "../../scripts/plan";
import { ofType, resolved, startMocks } from "../helpers/mocks";
import { targets } from "./fixtures";

let recorder: Recorder;
beforeAll(async () => {
  recorder = await startMocks();
});

const train = (run?: number): WorkloadSpec => ({
  name: "tune",
  kind: "training",
  replicas: 2,
  cpu: 8,
  memoryGiB: 64,
  gpu: { count: 4, models: ["A100"] },
  classification: "internal",
  image: "registry.example.com/ml/tune:1.0.0",
  owner: "ml",
  ...(run === undefined ? {} : { run }),
});
const decision: PlacementResult = {
  assignments: [{ workload: "tune", target: "dc1", pool: "a100", replicas: 2 }],
  unplaced: [],
  packing: [],
  cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
  explanations: {},
  lock: { version: 1, assignments: [{ workload: "tune", target: "dc1", pool: "a100", replicas: 2 }] },
  solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
};
const objectsOf = (w: WorkloadSpec) =>
  renderPlacement({ result: decision, workloads: [w], targets })[0]?.objects ?? [];

describe("Jobs over updates", () => {
  it("never lets an edit or a new placement replace an applied Job: Pulumi ignores its spec", async () => {
    const placed = new PlacedWorkloads("jobs", {
      clusters: targets.map((t) => ({
        placementTarget: t,
        kubernetesProvider: new Provider(`jobs-${t.name}`, { kubeconfig: pulumi.secret("apiVersion: v1") }),
      })),
      workloads: [train()],
      decision,
    });
    await resolved(placed.result);
    await recorder.settle();
    const [job] = ofType(recorder.resources, "kubernetes:batch/v1:Job").filter((r) =>
      r.name.startsWith("jobs-"),
    );
    // pulumi-kubernetes replaces a Job whose spec.template, parallelism or completions change,
    // deleting the running one first; ignored, the edit waits for the next run.
    expect(job?.ignoreChanges).toEqual(expect.arrayContaining(["spec"]));
  });

  it("starts run N as a new Job beside the old one, with quota room for both until the update deletes the old", () => {
    const first = objectsOf(train());
    const second = objectsOf(train(2));
    const job = (objects: typeof first) => {
      const j = objects.find((o) => o.kind === "Job");
      if (j?.kind !== "Job") throw new Error("no Job");
      new Job(j as never).validate();
      return j;
    };
    expect(job(first).metadata.name).toBe("tune");
    expect(job(second).metadata.name).toBe("tune-run2");
    const pods = (objects: typeof first) => {
      const q = objects.find((o) => o.kind === "ResourceQuota");
      return q?.kind === "ResourceQuota" ? Number(q.spec.hard.pods) : 0;
    };
    // Run 2's two ranks start while run 1's two still hold their place: 2 + 2 + one more.
    expect(pods(second)).toBe(5);
    expect(pods(first)).toBe(3);
  });

  it("drops the previous run's room once the catalog the lock was made for shows the run (shrink after the deletion)", () => {
    const pods = (run: number, before?: WorkloadSpec) => {
      const objects =
        renderPlacement({
          result: decision,
          workloads: [train(run)],
          targets,
          previous: { lock: decision.lock, ...(before ? { workloads: [before] } : {}) },
        })[0]?.objects ?? [];
      const q = objects.find((o) => o.kind === "ResourceQuota");
      return q?.kind === "ResourceQuota" ? Number(q.spec.hard.pods) : 0;
    };
    // The update that raises the run: run 1 is deleted at its end.
    expect(pods(2, train())).toBe(5);
    // The next one: the lock was made for run 2, so run 1 is gone.
    expect(pods(2, train(2))).toBe(3);
    // Without that catalog nothing tells when the run was raised: the room stays.
    expect(pods(2)).toBe(5);
  });
});
