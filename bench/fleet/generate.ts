// A generated fleet far larger than the reference stacks: clusters on both clouds and on-premises,
// and a catalog of thousands of workloads, seeded so every run plans the same fleet.
import type { WorkloadSpec } from "../../components/kubernetes";
import { Rng } from "../placement/rng";

/** One cluster of the fleet. */
export interface FleetCluster {
  name: string;
  cloud: "aws" | "azure" | "onprem";
  region: string;
  jurisdiction: string;
  /** The cluster's network, distinct from every other's. */
  cidr: string;
}

const AWS_REGIONS: [string, string][] = [
  ["eu-west-1", "EU"],
  ["eu-central-1", "EU"],
  ["us-east-1", "US"],
  ["us-west-2", "US"],
  ["ap-southeast-1", "SG"],
  ["eu-west-2", "UK"],
  ["us-east-2", "US"],
  ["ca-central-1", "CA"],
];
const AZURE_LOCATIONS: [string, string][] = [
  ["westeurope", "EU"],
  ["northeurope", "EU"],
  ["eastus", "US"],
  ["westus2", "US"],
  ["uksouth", "UK"],
  ["swedencentral", "EU"],
];

/** `clusters` clusters: 40% AWS, 30% Azure, 30% on-premises, each with its own /16. */
export function fleetClusters(clusters: number): FleetCluster[] {
  return Array.from({ length: clusters }, (_, i): FleetCluster => {
    const cidr = `10.${100 + i}.0.0/16`;
    const kind = i % 10 < 4 ? "aws" : i % 10 < 7 ? "azure" : "onprem";
    if (kind === "aws") {
      const [region, jurisdiction] = AWS_REGIONS[i % AWS_REGIONS.length] as [string, string];
      return { name: `eks-${i}`, cloud: "aws", region, jurisdiction, cidr };
    }
    if (kind === "azure") {
      const [region, jurisdiction] = AZURE_LOCATIONS[i % AZURE_LOCATIONS.length] as [string, string];
      return { name: `aks-${i}`, cloud: "azure", region, jurisdiction, cidr };
    }
    return { name: `dc-${i}`, cloud: "onprem", region: `dc-${i}`, jurisdiction: i % 2 ? "EU" : "US", cidr };
  });
}

const CLASSIFICATIONS = ["public", "internal", "internal", "confidential", "restricted"] as const;
const KINDS = ["service", "service", "inference", "batch", "training"] as const;
const GPU_MODELS = [["A100"], ["A10G", "L4", "T4"], ["L40S"], ["A100", "H100"]];

/** `count` workloads from `teams` teams (one namespace each), seeded. */
export function fleetCatalog(count: number, teams: number, seed = 7): WorkloadSpec[] {
  const generator = new Rng(seed);
  const random = () => generator.next();
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i): WorkloadSpec => {
    const kind = pick(KINDS);
    const gpu = kind !== "service" && random() < 0.35;
    const classification = pick(CLASSIFICATIONS);
    const serving = kind === "service" || kind === "inference";
    return {
      name: `w-${String(i).padStart(5, "0")}`,
      kind,
      owner: `team-${i % teams}`,
      image: `registry.acme-ml.io/team-${i % teams}/app:1.${i % 10}.0`,
      replicas: kind === "training" ? (gpu ? 2 : 1) : 1 + Math.floor(random() * 3),
      cpu: gpu ? 4 : 0.5 + Math.floor(random() * 4),
      memoryGiB: gpu ? 16 : 1 + Math.floor(random() * 8),
      ...(gpu ? { gpu: { count: 1, models: pick(GPU_MODELS) } } : {}),
      classification,
      ...(classification === "confidential" ? { residency: ["EU", "US"] } : {}),
      priority: Math.floor(random() * 100),
      spotOk: !serving && classification !== "confidential" && random() < 0.5,
      ...(serving ? { ports: [{ name: "http", port: 8080 }] } : {}),
    } as WorkloadSpec;
  });
}
