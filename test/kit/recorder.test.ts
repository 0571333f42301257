// The Recorder's two views of what a resource was given: the printed one masks each secret, the
// plain one keeps it; without a secret they are one object (a fleet's plan holds thousands of
// large objects, and a copy of each doubled the heap).
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DEFAULT_MOCK_CLOUD, RealisticMocks, Recorder } from "../../components/testing";

/** A resource of a made-up provider: the mocks accept any type. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("test:index:Thing", name, props);
  }
}

describe("Recorder", () => {
  it("keeps one view of inputs without secrets, and masks a secret in the printed view only", async () => {
    await pulumi.runtime.setMocks(new RealisticMocks(DEFAULT_MOCK_CLOUD), "p", "dev", true);
    const recorder = new Recorder();
    await pulumi.runtime.runInPulumiStack(async () => {
      new Thing("plain", { size: 1 });
      new Thing("hidden", { size: 1, token: pulumi.secret("s3cr3t") });
      return {};
    });
    await recorder.settle();
    const plain = recorder.resources.find((r) => r.name === "plain");
    const hidden = recorder.resources.find((r) => r.name === "hidden");
    expect(plain?.inputs).toEqual({ size: 1 });
    expect(plain?.plainInputs).toBe(plain?.inputs);
    expect(hidden?.inputs).toEqual({ size: 1, token: "[secret]" });
    expect(hidden?.plainInputs).toEqual({ size: 1, token: "s3cr3t" });
    expect(hidden?.secretInputs).toEqual(["token"]);
  });
});
