import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog, loadLock } from "../../stacks/catalog";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "catalog-"));
  mkdirSync(join(dir, "stacks"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "stacks", name), text);
  return dir;
}

describe("the workload catalog and the placement lock", () => {
  it("are optional", () => {
    const dir = project({});
    expect(loadCatalog(dir, "dev")).toBeUndefined();
    expect(loadLock(dir, "dev")).toBeUndefined();
  });

  it("report a lock that is not JSON as such", () => {
    const dir = project({ "placement.dev.lock.json": "{ not json" });
    expect(() => loadLock(dir, "dev")).toThrowError(
      /^stacks\/placement\.dev\.lock\.json: line 1, column \d+: is not valid JSON: /,
    );
  });

  it("reject a lock of another shape", () => {
    const dir = project({ "placement.dev.lock.json": JSON.stringify({ version: 2, assignments: [] }) });
    expect(() => loadLock(dir, "dev")).toThrowError(/version: 2 is not valid; use one of 1/);
  });

  it("list every catalog problem at once: unknown fields, duplicate names, unpinned images", () => {
    const dir = project({
      "workloads.dev.yaml": [
        "workloads:",
        "  - { name: web, kind: service, owner: web, image: 'web:1.0', replicas: 1, cpu: 1, memoryGiB: 1, classification: internal, replica: 2 }",
        "  - { name: web, kind: service, owner: web, image: 'web:latest', replicas: 1, cpu: 1, memoryGiB: 1, classification: internal }",
      ].join("\n"),
    });
    let message = "";
    try {
      loadCatalog(dir, "dev");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^workload catalog stacks\/workloads\.dev\.yaml: 3 problems/);
    expect(message).toContain('workloads[0]: unknown field "replica"');
    expect(message).toContain('workloads[1].image: "web:latest" uses :latest');
    expect(message).toContain('workloads[1].name: "web" is also workloads[0]');
  });
});
