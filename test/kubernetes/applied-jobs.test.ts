// An applied Job stays where it runs (issue 24, point 4). Its object is per cluster: a Job that
// placement moved to another cluster would be a new resource there, and the update would delete the
// running one (a training run killed, a finished one run again). So an update never moves it.
import { Provider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ConfigError,
  decidePlacement,
  PlacedWorkloads,
  type WorkloadSpec,
} from "../../components/kubernetes";
import type { PlacementLock, PlacementResult, Target } from "../../components/placement";
import { startMocks } from "../helpers/mocks";

beforeAll(async () => {
  await startMocks();
});

/** Two private clusters with one CPU pool each; `b` is five times cheaper. */
function site(name: string, pricePerNodeHour: number, maxNodes = 4): Target {
  return {
    name,
    cloud: "onprem",
    region: "fra",
    jurisdiction: "EU",
    trust: "private",
    pools: [
      {
        name: "cpu",
        node: { cpu: 4, memoryGiB: 16 },
        maxNodes,
        pricePerNodeHour,
        labels: { "hybrid-ai-infra.io/pool": "cpu" },
      },
    ],
  };
}
const targets = [site("a", 5), site("b", 1)];

const spec = (name: string, kind: WorkloadSpec["kind"], over: Partial<WorkloadSpec> = {}): WorkloadSpec => ({
  name,
  kind,
  replicas: 2,
  cpu: 2,
  memoryGiB: 4,
  classification: "internal",
  image: `registry.internal.test/ml/${name}:1.0.0`,
  owner: "ml",
  ...over,
});

/** The previous decision: everything on `a`, the pricier cluster. */
const onA = (...names: string[]): PlacementLock => ({
  version: 1,
  assignments: names.map((workload) => ({ workload, target: "a", pool: "cpu", replicas: 2 })),
});

const where = (result: Awaited<ReturnType<typeof decidePlacement>>, workload: string) =>
  result.assignments.filter((a) => a.workload === workload).map((a) => `${a.target}/${a.pool}`);

describe("an applied Job stays where it runs", () => {
  it("keeps a batch and a training Job on their cluster when a cheaper one appears; a service moves", async () => {
    const result = await decidePlacement("test", {
      workloads: [spec("etl", "batch"), spec("tune", "training"), spec("api", "service")],
      targets,
      previous: onA("etl", "tune", "api"),
    });
    expect(where(result, "etl")).toEqual(["a/cpu"]);
    expect(where(result, "tune")).toEqual(["a/cpu"]);
    // Said as a hold, not as a pin the catalog never had.
    expect(result.explanations.etl?.reason).toMatch(
      /^held on a\/cpu, where the applied Job runs until its next run; kept where the lock put it/,
    );
    expect(result.explanations.etl?.rejected).toContainEqual({
      candidate: "b",
      reason:
        "held on a/cpu, where the applied Job runs until its next run; b is another target; no capacity change can fix this",
      rule: "pin",
      code: "UnschedulableAndUnresolvable",
    });
    // Not a Job: a move is a rolling update on the new cluster, so placement may make it.
    expect(where(result, "api")).toEqual(["b/cpu"]);
  });

  it("explains a held Job by the rules that keep it off the other candidates, and the hold where none does", async () => {
    const cloud: Target = { ...site("cloud", 0.5), cloud: "aws", region: "eu-west-1", trust: "public" };
    const result = await decidePlacement("test", {
      workloads: [spec("etl", "batch", { classification: "restricted" })],
      targets: [...targets, cloud],
      previous: onA("etl"),
    });
    expect(where(result, "etl")).toEqual(["a/cpu"]);
    expect(result.explanations.etl?.rejected.map((r) => [r.candidate, r.rule])).toEqual([
      ["b", "pin"],
      ["cloud", "trust"],
    ]);
  });

  it("places a Job freely on its first update, and where its pin says", async () => {
    const first = await decidePlacement("test", { workloads: [spec("etl", "batch")], targets });
    expect(where(first, "etl")).toEqual(["b/cpu"]);
    const pinned = await decidePlacement("test", {
      workloads: [spec("etl", "batch", { pin: "b" })],
      targets,
      previous: onA("etl"),
    });
    expect(where(pinned, "etl")).toEqual(["b/cpu"]);
  });

  it("lets a new run start anywhere, when the catalog the lock was made for says the run changed", async () => {
    const result = await decidePlacement("test", {
      workloads: [spec("etl", "batch", { run: 2 })],
      targets,
      previous: onA("etl"),
      previousWorkloads: [spec("etl", "batch")],
    });
    expect(where(result, "etl")).toEqual(["b/cpu"]);
  });

  it("places a Job whose cluster is gone anywhere, without a config error", async () => {
    const result = await decidePlacement("test", {
      workloads: [spec("etl", "batch")],
      targets: [site("b", 1)],
      previous: onA("etl"),
    });
    expect(where(result, "etl")).toEqual(["b/cpu"]);
  });

  it("says why when the Job's cluster cannot hold it any more, and how to move it", async () => {
    const error = await decidePlacement("catalog", {
      workloads: [spec("etl", "batch", { replicas: 3, cpu: 3 })],
      targets: [site("a", 5, 1), site("b", 1)],
      previous: onA("etl"),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain("etl");
    expect(message).toContain("a Job the previous decision put on a/cpu");
    expect(message).toContain("pin");
  });

  it("refuses a decision handed in (the cluster phase) that moves an applied Job", () => {
    const moved: PlacementResult = {
      assignments: [{ workload: "etl", target: "b", pool: "cpu", replicas: 2 }],
      unplaced: [],
      packing: [],
      cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
      explanations: {},
      lock: { version: 1, assignments: [{ workload: "etl", target: "b", pool: "cpu", replicas: 2 }] },
      solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
    };
    expect(
      () =>
        new PlacedWorkloads("held", {
          clusters: targets.map((t) => ({
            placementTarget: t,
            kubernetesProvider: new Provider(`held-${t.name}`, {
              kubeconfig: pulumi.secret("apiVersion: v1"),
            }),
          })),
          workloads: [spec("etl", "batch")],
          decision: moved,
          previous: onA("etl"),
        }),
    ).toThrow(
      "puts etl on b/cpu: held on a/cpu, where the applied Job runs until its next run; b is another target",
    );
  });
});
