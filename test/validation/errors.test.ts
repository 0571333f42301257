import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  ConfigError,
  componentSubject,
  describeIssues,
  formatConfigError,
  formatPath,
  oneOfNumbers,
  parseOrThrow,
  showValue,
} from "../../components/validation";

describe("ConfigError", () => {
  it("puts one problem on the subject's line", () => {
    const error = new ConfigError('AwsGpuNodeGroup "train"', [
      { path: "instanceTypes[0]", message: '"m5.large" has no GPU; pick one of g5.*' },
    ]);
    expect(error.message).toBe(
      'AwsGpuNodeGroup "train": instanceTypes[0]: "m5.large" has no GPU; pick one of g5.*',
    );
    expect(error.name).toBe("ConfigError");
    expect(error).toBeInstanceOf(Error);
    expect(error.subject).toBe('AwsGpuNodeGroup "train"');
    expect(error.issues).toHaveLength(1);
    expect(String(error)).toBe(`ConfigError: ${error.message}`);
  });

  it("lists several problems one per line, under a count", () => {
    expect(
      formatConfigError('stack config "dev"', [
        { path: "network.cidr", message: '"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?' },
        { path: "", message: "needs at least one cluster" },
        { path: "clusters[1].name", message: "is required (a string)" },
      ]),
    ).toBe(
      [
        'stack config "dev": 3 problems',
        '  - network.cidr: "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?',
        "  - needs at least one cluster",
        "  - clusters[1].name: is required (a string)",
      ].join("\n"),
    );
  });

  it("leaves out the path when the problem is the whole value", () => {
    expect(formatConfigError("X", [{ path: "", message: "is empty" }])).toBe("X: is empty");
  });

  it("names a component by kind and quoted name", () => {
    expect(componentSubject("AwsVpc", "core")).toBe('AwsVpc "core"');
    expect(componentSubject("AwsVpc", 'we"ird')).toBe('AwsVpc "we\\"ird"');
  });
});

describe("formatPath", () => {
  it("writes paths as a TypeScript reader would", () => {
    expect(formatPath(["pools", 0, "node", "gpu"])).toBe("pools[0].node.gpu");
    expect(formatPath([0, "name"])).toBe("[0].name");
    expect(formatPath(["labels", "hybrid-ai-infra.io/pool"])).toBe('labels["hybrid-ai-infra.io/pool"]');
    expect(formatPath(["tags", ""])).toBe('tags[""]');
    expect(formatPath(["$ref", "_x1"])).toBe("$ref._x1");
    expect(formatPath([])).toBe("");
  });
});

describe("showValue", () => {
  it("shows values short, on one line", () => {
    expect(showValue(undefined)).toBe("nothing");
    expect(showValue(null)).toBe("null");
    expect(showValue("m5.large")).toBe('"m5.large"');
    expect(showValue(42)).toBe("42");
    expect(showValue(10n)).toBe("10");
    expect(showValue(["a", 1])).toBe('["a",1]');
    expect(showValue({ __pulumiOutput: true })).toBe("an Output");
    const long = showValue("x".repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith("...")).toBe(true);
    expect(showValue({ text: "line\nbreak" })).not.toContain("\n");
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(showValue(cyclic)).toBe("[object Object]");
  });
});

describe("parseOrThrow", () => {
  const schema = z.strictObject({
    name: z.string().regex(/^[a-z]+$/, "must be lower-case letters"),
    size: z.number().int().min(1).max(10),
    kind: z.enum(["cpu", "gpu"]),
    retention: oneOfNumbers([7, 30, 365]).optional(),
    labels: z.record(z.string().regex(/^[a-z]+$/, "is not a label key"), z.string()).optional(),
    target: z.union([
      z.strictObject({ cidr: z.string() }),
      z.strictObject({ id: z.string().startsWith("vpc-") }),
    ]),
  });

  it("returns the parsed value when it is valid", () => {
    expect(
      parseOrThrow("T", schema, { name: "ok", size: 3, kind: "gpu", target: { id: "vpc-10000000" } }),
    ).toEqual({
      name: "ok",
      size: 3,
      kind: "gpu",
      target: { id: "vpc-10000000" },
    });
  });

  it("throws one ConfigError with every problem, its path and the value, in plain words", () => {
    let error: ConfigError | undefined;
    try {
      parseOrThrow('Thing "t"', schema, {
        name: "Bad",
        size: 11,
        kind: "tpu",
        retention: 42,
        labels: { UPPER: "x" },
        target: { id: "subnet-10000000" },
        colour: "red",
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues).toEqual([
      { path: "name", message: '"Bad" must be lower-case letters' },
      { path: "size", message: "11 is too big: expected number to be <=10" },
      { path: "kind", message: '"tpu" is not valid; use one of "cpu", "gpu"' },
      { path: "retention", message: "42 is not valid; use one of 7, 30, 365" },
      { path: "labels.UPPER", message: '"UPPER" is not a label key' },
      // The union branch with the fewest problems is the one the user meant.
      { path: "target.id", message: '"subnet-10000000" must start with "vpc-"' },
      { path: "", message: 'unknown field "colour"; check the spelling' },
    ]);
    expect(error?.message.split("\n")[0]).toBe('Thing "t": 7 problems');
  });

  it("reads a name-or-entry union's entry by the entry's fields, not as a wrong name", () => {
    const entry = z.union([
      z.string().regex(/^[a-z]+$/, "is not a name"),
      z.strictObject({ name: z.string(), days: z.number().min(1), to: z.enum(["a", "b"]) }),
    ]);
    let error: ConfigError | undefined;
    try {
      parseOrThrow("T", z.strictObject({ entries: z.array(entry) }), {
        entries: [{ name: "x", days: 0, to: "c" }],
      });
    } catch (e) {
      error = e as ConfigError;
    }
    // The name branch has one problem (not a string), the entry branch two: the entry is still
    // what was meant, since the value is an object.
    expect(error?.issues).toEqual([
      { path: "entries[0].days", message: "0 is too small: expected number to be >=1" },
      { path: "entries[0].to", message: '"c" is not valid; use one of "a", "b"' },
    ]);
    // A value of neither type still gets the branch with the fewest problems.
    expect(() =>
      parseOrThrow("T", z.strictObject({ entries: z.array(entry) }), { entries: [7] }),
    ).toThrowError("T: entries[0]: expected a string, got the number 7");
  });

  it("says a missing field is required and what type it wants", () => {
    expect(() => parseOrThrow("T", schema, { size: 1, kind: "cpu", target: { cidr: "x" } })).toThrowError(
      "T: name: is required (a string)",
    );
    expect(() =>
      parseOrThrow("T", schema, { name: 7, size: 1, kind: "cpu", target: { cidr: "x" } }),
    ).toThrowError(
      'T: name: expected a string, got the number 7; YAML reads unquoted digits as a number: quote it in the file, "7"',
    );
  });

  it("turns raw zod issues into messages without zod's prefixes", () => {
    const result = z.object({ n: z.number().min(5) }).safeParse({ n: 1 }, { reportInput: true });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(describeIssues(result.error.issues)).toEqual([
        { path: "n", message: "1 is too small: expected number to be >=5" },
      ]);
    }
  });
});

describe("mistakes a newcomer makes", () => {
  const schema = z.strictObject({ nodeGroups: z.array(z.string()), kubernetesVersion: z.string() });
  it("suggests the field a misspelled key meant", () => {
    expect(() => parseOrThrow("x", schema, { nodegroups: [], kubernetesVersion: "1.34" })).toThrow(
      'unknown field "nodegroups" (did you mean "nodeGroups"?); check the spelling',
    );
    expect(() => parseOrThrow("x", schema, { nodeGroups: [], kubernetesVersion: "1.34", zzz: 1 })).toThrow(
      'x: unknown field "zzz"; check the spelling',
    );
  });

  it("says to quote a version YAML read as a number", () => {
    expect(() => parseOrThrow("x", schema, { nodeGroups: [], kubernetesVersion: 1.3 })).toThrow(
      'x: kubernetesVersion: expected a string, got the number 1.3; YAML reads an unquoted version as a number and drops its trailing zeros (1.30 becomes 1.3): quote it in the file, e.g. "1.30"',
    );
  });
});
