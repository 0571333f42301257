// Names the API server takes (issue 24, point 5): refused by config path, one rule per kind.
import { Job } from "kubernetes-models/batch/v1/Job";
import { describe, expect, it } from "vitest";
import { ConfigError, parseCatalog, renderPlacement, type WorkloadSpec } from "../../components/kubernetes";
import { indexedJobMax, NAME_RULES, nameProblem } from "../../components/kubernetes/names";
import type { PlacementResult } from "../../components/placement";
import { targets } from "./fixtures";

const catalog = (entry: string) => `workloads:
  - ${entry}
    owner: web
    image: registry.example.com/web/app:1.0.0
    cpu: 1
    memoryGiB: 1
    classification: internal
`;
const issuesOf = (text: string) => {
  try {
    parseCatalog(text);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
};

describe("names the API server takes", () => {
  it("refuses a service named with a leading digit, which Service names (DNS-1035) cannot have", () => {
    const issues = issuesOf(
      catalog(`name: 1web
    kind: service
    replicas: 1
    ports: [{ name: http, port: 8080 }]`),
    );
    expect(issues).toContainEqual({
      path: "workloads[0].name",
      message: expect.stringMatching(/Service, and is not a DNS-1035 label/),
    });
    // The API server's own validation agrees (kubernetes-models checks the Service name pattern).
    expect(nameProblem("1web", NAME_RULES.Service)).toBeDefined();
  });

  it("refuses duplicate port names and port numbers", () => {
    const issues = issuesOf(
      catalog(`name: web
    kind: service
    replicas: 1
    ports: [{ name: http, port: 8080 }, { name: http, port: 8081 }, { name: admin, port: 8080 }]`),
    );
    expect(issues.map((i) => i.path)).toEqual(["workloads[0].ports[1].name", "workloads[0].ports[2].port"]);
  });

  it("refuses a training job whose pods' hostnames <name>-<index> would pass 63 characters", () => {
    const name = `t${"x".repeat(60)}`; // 61 characters: a DNS label, but "-10" makes 64
    const issues = issuesOf(
      catalog(`name: ${name}
    kind: training
    replicas: 11`),
    );
    expect(issues).toContainEqual({
      path: "workloads[0].name",
      message: expect.stringMatching(/Indexed Job, and is 61 characters; at most 60/),
    });
    expect(indexedJobMax(11)).toBe(60);
  });

  it("shortens an Indexed Job part named after its pool so every hostname stays a DNS label", () => {
    const w: WorkloadSpec = {
      name: `t${"x".repeat(56)}`,
      kind: "training",
      replicas: 12,
      cpu: 1,
      memoryGiB: 1,
      classification: "internal",
      image: "registry.example.com/ml/t:1.0.0",
      owner: "ml",
    };
    const result: PlacementResult = {
      assignments: [
        { workload: w.name, target: "dc1", pool: "a100", replicas: 1 },
        { workload: w.name, target: "dc1", pool: "cpu", replicas: 11 },
      ],
      unplaced: [],
      packing: [],
      cost: { computePerHour: 0, egressPerHour: 0, movePenalty: 0, total: 0 },
      explanations: {},
      lock: { version: 1, assignments: [] },
      solver: { method: "heuristic", optimal: false, work: 0, budget: 0 },
    };
    const jobs = (renderPlacement({ result, workloads: [w], targets })[0]?.objects ?? []).filter(
      (o) => o.kind === "Job",
    );
    expect(jobs).toHaveLength(2);
    for (const job of jobs) {
      if (job.kind !== "Job") continue;
      new Job(job as never).validate();
      const hostname = `${job.metadata.name}-${job.spec.completions - 1}`;
      expect(nameProblem(hostname, NAME_RULES.Namespace)).toBeUndefined();
    }
  });
});
