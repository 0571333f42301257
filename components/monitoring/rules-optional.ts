import { LABEL_BACKUP } from "../facts";
import { longestCronGap } from "./cron";
import { durationSeconds } from "./durations";
import type { MetricsCloud, SiteMetrics } from "./model";
import { JOBS, ksmLabel, RECORD_PREFIX, regexEscape } from "./names";
import type { Rule } from "./rule-types";
import { alert } from "./rules-alerts";
import { fact } from "./rules-placement";
import { queueWaitTarget } from "./thresholds";

// The groups that exist only where their subject does: Kueue queues, VPN tunnels, backups. Each
// group carries its facts, its recording rules and its alerts, in that order (rules in a group run
// in order, so nothing reads a series a step old).

const r = (name: string) => `${RECORD_PREFIX}${name}`;

/** Kueue ClusterQueues (kubernetes-sigs/kueue pkg/metrics/metrics.go names). */
export function queueRules(m: SiteMetrics): Rule[] {
  const t = m.thresholds;
  const facts = m.queues.map((q) =>
    fact(m.site, "queue_wait_target_seconds", durationSeconds(queueWaitTarget(t, q.clusterQueue)) ?? 0, {
      cluster_queue: q.clusterQueue,
    }),
  );
  // `for` cannot vary by series: one rule per distinct target, told apart by a `wait_target` label
  // (two rules of one name and label set are refused by promtool's lint and by AMP's ruler).
  const targets = new Map<string, string[]>();
  for (const q of m.queues) {
    const target = queueWaitTarget(t, q.clusterQueue);
    targets.set(target, [...(targets.get(target) ?? []), q.clusterQueue]);
  }
  const waiting = [...targets].map(([target, queues]) => {
    const sel = `cluster_queue=~"${queues.map(regexEscape).join("|")}"`;
    return alert(m, "HybridQueueWaitingPastTarget", {
      // Kueue exports no age of its oldest pending workload: a queue that held pending work for its
      // whole target and admitted nothing in any five minutes of it kept its head waiting that long.
      expr: `(
  max by (cluster_queue) (kueue_pending_workloads{${sel}, status=~"active|inadmissible"}) > 0
)
unless on (cluster_queue)
(
  sum by (cluster_queue) (increase(kueue_admitted_workloads_total{${sel}}[5m])) > 0
)`,
      for: target,
      severity: "warning",
      labels: { wait_target: target },
      summary: `Queue {{ $labels.cluster_queue }} on ${m.site} has admitted nothing for ${target}`,
      description: `ClusterQueue {{ $labels.cluster_queue }} has held {{ $value }} pending workloads and admitted none for ${target}, its wait target. Compare its quota with what placement budgeted, and read the workloads' inadmissible reasons.`,
    });
  });
  return [
    ...facts,
    {
      record: r("queue_pending_workloads"),
      // Kueue's leader and followers export the same gauge: count it once.
      expr: 'max by (cluster_queue, status) (kueue_pending_workloads{status=~"active|inadmissible"})',
      labels: { site: m.site },
    },
    ...waiting,
    alert(m, "HybridQueueAdmissionSlow", {
      expr: `histogram_quantile(0.9, sum by (cluster_queue, le) (rate(kueue_admission_wait_time_seconds_bucket[1h])))
  > on (cluster_queue) group_left () max by (cluster_queue) (${r("queue_wait_target_seconds")})`,
      for: "15m",
      severity: "info",
      summary: `Queue {{ $labels.cluster_queue }} on ${m.site}: 90% of admissions waited longer than its target`,
      description:
        "Over the last hour the 90th percentile wait before admission in {{ $labels.cluster_queue }} was {{ $value | humanizeDuration }}.",
    }),
    alert(m, "HybridKueueMetricsMissing", {
      expr: `absent(up{job="${JOBS.kueue}"} == 1)`,
      for: t.metricsMissingFor,
      severity: "warning",
      summary: `Kueue's metrics are not scraped on ${m.site}`,
      description: "The queue alerts read Kueue's controller metrics: without them no queue can alert.",
    }),
  ];
}

/**
 * Each cloud's tunnel signal, reduced to `peer` with > 0 meaning up. AWS: the CloudWatch exporter's
 * static job per tunnel (named for the tunnel) on AWS/VPN TunnelState, Maximum over 5 minutes.
 * Azure: azure-metrics-exporter on the gateway's BgpPeerStatus, averaged over 5 minutes and the
 * gateway's instances, one series per BGP peer address (label `dimension`).
 */
const TUNNEL_UP: Partial<Record<MetricsCloud, string>> = {
  aws: 'max by (peer) (label_replace(aws_vpn_tunnel_state_maximum, "peer", "$1", "name", "(.+)"))',
  azure:
    'max by (peer) (label_replace(azure_vpn_gateway{metric="BgpPeerStatus", aggregation="average"}, "peer", "$1", "dimension", "(.+)"))',
};

/** The tunnels this site's cloud reports on: expected, reported, and the alerts. */
export function vpnRules(m: SiteMetrics): Rule[] {
  const up = TUNNEL_UP[m.cloud];
  if (!up) throw new Error(`${m.site}: ${m.cloud} reports no tunnel state; give it no tunnels`);
  const t = m.thresholds;
  return [
    ...m.tunnels.map((x) =>
      fact(m.site, "vpn_tunnel_expected", 1, { link: x.link, tunnel: x.tunnel, peer: x.peer }),
    ),
    { record: r("vpn_tunnel_up"), expr: up, labels: { site: m.site } },
    alert(m, "HybridVpnTunnelDown", {
      // Down, or not reported at all (the exporter or the cloud's metric missing): both are blind spots.
      expr: `${r("vpn_tunnel_expected")} unless on (peer) (${r("vpn_tunnel_up")} > 0)`,
      for: t.vpnDownFor,
      severity: "warning",
      summary: `VPN tunnel {{ $labels.tunnel }} of {{ $labels.link }} is down or not reported (${m.site}'s view)`,
      description: `Tunnel {{ $labels.tunnel }} of link {{ $labels.link }} (peer {{ $labels.peer }}) has reported no up state for ${t.vpnDownFor}. The link keeps running on its other tunnels; check the peer's IKE and BGP state.`,
    }),
    alert(m, "HybridVpnLinkDown", {
      expr: `max by (link) (${r("vpn_tunnel_expected")})
unless on (link)
max by (link) ((${r("vpn_tunnel_up")} > 0) * on (peer) group_left (link) max by (peer, link) (${r("vpn_tunnel_expected")}))`,
      for: t.vpnDownFor,
      severity: "critical",
      summary: `Every tunnel of VPN link {{ $labels.link }} is down (${m.site}'s view)`,
      description: `No tunnel of {{ $labels.link }} has been up for ${t.vpnDownFor}: the sites it joins cannot reach each other's private endpoints.`,
    }),
  ];
}

const BACKUP = ksmLabel(LABEL_BACKUP);

/** CronJobs labelled as backups: how old their last success is, against their schedule. */
export function backupRules(m: SiteMetrics): Rule[] {
  const facts = m.backups.map((b) => {
    const gap = longestCronGap(b.schedule);
    if (typeof gap === "string") throw new Error(`backup ${b.namespace}/${b.cronjob}: ${gap}`);
    return fact(m.site, "backup_max_age_seconds", Math.round(gap * m.thresholds.backupGraceFactor), {
      namespace: b.namespace,
      cronjob: b.cronjob,
    });
  });
  const labelled = `max by (namespace, cronjob) (kube_cronjob_labels{${BACKUP}!=""})`;
  return [
    ...facts,
    {
      // kube-state-metrics reports a last success only once one happened; until then, its creation.
      record: r("backup_age_seconds"),
      expr: `(
  time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time)
  or
  time() - max by (namespace, cronjob) (kube_cronjob_created)
)
* on (namespace, cronjob) group_left () ${labelled}`,
      labels: { site: m.site },
    },
    alert(m, "HybridBackupStale", {
      expr: `${r("backup_age_seconds")} > on (namespace, cronjob) group_left () max by (namespace, cronjob) (${r("backup_max_age_seconds")})`,
      severity: "critical",
      summary: `Backup {{ $labels.namespace }}/{{ $labels.cronjob }} on ${m.site} is older than its schedule allows`,
      description:
        "The last successful run of {{ $labels.cronjob }} finished {{ $value | humanizeDuration }} ago (or it never succeeded since it was created that long ago). Read the logs of its last Job.",
    }),
    alert(m, "HybridBackupMissing", {
      expr: `${r("backup_max_age_seconds")} unless on (namespace, cronjob) ${labelled}`,
      for: m.thresholds.metricsMissingFor,
      severity: "critical",
      summary: `Backup CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} does not exist on ${m.site}`,
      description: `The stack declares this backup but kube-state-metrics reports no CronJob of that name labelled ${LABEL_BACKUP}.`,
    }),
  ];
}
