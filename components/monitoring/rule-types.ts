// The shapes of a Prometheus rule file, as Prometheus, AMP's ruler and prometheus-operator read it.

/** A rule that records a new series. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** A rule that fires an alert. */
export interface AlertingRule {
  alert: string;
  expr: string;
  /** How long the condition must hold (a Prometheus duration); absent fires at once. */
  for?: string;
  labels: Record<string, string> & { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export type Rule = RecordingRule | AlertingRule;

/** Alert severities, most urgent first. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A group of rules, evaluated in order every interval. No `interval:` is written: each evaluator's
 * own (1m on AMP, Azure and Prometheus by default) applies, and promtool's `evaluation_interval`
 * drives the unit tests (a group interval would override it and make day-long tests crawl).
 */
export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** A rule file. */
export interface RuleFile {
  groups: RuleGroup[];
}

export function isAlert(rule: Rule): rule is AlertingRule {
  return "alert" in rule;
}
