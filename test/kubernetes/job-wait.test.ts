// What `pulumi up` guarantees for a Job (issue 24, point 11): the waitFor expressions evaluated as
// pulumi-kubernetes evaluates them (provider/pkg/jsonpath: the `jsonpath=` prefix, one `=value`
// split off with `==` kept, the braces' content rooted at `$`, RFC 9535 through
// github.com/theory/jsonpath; matched when it selects anything, or the first value equals `value`),
// here with json-p3, another RFC 9535 implementation.
import { jsonpath } from "json-p3";
import { describe, expect, it } from "vitest";
import { JOB_WAIT_FOR } from "../../components/kubernetes";

function matches(waitFor: string, object: Record<string, unknown>): boolean {
  expect(waitFor.startsWith("jsonpath=")).toBe(true);
  const parts = waitFor.slice("jsonpath=".length).replaceAll("==", "\u0000").split("=");
  expect(parts.length).toBeLessThanOrEqual(2);
  const [path = "", value] = parts.map((p) => p.replaceAll("\u0000", "=="));
  const inner = /\{\s*(.*?)\s*\}/.exec(path)?.[1] ?? "";
  const selected = jsonpath.query(inner.startsWith("$") ? inner : `$${inner}`, object as never).values();
  if (selected.length === 0) return false;
  return value === undefined || String(selected[0]) === value;
}

const job = (status: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "tune", namespace: "ml", generation: 1 },
  spec: { parallelism: 2, completions: 2, backoffLimit: 0, ...spec },
  status,
});
const now = "2026-12-05T12:00:00Z";

describe("an unqueued Job: up returns once its pods exist, or it has ended", () => {
  it("keeps waiting while the Job controller has a start time but no pod (quota or admission refused them)", () => {
    expect(matches(JOB_WAIT_FOR.unqueued, job({ startTime: now }))).toBe(false);
    expect(matches(JOB_WAIT_FOR.unqueued, job({}))).toBe(false);
  });

  it("returns once pods are created (pending on a scaling pool is enough), ran, or the Job ended", () => {
    for (const status of [
      { startTime: now, active: 2 },
      { startTime: now, succeeded: 2 },
      { startTime: now, failed: 1 },
      { startTime: now, conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] },
    ])
      expect(matches(JOB_WAIT_FOR.unqueued, job(status)), JSON.stringify(status)).toBe(true);
  });
});

describe("a queued Job: up returns once Kueue holds it, admitted it, or it ended", () => {
  it("returns when suspended by Kueue, not before the Job controller has seen it", () => {
    expect(matches(JOB_WAIT_FOR.queued, job({}, { suspend: true }))).toBe(false);
    expect(matches(JOB_WAIT_FOR.queued, job({ conditions: [{ type: "Suspended", status: "True" }] }))).toBe(
      true,
    );
    expect(matches(JOB_WAIT_FOR.queued, job({ startTime: now }))).toBe(true);
  });

  it("returns for a dispatched Job once MultiKueue manages it", () => {
    expect(matches(JOB_WAIT_FOR.dispatched, job({}, { managedBy: "kueue.x-k8s.io/multikueue" }))).toBe(true);
    expect(matches(JOB_WAIT_FOR.dispatched, job({}))).toBe(false);
  });
});
