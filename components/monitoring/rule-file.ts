import { stringify } from "yaml";
import type { SiteMetrics } from "./model";
import { GROUPS } from "./names";
import type { RuleFile, RuleGroup } from "./rule-types";
import { coreAlerts } from "./rules-alerts";
import { capacityRules } from "./rules-capacity";
import { backupRules, queueRules, vpnRules } from "./rules-optional";
import { placementFacts } from "./rules-placement";

/**
 * The rule file of one site: placement's facts, the capacity records, the alerts, and the queue,
 * VPN and backup groups where the site has queues, tunnels and backups (absent ones leave out their
 * whole group, alerts included).
 */
export function siteRules(m: SiteMetrics): RuleFile {
  const groups: RuleGroup[] = [
    { name: GROUPS.placement, rules: placementFacts(m) },
    { name: GROUPS.capacity, rules: capacityRules(m) },
    { name: GROUPS.alerts, rules: coreAlerts(m) },
  ];
  if (m.queues.length > 0) groups.push({ name: GROUPS.queues, rules: queueRules(m) });
  if (m.tunnels.length > 0) groups.push({ name: GROUPS.vpn, rules: vpnRules(m) });
  if (m.backups.length > 0) groups.push({ name: GROUPS.backups, rules: backupRules(m) });
  // An empty group is refused by nothing but says nothing: a site with no pools has no facts.
  return { groups: groups.filter((g) => g.rules.length > 0) };
}

/** The rule file as YAML, as Prometheus, promtool and AMP's ruler read it. */
export function ruleFileYaml(file: RuleFile, header?: string): string {
  const body = stringify(file, { lineWidth: 0 });
  return header ? `${header.replace(/^/gm, "# ")}\n${body}` : body;
}
