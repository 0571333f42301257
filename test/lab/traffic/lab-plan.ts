// The lab's gateway, planned the way a stack plans one: three sites run the service (placed 4:1:1)
// and a fourth, `gw`, runs only the gateway; each site's entry range is a /31 of the lab block, so
// the plan pins its service's entry on the range's second address, where the lab binds it.
import {
  type GatewayTiming,
  planTraffic,
  renderGatewayConfig,
  type TrafficSite,
} from "../../../components/traffic";

/** Check timings for a quick lab run: a lost site is DOWN by checks alone within 1.8 s. */
export const QUICK_TIMING: Partial<GatewayTiming> = {
  connectMs: 300,
  checkMs: 300,
  interMs: 500,
  fastInterMs: 100,
  downInterMs: 500,
  fall: 2,
  rise: 2,
};

export const LAB_SITES = ["s1", "s2", "s3"] as const;
export const SERVICE = "storefront";
export const SERVICE_PORT = 8080;

/** How to break the rendered gateway on purpose (the lab must then fail): `TRAFFIC_LAB_BREAK`. */
export type Break = "weights" | "checks" | undefined;

/** The lab's plan: the gateway's config text, the sites' entry addresses, the placed replicas. */
export interface LabGateway {
  gatewayAddress: string;
  entries: { site: string; address: string }[];
  replicas: Record<string, number>;
  config: string;
  detectionWindowMs: number;
}

export function labGateway(
  replicas: [number, number, number] = [4, 1, 1],
  broken: Break = undefined,
): LabGateway {
  const block = (i: number) => `10.77.0.${10 + 2 * i}/31`;
  const sites: TrafficSite[] = [
    {
      name: "gw",
      kind: "onprem",
      trust: "private",
      networks: ["10.77.0.2/31"],
      peers: [...LAB_SITES],
      entryRange: { kind: "onprem", block: "10.77.0.2/31", addressPool: "lab" },
    },
    ...LAB_SITES.map((name, i) => ({
      name,
      kind: "onprem" as const,
      trust: "private" as const,
      networks: [block(i)],
      peers: ["gw"],
      entryRange: { kind: "onprem" as const, block: block(i), addressPool: "lab" },
    })),
  ];
  // Broken weights: the renderer is handed equal replicas, as a bug that ignored placement would.
  const rendered = broken === "weights" ? [1, 1, 1] : replicas;
  const { plan, issues } = planTraffic({
    domain: "svc.lab.hybrid.internal",
    sites,
    workloads: [
      {
        name: SERVICE,
        kind: "service",
        classification: "internal",
        namespace: "web",
        ports: [{ name: "http", port: SERVICE_PORT }],
        // The lab's client waits 10 s: longer than timeout server + connect, so a replayed request helps.
        traffic: { timeoutSeconds: 5 },
      },
    ],
    assignments: LAB_SITES.map((target, i) => ({ workload: SERVICE, target, replicas: rendered[i] ?? 1 })),
  });
  if (issues.length > 0) throw new Error(`lab plan: ${JSON.stringify(issues)}`);
  const gateway = plan.gateways.find((g) => g.site === "gw");
  const service = plan.services[0];
  if (!gateway || !service) throw new Error("the lab plan has no gateway at gw");
  const gatewayAddress = gateway.addresses[0] ?? "";
  const out = renderGatewayConfig({
    ...gateway.config,
    bindAddress: gatewayAddress,
    timing: QUICK_TIMING,
    // Timestamps in every line: the judge reads state changes and each request's accept time.
    logFormat: "rfc5424",
  });
  // Broken checks: servers without `check ...` (retries stay on, so failures alone would not show it).
  const config = broken === "checks" ? out.text.replace(/ check inter .* on-error mark-down/g, "") : out.text;
  return {
    gatewayAddress,
    entries: service.entries.map((e) => ({ site: e.site, address: e.addresses[0] ?? "" })),
    replicas: Object.fromEntries(LAB_SITES.map((s, i) => [s, replicas[i] ?? 0])),
    config,
    detectionWindowMs: out.detectionWindowMs,
  };
}
