// What every stack's plan must show, whatever the stack: URNs that stay put, and Kubernetes
// objects the API server's schema accepts.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { ALL_RULES } from "../../policies/rules";
import type { PlanRun } from "../../scripts/plan/run";
import { evaluatePack } from "../policies/evaluate";
import { accountNames, accountNamesSnapshot } from "./account-names";
import {
  checkCopiesRendered,
  checkCopyAzureIdentities,
  checkCopyEgress,
  checkCopyRoles,
  checkDataEndpoints,
} from "./data-checks";
import { checkAwsIdentities, checkAzureIdentities, checkDataPaths } from "./identity-checks";
import { invalidKubernetesObjects } from "./kubernetes-objects";
import { checkMonitoring } from "./monitoring-checks";
import { queueProblems } from "./queue-checks";

/** Declares the checks every stack's plan passes; `plan` is read when the tests run. */
export function checksOfEveryStack(stack: string, plan: () => PlanRun): void {
  it("installs collection, rules and the dashboard on every cluster, each store reached by private paths only", () => {
    expect(checkMonitoring(plan()).length).toBeGreaterThanOrEqual(2);
  });

  it("declares only Kubernetes objects the API server's schema accepts", () => {
    const { resources } = plan();
    expect(resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom).length).toBeGreaterThan(0);
    expect(invalidKubernetesObjects(resources)).toEqual([]);
  });

  it("runs Kueue with its queues on every cluster: quotas equal to placement's budget, priorities from the catalog", () => {
    const found = queueProblems(plan());
    expect(found.clusters).toBeGreaterThan(0);
    expect(found.problems).toEqual([]);
  });

  it("gives each workload identity exactly its datasets, and each reader its ServiceAccount and data paths", () => {
    const identities = checkAwsIdentities(plan()) + checkAzureIdentities(plan());
    const readers = checkDataPaths(plan());
    expect(identities).toBeGreaterThan(0);
    expect(readers).toBeGreaterThanOrEqual(identities);
  });

  it("limits every data copy's identities to its dataset's prefixes, and renders each copy (and a backup's drill) where it runs", () => {
    const copies = checkCopiesRendered(plan());
    const identities = checkCopyRoles(plan()) + checkCopyAzureIdentities(plan());
    // Every copy touching a cloud has an identity there; a copy between on-premises stores has none.
    expect(identities).toBeLessThanOrEqual(copies * 2);
    if (copies > 0) expect(identities).toBeGreaterThan(0);
    checkDataEndpoints(plan());
    expect(checkCopyEgress(plan())).toBe(copies);
  });

  it("passes the policy pack with no mandatory violation under the stack's pack config", async () => {
    const config = JSON.parse(
      readFileSync(resolve(__dirname, `../../policies/config.${stack}.json`), "utf8"),
    );
    const violations = await evaluatePack(ALL_RULES, plan().resources, config);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    // Every advisory finding is one the docs list and justify (docs/policy.md).
    const justified = readFileSync(resolve(__dirname, "../../docs/policy.md"), "utf8");
    for (const v of violations) expect(justified, `${v.policy} on ${v.urn}`).toContain(`\`${v.policy}\``);
  });

  it("keeps the URN of every resource, so no refactor silently replaces one", async () => {
    const lines = plan().resources.map(
      (r) => `${r.urn}${r.protect ? "  [protect]" : ""}${r.retainOnDelete ? " [retain]" : ""}`,
    );
    await expect(`${lines.join("\n")}\n`).toMatchFileSnapshot(`../stacks/__snapshots__/${stack}.urns.txt`);
  });

  it("keeps the account-scoped physical names it sets, each its own stack's, the KMS aliases by prefix", async () => {
    // test/stacks/aws-environments.test.ts checks the reference stacks' kept names side by side.
    const names = accountNames(plan().resources);
    for (const urn of names.values()) expect(urn).toContain(`urn:pulumi:${stack}::`);
    for (const alias of plan().resources.filter((r) => r.type === "aws:kms/alias:Alias"))
      expect(alias.inputs.namePrefix, alias.urn).toMatch(/^alias\//);
    await expect(`${[...names.keys()].sort().join("\n")}\n`).toMatchFileSnapshot(accountNamesSnapshot(stack));
  });
}
