// Objects a catalog would declare twice (issue 24, point 3), and the `default` service account
// every namespace already has (point 2): refused by config path before anything is declared.
import { describe, expect, it } from "vitest";
import { ConfigError, parseCatalog } from "../../components/kubernetes";

const entry = (name: string, extra: string) => `  - name: ${name}
    kind: service
    replicas: 1
    owner: shop
    image: registry.example.com/shop/${name}:1.0.0
    cpu: 1
    memoryGiB: 1
    classification: internal
${extra}`;
const issuesOf = (...entries: string[]) => {
  try {
    parseCatalog(`workloads:\n${entries.join("\n")}\n`);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
};

describe("objects declared twice", () => {
  it("refuses two workloads of one namespace running as one service account", () => {
    expect(
      issuesOf(
        entry("cart", "    serviceAccountName: shop-sa"),
        entry("search", "    serviceAccountName: shop-sa"),
      ),
    ).toEqual([
      {
        path: "workloads[1].serviceAccountName",
        message: expect.stringMatching(/as workloads\[0\] \(cart\)/),
      },
    ]);
  });

  it("refuses a workload that names another's data account (the account bound to that workload's datasets)", () => {
    const issues = issuesOf(
      entry("cart", "    datasets: [{ name: orders, readGiBPerHour: 1 }]"),
      entry("search", "    serviceAccountName: cart"),
    );
    expect(issues.map((i) => i.path)).toEqual(["workloads[1].serviceAccountName"]);
  });

  it("refuses a workload running as the account another workload of its namespace runs as by its name", () => {
    // Every workload has an account of its own (its name unless the catalog names one), so taking
    // another workload's name takes its account, datasets or not.
    expect(
      issuesOf(entry("cart", ""), entry("search", "    serviceAccountName: cart")).map((i) => i.path),
    ).toEqual(["workloads[1].serviceAccountName"]);
    expect(
      issuesOf(entry("search", "    serviceAccountName: cart"), entry("cart", "")).map((i) => i.path),
    ).toEqual(["workloads[1].name"]);
    expect(
      issuesOf(entry("cart", ""), entry("search", "    serviceAccountName: cart\n    namespace: other")),
    ).toEqual([]);
  });

  it("refuses namespace and object names whose joined resource names collide", () => {
    // shop-a/b and shop/a-b would both be PlacedWorkloads' resource "<c>-<target>-<kind>-shop-a-b".
    const issues = issuesOf(entry("b", "    namespace: shop-a"), entry("a-b", "    namespace: shop"));
    expect(issues).toContainEqual({
      path: "workloads[1].namespace",
      message: expect.stringMatching(/same resource name "shop-a-b"/),
    });
  });

  it("refuses serviceAccountName: default, which every namespace already has", () => {
    expect(issuesOf(entry("cart", "    serviceAccountName: default")).map((i) => i.path)).toEqual([
      "workloads[0].serviceAccountName",
    ]);
  });
});
