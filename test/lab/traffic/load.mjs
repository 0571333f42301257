// Bounded load generator for the lab: exactly --n requests, --c at a time, optionally paced at
// --rate requests/s so a run spans a known time. Records every request (start offset, duration,
// status, answering site, error) and prints a JSON summary; --out keeps the per-request log.
// Usage: node load.mjs --url http://10.77.0.10:8080/ --n 3000 --c 8 [--rate 500] [--timeout 5000]
//        [--method GET|POST] [--out file.json]

import { writeFileSync } from "node:fs";
import http from "node:http";

const argv = process.argv.slice(2);
const args = {};
for (let i = 0; i + 1 < argv.length; i += 2) args[argv[i].replace(/^--/, "")] = argv[i + 1];
const url = new URL(args.url ?? "");
const total = Number(args.n ?? 1000);
const concurrency = Number(args.c ?? 8);
const rate = args.rate ? Number(args.rate) : 0;
const timeoutMs = Number(args.timeout ?? 5000);
const method = args.method ?? "GET";
if (!(total > 0 && total <= 1_000_000 && concurrency > 0 && concurrency <= 1024)) {
  console.error("--n must be 1..1000000 and --c 1..1024");
  process.exit(2);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const log = new Array(total);
let next = 0;
const start = performance.now();
const startEpochMs = Date.now();

function one(i) {
  return new Promise((resolve) => {
    const t0 = performance.now() - start;
    const body = method === "POST" ? JSON.stringify({ i }) : undefined;
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: body
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => {
          log[i] = {
            t: t0,
            d: performance.now() - start - t0,
            s: res.statusCode,
            site: res.headers["x-site"] ?? null,
          };
          resolve();
        });
        res.on("error", (e) => {
          log[i] = { t: t0, d: performance.now() - start - t0, s: 0, err: e.code ?? e.message };
          resolve();
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e) => {
      log[i] = { t: t0, d: performance.now() - start - t0, s: 0, err: e.code ?? e.message };
      resolve();
    });
    req.end(body);
  });
}

async function worker() {
  for (;;) {
    const i = next++;
    if (i >= total) return;
    if (rate > 0) {
      const due = (i * 1000) / rate - (performance.now() - start);
      if (due > 0) await new Promise((r) => setTimeout(r, due));
    }
    await one(i);
  }
}

await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
const elapsed = (performance.now() - start) / 1000;
agent.destroy();

const perSite = {};
const failures = [];
for (const r of log) {
  if (r.s === 200 && r.site) perSite[r.site] = (perSite[r.site] ?? 0) + 1;
  else failures.push({ t: Math.round(r.t), s: r.s, err: r.err ?? null });
}
const lat = log.map((r) => r.d).sort((a, b) => a - b);
const q = (p) => Math.round(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] * 100) / 100;
const summary = {
  startEpochMs,
  total,
  ok: total - failures.length,
  failed: failures.length,
  seconds: Math.round(elapsed * 1000) / 1000,
  rps: Math.round(total / elapsed),
  perSite,
  latencyMs: { p50: q(0.5), p99: q(0.99), max: q(1) },
  firstFailureMs: failures.length ? failures[0].t : null,
  lastFailureMs: failures.length ? failures[failures.length - 1].t : null,
  failures: failures.slice(0, 20),
};
if (args.out) writeFileSync(args.out, JSON.stringify({ summary, log }));
console.log(JSON.stringify(summary));
