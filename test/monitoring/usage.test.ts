// Usage exports: the JSON a Prometheus-compatible query API answers the documented query with.
// A malformed or partial export is one clear error naming the file and what is wrong, never an
// empty table; a good one gives each workload's use and right-sized requests.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseUsageExport, rightSized, usageQuery, useByWorkload } from "../../components/monitoring";
import { ConfigError } from "../../components/validation";

const SAMPLE = resolve(__dirname, "../../docs/usage/prod-aks.json");
const sample = () => JSON.parse(readFileSync(SAMPLE, "utf8")) as { data: { result: Record<string, any>[] } };

function errorOf(text: string): string {
  try {
    parseUsageExport("usage.json", text);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("the export was accepted");
}

describe("a usage export", () => {
  it("reads the checked-in sample: every workload part with its stats", () => {
    const samples = parseUsageExport(SAMPLE, readFileSync(SAMPLE, "utf8"));
    const use = useByWorkload(samples);
    expect([...use.keys()].sort()).toEqual(["notes-summariser", "storefront", "triage-inference"]);
    const notes = use.get("notes-summariser");
    expect(notes).toMatchObject({ parts: ["aks/a100"], cpuP95: 2.1, gpuUtilisationP95: 57, replicas: 2 });
    expect(notes?.memoryP95GiB).toBeCloseTo(19.5, 6);
    // p95 x 1.2, rounded up to a quarter core and half a GiB: 2.52 -> 2.75, 23.4 -> 23.5.
    expect(rightSized(notes as NonNullable<typeof notes>)).toEqual({ cpu: 2.75, memoryGiB: 23.5 });
  });

  it("is refused when it is not JSON, not the query's answer, empty, or holds a value that is not a number", () => {
    expect(errorOf("{ nope")).toMatch(/^usage export usage\.json: is not JSON \(/);
    expect(errorOf(JSON.stringify({ status: "error", errorType: "bad_data", error: "parse error" }))).toBe(
      [
        "usage export usage.json: 2 problems",
        '  - status: is not "success": the query failed; its error is in the file',
        "  - data: Invalid input: expected object, received undefined",
      ].join("\n"),
    );
    expect(
      errorOf(JSON.stringify({ status: "success", data: { resultType: "matrix", result: [] } })),
    ).toMatch(/data\.resultType: is not "vector": export an instant query/);
    expect(
      errorOf(JSON.stringify({ status: "success", data: { resultType: "vector", result: [] } })),
    ).toMatch(/data\.result: .*is empty: the query matched nothing/);
    const nan = sample();
    (nan.data.result[3] as { value: unknown[] }).value[1] = "NaN";
    delete (nan.data.result[5] as { metric: Record<string, string> }).metric.pool;
    expect(errorOf(JSON.stringify(nan))).toBe(
      [
        "usage export usage.json: 2 problems",
        "  - data.result[3].value[1]: is not a finite number",
        "  - data.result[5].metric.pool: Invalid input: expected string, received undefined",
      ].join("\n"),
    );
  });

  it("is refused when partial (a workload part without its CPU or memory p95) or when it repeats a sample", () => {
    const partial = sample();
    partial.data.result = partial.data.result.filter(
      (r) =>
        !(
          r.metric.workload === "storefront" &&
          r.metric.resource === "memory" &&
          r.metric.stat === "p95_per_replica"
        ),
    );
    expect(errorOf(JSON.stringify(partial))).toBe(
      "usage export usage.json: data.result: is partial: storefront on aks/general has no memory p95_per_replica (export the whole query, over a window where the workload ran)",
    );
    const twice = sample();
    twice.data.result.push(twice.data.result[0] as Record<string, any>);
    expect(errorOf(JSON.stringify(twice))).toMatch(/data\.result\[21\]: repeats data\.result\[0\]/);
  });

  it("comes from the documented query, over a week by default", () => {
    const query = usageQuery();
    expect(query).toContain("quantile_over_time(0.95, hybrid_ai_infra:workload_used_per_replica[7d])");
    expect(query.split("\nor\n")).toHaveLength(4);
    const docs = readFileSync(resolve(__dirname, "../../docs/monitoring.md"), "utf8");
    expect(docs).toContain(query);
  });
});
