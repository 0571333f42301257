import type { TrafficPlan } from "../../components/traffic";
import { detectionWindowMs } from "../../components/traffic";

/** Cross-site services as text: each with its name, sites, weights and entries; then each gateway. */
export function trafficText(plan: TrafficPlan): string[] {
  if (plan.services.length === 0) return ["  no service is placed on more than one site"];
  const out: string[] = [];
  const shareOf = (weights: { weight: number }[], w: number) =>
    `${Math.round((100 * w) / weights.reduce((s, x) => s + x.weight, 0))}%`;
  for (const s of plan.services) {
    out.push(
      `  ${s.workload}  ${s.fqdn}:${s.gatewayPort}  (${s.mode}, ${s.algorithm}, ${s.classification}${s.preferLocal.length ? `, prefers local at ${s.preferLocal.join(", ")}` : ""})`,
    );
    for (const p of s.placed) {
      const entry = s.entries.find((e) => e.site === p.site);
      out.push(
        `    ${p.site.padEnd(8)} replicas ${String(p.replicas).padStart(2)}  weight ${String(p.weight).padStart(3)} (${shareOf(s.placed, p.weight)})  entry ${entry ? `${entry.addresses.join(", ")}:${s.port} from ${entry.sources.join(", ")}` : "none (no other site's gateway uses it)"}`,
      );
    }
    out.push(`    answered at: ${s.gatewaySites.join(", ")}`);
  }
  out.push("  Gateways (HAProxy):");
  for (const g of plan.gateways)
    out.push(
      `    ${g.site.padEnd(8)} ${g.addresses.join(", ")}  serves ${g.services.map((s) => `${s.workload}:${s.gatewayPort}`).join(", ")}  to ${g.sources.join(", ")}`,
    );
  out.push(
    `  A lost site is taken out within ${detectionWindowMs() / 1000} s by health checks (sooner by live traffic); requests to it are retried on another site.`,
  );
  return out;
}
