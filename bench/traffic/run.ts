// The cross-site gateway in the network-namespace lab (test/lab/traffic): requests/s through the
// gateway against one site's service directly, and failover (a site killed, or cut off silently)
// under paced load: detection, failures, recovery. Root and HAProxy needed; wrk for requests/s.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { findCommand } from "../../test/helpers/lab";
import { judgeFailover } from "../../test/lab/traffic/judge";
import { GatewayLab, sleep } from "../../test/lab/traffic/lab";
import { LAB_SITES, labGateway, SERVICE, SERVICE_PORT } from "../../test/lab/traffic/lab-plan";

export interface TrafficBenchOptions {
  quick: boolean;
  out: string;
}

async function withLab<T>(
  run: (lab: GatewayLab, g: ReturnType<typeof labGateway>) => Promise<T>,
): Promise<T> {
  const g = labGateway([4, 1, 1]);
  const lab = GatewayLab.start(
    g.gatewayAddress,
    g.entries.map((e) => ({ name: e.site, address: e.address })),
  );
  try {
    for (const site of LAB_SITES) await lab.startBackend(site, SERVICE_PORT);
    await lab.startGateway(g.config, { proxy: SERVICE, upServers: 3 });
    return await run(lab, g);
  } finally {
    lab.close();
  }
}

export async function runTrafficBench(options: TrafficBenchOptions): Promise<void> {
  const missing = ["haproxy", "ip", "curl"].filter((c) => !findCommand(c));
  if (process.getuid?.() !== 0 || missing.length > 0) {
    console.log(
      `traffic bench skipped: needs root and ${missing.join(", ") || "nothing else"} (apt-get install -y haproxy curl wrk)`,
    );
    return;
  }
  const reps = options.quick ? 1 : 3;
  const throughput: { viaGateway: number; directOneSite: number; nodeViaGateway: number }[] = [];
  const failovers: (ReturnType<typeof judgeFailover> & { mode: string })[] = [];
  for (let i = 0; i < reps; i++) {
    await withLab(async (lab, g) => {
      const url = `http://${g.gatewayAddress}:${SERVICE_PORT}/`;
      const direct = `http://${g.entries[0]?.address}:${SERVICE_PORT}/`;
      const hasWrk = Boolean(findCommand("wrk"));
      const node = await lab.load({ url, n: 10_000, c: 32 });
      throughput.push({
        viaGateway: hasWrk ? lab.wrk(url, 5, 32) : Number.NaN,
        directOneSite: hasWrk ? lab.wrk(direct, 5, 32) : Number.NaN,
        nodeViaGateway: node.summary.rps,
      });
    });
    for (const mode of ["kill", "partition"] as const) {
      await withLab(async (lab, g) => {
        const rate = 300;
        const offset = lab.gatewayLogOffset();
        const running = lab.load({
          url: `http://${g.gatewayAddress}:${SERVICE_PORT}/`,
          n: rate * 7,
          c: 16,
          rate,
        });
        const start = Date.now();
        await sleep(2000);
        const lostAt = Date.now();
        if (mode === "kill") await lab.killBackend("s1");
        else lab.partition("s1", "down");
        await sleep(Math.max(0, start + 4500 - Date.now()));
        const restoredAt = Date.now();
        if (mode === "kill") await lab.startBackend("s1", SERVICE_PORT);
        else lab.partition("s1", "up");
        const { summary, requests } = await running;
        await lab.waitServerState(SERVICE, "s1", "UP");
        failovers.push({
          mode,
          ...judgeFailover({
            summary,
            requests,
            gatewayLog: await lab.settledGatewayLog(SERVICE, offset, summary.total),
            backend: SERVICE,
            victim: "s1",
            lostAt,
            restoredAt,
            windowMs: g.detectionWindowMs,
            expected: g.replicas,
            sites: [...LAB_SITES],
          }),
        });
      });
    }
  }
  const span = (xs: number[]) => {
    const ok = xs.filter((x) => Number.isFinite(x));
    return ok.length ? `${Math.round(Math.min(...ok))}..${Math.round(Math.max(...ok))}` : "n/a";
  };
  console.log("\nCross-site gateway (HAProxy, lab: 3 sites placed 4:1:1, quick check timings, window 1.8 s)");
  console.log(
    `  requests/s through the gateway (wrk, 32 connections, 5 s): ${span(throughput.map((t) => t.viaGateway))}`,
  );
  console.log(
    `  requests/s straight to one site's service (wrk):            ${span(throughput.map((t) => t.directOneSite))}`,
  );
  console.log(
    `  requests/s through the gateway (node load generator):      ${span(throughput.map((t) => t.nodeViaGateway))}`,
  );
  console.log("  failover (s1 carries 2/3; 300 req/s for 7 s, lost at 2 s, back at 4.5 s)");
  console.log("    mode       detection_ms  failed  failed_after_window  retried_after_window  recovery_ms");
  for (const mode of ["kill", "partition"]) {
    const rs = failovers.filter((f) => f.mode === mode);
    console.log(
      `    ${mode.padEnd(10)} ${span(rs.map((r) => r.detectionMs ?? Number.NaN)).padEnd(13)} ${span(rs.map((r) => r.failedTotal)).padEnd(7)} ${span(rs.map((r) => r.failedAfterWindow)).padEnd(20)} ${span(rs.map((r) => r.retriedAfterWindow)).padEnd(21)} ${span(rs.map((r) => r.recoveryMs ?? Number.NaN))}`,
    );
  }
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify({ throughput, failovers }, null, 2)}\n`);
  console.log(`  written to ${options.out}`);
}
