import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  CLASSIFICATIONS,
  childName,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "../../components/kit";
import * as placement from "../../components/placement";
import { Recorder } from "../../scripts/plan";
import { startMocks } from "../helpers/mocks";

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name, {}, {});
  }
}

beforeAll(async () => {
  await startMocks({ stack: "staging" });
});

describe("resolveCommon", () => {
  it("defaults to the stack's environment, internal data, protection on and the standard tags", () => {
    expect(resolveCommon({})).toEqual({
      environment: "staging",
      dataClassification: "internal",
      protectData: true,
      tags: { environment: "staging", "managed-by": "hybrid-ai-infra", "data-classification": "internal" },
    });
  });

  it("keeps the caller's tags, but the standard tags win a clash", () => {
    const common = resolveCommon({
      environment: "prod",
      dataClassification: "restricted",
      protectData: false,
      tags: { team: "ml", environment: "test", "managed-by": "terraform", "data-classification": "public" },
    });
    expect(common).toEqual({
      environment: "prod",
      dataClassification: "restricted",
      protectData: false,
      tags: {
        team: "ml",
        environment: "prod",
        "managed-by": "hybrid-ai-infra",
        "data-classification": "restricted",
      },
    });
  });
});

describe("childName", () => {
  it("derives names from the component name", () => {
    expect(childName("ai")).toBe("ai");
    expect(childName("ai", "kms")).toBe("ai-kms");
    expect(childName("ai", "api", "10-0-0-0-16")).toBe("ai-api-10-0-0-0-16");
  });
});

describe("statefulOptions", () => {
  it("parents to the component and protects and retains unless protectData is off", () => {
    const parent = new Holder("holder");
    const dependency = new Holder("dependency");
    const on = statefulOptions(parent, resolveCommon({}), { dependsOn: [dependency] });
    expect(on).toEqual({ parent, protect: true, retainOnDelete: true, dependsOn: [dependency] });
    const off = statefulOptions(parent, resolveCommon({ protectData: false }));
    expect(off).toEqual({ parent, protect: false, retainOnDelete: false });
    // Neither the caller nor a helper can take protection away through `extra`.
    expect(
      statefulOptions(parent, resolveCommon({}), { protect: false, retainOnDelete: false }),
    ).toMatchObject({
      protect: true,
      retainOnDelete: true,
    });
  });
});

describe("commonArgsShape", () => {
  const schema = z.strictObject(commonArgsShape);

  it("accepts the documented values", () => {
    for (const dataClassification of CLASSIFICATIONS) {
      expect(schema.safeParse({ environment: "prod-eu-1", dataClassification }).success).toBe(true);
    }
    expect(schema.safeParse({}).success).toBe(true);
  });

  it.each([
    [{ environment: "Prod" }, "environment"],
    [{ environment: "1prod" }, "environment"],
    [{ environment: `e${"x".repeat(32)}` }, "environment"],
    [{ dataClassification: "secret" }, "dataClassification"],
    [{ tags: { "": "x" } }, "tags"],
    [{ tags: { team: "x".repeat(257) } }, "tags"],
    [{ protectData: "yes" }, "protectData"],
  ])("rejects %j", (value, field) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe("input", () => {
  it("checks plain values and passes Outputs through for the provider to check", () => {
    const schema = input(z.string().startsWith("vpc-"));
    expect(schema.safeParse("vpc-10000000").success).toBe(true);
    expect(schema.safeParse("subnet-10000000").success).toBe(false);
    const output = pulumi.output("anything");
    const parsed = schema.safeParse(output);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toBe(output);
    expect(schema.safeParse({ not: "an output" }).success).toBe(false);
  });
});

describe("CLASSIFICATIONS", () => {
  it("is placement's list, defined once", () => {
    expect(CLASSIFICATIONS).toBe(placement.CLASSIFICATIONS);
    expect(CLASSIFICATIONS).toEqual(["public", "internal", "confidential", "restricted"]);
  });
});

describe("the plan's recorder", () => {
  it("reports a URN registered twice, as the engine would refuse it", async () => {
    const recorder = new Recorder();
    new pulumi.ComponentResource("test:index:Twice", "same");
    new pulumi.ComponentResource("test:index:Twice", "same");
    new pulumi.ComponentResource("test:index:Twice", "other");
    await recorder.settle();
    expect(recorder.duplicateUrns).toEqual([expect.stringMatching(/test:index:Twice::same$/)]);
  });
});
