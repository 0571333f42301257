// Judges a failover run from both sides: the clients' log (what failed, and when) and the
// gateway's own log (when the lost site went DOWN and came back UP, and which requests needed a
// retry). Failures alone cannot tell a gateway without health checks from one with them: retries
// redispatched to another site hide a dead site from clients at the cost of a retry per request.
import { type LoadSummary, type LoggedRequest, parseGatewayLog, shares } from "./lab";

export interface FailoverRun {
  summary: LoadSummary;
  requests: LoggedRequest[];
  /** The gateway's log from the run's start on (`GatewayLab.settledGatewayLog`). */
  gatewayLog: string;
  backend: string;
  victim: string;
  /** Epoch ms the site was lost and restored. */
  lostAt: number;
  restoredAt: number;
  windowMs: number;
  expected: Record<string, number>;
  sites: string[];
}

export interface FailoverVerdict {
  requests: number;
  detectionMs: number | null;
  failedTotal: number;
  failedInWindow: number;
  failedAfterWindow: number;
  retriedAfterWindow: number;
  loggedRequests: number;
  recoveryMs: number | null;
  sharesAfterRecovery: Record<string, number>;
  answeredAfterRecovery: number;
  maxShareErrorAfterRecovery: number;
}

export function judgeFailover(run: FailoverRun): FailoverVerdict {
  const t0 = run.summary.startEpochMs;
  const windowEnd = run.lostAt + run.windowMs;
  const { changes, requests } = parseGatewayLog(run.gatewayLog, run.backend);
  // The caller hands over only this run's part of the log (cut by offset).
  const own = requests;
  const victimServers = (server: string) => server === run.victim || server.startsWith(`${run.victim}-`);
  const down = changes.find((c) => victimServers(c.server) && c.state === "DOWN" && c.at >= run.lostAt);
  const up = changes.find((c) => victimServers(c.server) && c.state === "UP" && c.at >= run.restoredAt);
  const failed = (r: LoggedRequest) => !(r.s === 200 && r.site);
  const started = (r: LoggedRequest) => t0 + r.t;
  const inRange = (a: number, b: number) => run.requests.filter((r) => started(r) >= a && started(r) < b);
  const recovered = up ? inRange(up.at, Number.POSITIVE_INFINITY).filter((r) => !failed(r)) : [];
  const perSite: Record<string, number> = {};
  for (const r of recovered) if (r.site) perSite[r.site] = (perSite[r.site] ?? 0) + 1;
  const after = shares(perSite, run.sites);
  const total = run.sites.reduce((s, x) => s + (run.expected[x] ?? 0), 0);
  const maxError = Math.max(
    ...run.sites.map((s) => Math.abs((after[s] ?? 0) - (run.expected[s] ?? 0) / total)),
  );
  return {
    requests: run.summary.total,
    detectionMs: down ? down.at - run.lostAt : null,
    failedTotal: run.summary.failed,
    failedInWindow: inRange(run.lostAt, windowEnd).filter(failed).length,
    failedAfterWindow: inRange(windowEnd, Number.POSITIVE_INFINITY).filter(failed).length,
    retriedAfterWindow: own.filter(
      (r) => r.at >= windowEnd && r.at < run.restoredAt && (r.retries > 0 || r.redispatched),
    ).length,
    loggedRequests: own.length,
    recoveryMs: up ? up.at - run.restoredAt : null,
    sharesAfterRecovery: after,
    answeredAfterRecovery: recovered.length,
    maxShareErrorAfterRecovery: maxError,
  };
}

/** Four standard deviations of a site's share among `n` answers (a multinomial), at least `floor`. */
export function shareTolerance(p: number, n: number, floor = 0.03): number {
  return Math.max(floor, 4 * Math.sqrt((p * (1 - p)) / Math.max(1, n)));
}
