import { formatPath } from "../../../components/validation";
import { backupRoutes, copyProblems, stagingOptions } from "../copies";
import type { CheckIssue, ConfigCheck } from "./check";
import { issueAt } from "./check";

/**
 * A declared backup can run: its target is another site of the stack that its classification
 * allows (the trust rule placement uses), joined to the dataset's home by a VPN link, with a store
 * that keeps versions encrypted, identities without long-lived keys at both ends, and an rclone
 * image where it runs. Each problem is reported where it is fixed.
 */
export const backupsCanRun: ConfigCheck = {
  name: "backups go where their data may, over a link, with identities and a store",
  check: (sites) => {
    const seen = new Map<string, string>();
    const issues: CheckIssue[] = [];
    for (const route of backupRoutes(sites)) {
      const at = [...route.backup.path, "to"];
      const key = `${route.dataset.name} ${route.to}`;
      const first = seen.get(key);
      if (first) {
        issues.push(
          issueAt(
            at,
            `backs ${route.dataset.name} up to ${route.to} again (as ${first} does); one backup per site`,
          ),
        );
        continue;
      }
      seen.set(key, formatPath(at));
      issues.push(
        ...copyProblems(sites, route.dataset, route.to, "backup", at).map((p) => issueAt(p.path, p.message)),
      );
    }
    // One problem of a shared setting (the on-premises issuer, an image) once, not per backup.
    const unique = new Map(issues.map((i) => [`${i.path.join(".")}|${i.message}`, i]));
    return [...unique.values()];
  },
};

/** A dataset that asks for staging can be staged somewhere. */
export const stagingCanHappen: ConfigCheck = {
  name: "declared staging has a site to go to",
  check: (sites) =>
    sites.datasets().flatMap((dataset) => {
      if (!dataset.staging.declared || !dataset.staging.allowed) return [];
      const options = stagingOptions(sites, dataset);
      if (options.some((o) => o.problems.length === 0)) return [];
      if (options.length === 0) return [];
      return [
        issueAt(
          [...dataset.path, "staging"],
          `asks for staging, and no other site can take ${dataset.name}: ${options.map((o) => `${o.site}: ${o.problems.join("; ")}`).join(" | ")}`,
        ),
      ];
    }),
};
