// Facts a regular expression cannot check: which AWS regions and Azure locations exist, how zones
// are named, which Kubernetes versions EKS and AKS run. Tables as of 2026-11, from AWS's region
// list and EKS release calendar and Azure's location list and AKS release calendar; refresh them
// with each provider release. A value newer than a table is allowed explicitly, never silently
// (the stack config's `allowUnlisted`).
import { distance, closest as nearest } from "fastest-levenshtein";

/** AWS commercial regions, GovCloud and China. */
export const AWS_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-gov-east-1",
  "us-gov-west-1",
  "us-west-1",
  "us-west-2",
];

/** Azure public-cloud locations that host AKS, as ARM names them. */
export const AZURE_LOCATIONS: readonly string[] = [
  "australiacentral",
  "australiacentral2",
  "australiaeast",
  "australiasoutheast",
  "austriaeast",
  "belgiumcentral",
  "brazilsouth",
  "brazilsoutheast",
  "canadacentral",
  "canadaeast",
  "centralindia",
  "centralus",
  "chilecentral",
  "eastasia",
  "eastus",
  "eastus2",
  "francecentral",
  "francesouth",
  "germanynorth",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "jioindiacentral",
  "jioindiawest",
  "koreacentral",
  "koreasouth",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "norwaywest",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southafricawest",
  "southcentralus",
  "southeastasia",
  "southindia",
  "spaincentral",
  "swedencentral",
  "swedensouth",
  "switzerlandnorth",
  "switzerlandwest",
  "uaecentral",
  "uaenorth",
  "uksouth",
  "ukwest",
  "westcentralus",
  "westeurope",
  "westindia",
  "westus",
  "westus2",
  "westus3",
];

/** The month every table of this file describes (and judges support windows by). */
export const FACTS_AS_OF = "2026-11";

/** One AKS minor's life, by month (YYYY-MM). */
export interface AksVersionLife {
  /** AKS general availability. */
  ga: string;
  /** Last month of community (standard) support: twelve months after GA, as AKS's policy says. */
  communityEnd: string;
  /** Last month of long-term support (Premium tier, `supportPlan: AKSLongTermSupport`): a year more. */
  ltsEnd: string;
}

/**
 * The AKS release calendar for the minors AKS runs (community or long-term support). Sources: the
 * AKS "Supported Kubernetes versions" calendar (1.32: GA 2025-04, end of life 2026-03), the AKS
 * release notes that brought each minor to GA (1.33: 2025-06-17, 1.34: 2026-01-04, 1.35:
 * 2026-03-05; 1.36 as announced, 2026-07), and the long-term support policy (every version from
 * 1.27 on is LTS-eligible: one year of community support, one year of LTS).
 */
export const AKS_VERSION_CALENDAR: Readonly<Record<string, AksVersionLife>> = {
  "1.32": { ga: "2025-04", communityEnd: "2026-03", ltsEnd: "2027-03" },
  "1.33": { ga: "2025-06", communityEnd: "2026-06", ltsEnd: "2027-06" },
  "1.34": { ga: "2026-01", communityEnd: "2027-01", ltsEnd: "2028-01" },
  "1.35": { ga: "2026-03", communityEnd: "2027-03", ltsEnd: "2028-03" },
  "1.36": { ga: "2026-07", communityEnd: "2027-07", ltsEnd: "2028-07" },
};

/** Kubernetes minors in standard or extended (EKS) or community and long-term (AKS) support. */
export const KUBERNETES_VERSIONS: Readonly<Record<"eks" | "aks", readonly string[]>> = {
  eks: ["1.31", "1.32", "1.33", "1.34", "1.35", "1.36"],
  aks: Object.keys(AKS_VERSION_CALENDAR),
};

/** Months from `from` to `to` (YYYY-MM each): 0 in the same month, negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  const months = (ym: string) => {
    const [year = 0, month = 0] = ym.split("-").map(Number);
    return year * 12 + month;
  };
  return months(to) - months(from);
}

/** The known value closest to `value`, when it is close enough to be a typo. */
export function didYouMean(value: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const best = nearest(value, [...known]);
  return distance(value, best) <= Math.max(2, Math.floor(value.length / 4)) ? best : undefined;
}

/**
 * Why `value` is not in `known` (what it is, the closest known value, how to allow a newer one),
 * or null when it is known or explicitly allowed.
 */
export function unknownFact(
  value: string,
  known: readonly string[],
  what: string,
  allowed: readonly string[] | undefined,
  override: string,
): string | null {
  if (known.includes(value) || allowed?.includes(value)) return null;
  // A short table is listed whole; in a long one, the closest name is the likely typo.
  const hint = didYouMean(value, known);
  const said =
    known.length <= 8
      ? `"${value}" is not ${what} (as of ${FACTS_AS_OF}: ${known.join(", ")}).`
      : `"${value}" is not ${what} (as of ${FACTS_AS_OF}).${hint ? ` Did you mean ${hint}?` : ""}`;
  return `${said} If it is newer than that table, list it in ${override}`;
}

/**
 * Why `zone` is not a zone of AWS region `region`: zones are the region's name and a letter
 * (eu-west-1a), or a Local Zone (us-west-2-lax-1a).
 */
export function awsZoneProblem(zone: string, region: string): string | null {
  if (new RegExp(`^${region}([a-z]|-[a-z]+-\\d+[a-z])$`).test(zone)) return null;
  const owner = AWS_REGIONS.find((r) => zone.startsWith(r) && /^[a-z]$/.test(zone.slice(r.length)));
  return owner
    ? `"${zone}" is a zone of ${owner}, not of ${region}; zones of ${region} are named ${region}a, ${region}b, ...`
    : `"${zone}" is not a zone of ${region}; zones of ${region} are named ${region}a, ${region}b, ...`;
}
