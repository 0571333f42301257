import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ENTRA_ID_TOKEN_CIDRS } from "../../components/azure";
import { checkEntraRanges, diffRanges, publishedEntraRanges } from "../../scripts/check-azure-ranges";

// Issue 19.16: the pinned Entra ID ranges against the Microsoft 365 web service's answer
// (fixtures shaped like https://endpoints.office.com/endpoints/worldwide; no network here).
const FIXTURES = join(__dirname, "fixtures");
const read = (file: string): unknown => JSON.parse(readFileSync(join(FIXTURES, file), "utf8"));

describe("check-azure-ranges", () => {
  it("passes when endpoint set 56's IPv4 ranges are the pinned ones, whatever their order", () => {
    expect(publishedEntraRanges(read("m365-endpoints-set56.json"))).toEqual([...ENTRA_ID_TOKEN_CIDRS].sort());
    expect(checkEntraRanges(read("m365-endpoints-set56.json")).code).toBe(0);
  });

  it("fails with a diff when Microsoft adds or drops a range", () => {
    const { code, report } = checkEntraRanges(read("m365-endpoints-set56-changed.json"));
    expect(code).toBe(1);
    expect(report.split("\n").slice(1)).toEqual(["+ 40.126.64.0/19", "- 20.231.128.0/19"]);
    expect(diffRanges(["a", "b"], ["b", "c"])).toEqual({ added: ["c"], removed: ["a"] });
  });

  it("refuses an answer without endpoint set 56 rather than passing it", () => {
    expect(() => publishedEntraRanges([{ id: 46, urls: [] }])).toThrow(/no endpoint set 56/);
    expect(() => publishedEntraRanges({ error: "throttled" })).toThrow(/not a JSON array/);
  });

  it("exits 1 from the command line on a changed set (the unchanged case is the same function, above)", () => {
    const run = (file: string) => {
      try {
        execFileSync(
          "node_modules/.bin/tsx",
          ["scripts/check-azure-ranges.ts", "--file", join(FIXTURES, file)],
          {
            stdio: "pipe",
          },
        );
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    };
    expect(run("m365-endpoints-set56-changed.json")).toBe(1);
  });
});
