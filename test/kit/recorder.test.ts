// The Recorder as the plan command uses it: a listener hears each resource as it is registered
// (the policy pack starts on it then), the program yields to I/O between registrations as it
// would under the engine, and the masked and plain views agree with what is secret.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MOCK_CLOUD,
  RealisticMocks,
  type RecordedResource,
  Recorder,
} from "../../components/testing";

/** A resource of a made-up provider: the mocks accept any type. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs) {
    super("test:index:Thing", name, props);
  }
}

/** Runs `program` as the root stack under fresh mocks with a recorder made by `make`. */
async function run(make: () => Recorder, program: () => void): Promise<Recorder> {
  await pulumi.runtime.setMocks(new RealisticMocks(DEFAULT_MOCK_CLOUD), "p", "dev", true);
  const recorder = make();
  await pulumi.runtime.runInPulumiStack(async () => {
    program();
    return {};
  });
  await recorder.settle();
  return recorder;
}

const THREE = () => {
  for (const name of ["a", "b", "c"]) new Thing(name, { size: name.length });
};

describe("Recorder", () => {
  it("tells a listener of each resource as it is recorded, the same object it then lists", async () => {
    const heard: RecordedResource[] = [];
    const recorder = await run(() => new Recorder({ onRecord: (r) => heard.push(r) }), THREE);
    const things = recorder.resources.filter((r) => r.type === "test:index:Thing");
    expect(things.map((r) => r.name)).toEqual(["a", "b", "c"]);
    for (const t of things) expect(heard).toContain(t);
    expect(heard.find((r) => r.name === "b")?.inputs).toEqual({ size: 1 });
  });

  it("with a listener, answers registrations on a later turn, so I/O runs while the program does", async () => {
    // Without the yield a whole program is one chain of promises: an I/O callback (here, a timer
    // set when the program starts) would run only after the last registration.
    const order: string[] = [];
    const yieldingProgram = () => {
      setTimeout(() => order.push("io"), 0);
      THREE();
    };
    const recordOrder = (r: RecordedResource) => order.push(r.name);
    await run(() => new Recorder({ onRecord: recordOrder }), yieldingProgram);
    expect(order.indexOf("io")).toBeGreaterThan(-1);
    expect(order.indexOf("io")).toBeLessThan(order.indexOf("c"));
  });

  it("keeps one view of inputs without secrets, and masks a secret in the printed view only", async () => {
    const recorder = await run(
      () => new Recorder(),
      () => {
        new Thing("plain", { size: 1 });
        new Thing("hidden", { size: 1, token: pulumi.secret("s3cr3t") });
      },
    );
    const plain = recorder.resources.find((r) => r.name === "plain");
    const hidden = recorder.resources.find((r) => r.name === "hidden");
    expect(plain?.plainInputs).toBe(plain?.inputs);
    expect(hidden?.inputs).toEqual({ size: 1, token: "[secret]" });
    expect(hidden?.plainInputs).toEqual({ size: 1, token: "s3cr3t" });
    expect(hidden?.secretInputs).toEqual(["token"]);
  });
});
