// `npm run check-azure-ranges [-- --file endpoints.json]`: fails when Microsoft's published Entra ID
// ranges differ from the pinned copy (ENTRA_ID_TOKEN_CIDRS). The source is the Microsoft 365 IP
// address and URL web service (https://aka.ms/ipurlws): endpoint set 56 (Entra ID's sign-in and
// token endpoints, login.microsoftonline.com and siblings), its IPv4 ranges. Without --file it
// downloads https://endpoints.office.com/endpoints/worldwide?clientrequestid=<guid> (a new GUID
// per run, as the service asks). Exit 0: unchanged; 1: changed (the diff is printed); 2: the
// answer could not be read.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ENTRA_ID_TOKEN_CIDRS } from "../components/facts";

/** The endpoint set the pinned copy was taken from. */
export const ENTRA_ENDPOINT_SET_ID = 56;
/** The web service's worldwide endpoints method. */
export const M365_ENDPOINTS_URL = "https://endpoints.office.com/endpoints/worldwide";

/** What changed between the pinned ranges and the published ones. */
export interface RangeDiff {
  added: string[];
  removed: string[];
}

/**
 * The IPv4 ranges of endpoint set `setId` in the web service's answer (an array of endpoint
 * sets, each with `id` and `ips`). Throws when the answer is not that shape or lacks the set.
 */
export function publishedEntraRanges(answer: unknown, setId = ENTRA_ENDPOINT_SET_ID): string[] {
  if (!Array.isArray(answer)) throw new Error("the answer is not a JSON array of endpoint sets");
  const set = answer.find((s): s is { id: number; ips?: unknown } => s?.id === setId);
  if (!set) throw new Error(`the answer has no endpoint set ${setId}`);
  if (!Array.isArray(set.ips) || !set.ips.every((ip) => typeof ip === "string")) {
    throw new Error(`endpoint set ${setId} has no list of ips`);
  }
  return [...new Set(set.ips.filter((ip) => !ip.includes(":")))].sort();
}

/** The ranges published and not pinned (added) and pinned and no longer published (removed). */
export function diffRanges(pinned: readonly string[], published: readonly string[]): RangeDiff {
  const p = new Set(pinned);
  const q = new Set(published);
  return {
    added: [...q].filter((r) => !p.has(r)).sort(),
    removed: [...p].filter((r) => !q.has(r)).sort(),
  };
}

/** The report a run prints, and its exit code. */
export function checkEntraRanges(
  answer: unknown,
  pinned: readonly string[] = ENTRA_ID_TOKEN_CIDRS,
): {
  code: 0 | 1;
  report: string;
} {
  const diff = diffRanges(pinned, publishedEntraRanges(answer));
  if (diff.added.length === 0 && diff.removed.length === 0) {
    return {
      code: 0,
      report: `Entra ID ranges unchanged (endpoint set ${ENTRA_ENDPOINT_SET_ID}, ${pinned.length} IPv4 ranges)`,
    };
  }
  const lines = [
    `Entra ID ranges changed (endpoint set ${ENTRA_ENDPOINT_SET_ID}): update ENTRA_ID_TOKEN_CIDRS in components/facts/entra.ts`,
    ...diff.added.map((r) => `+ ${r}`),
    ...diff.removed.map((r) => `- ${r}`),
  ];
  return { code: 1, report: lines.join("\n") };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { file: { type: "string" } } });
  let answer: unknown;
  if (values.file) {
    answer = JSON.parse(readFileSync(values.file, "utf8"));
  } else {
    const url = `${M365_ENDPOINTS_URL}?clientrequestid=${randomUUID()}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${M365_ENDPOINTS_URL} answered ${response.status}`);
    answer = await response.json();
  }
  const { code, report } = checkEntraRanges(answer);
  (code === 0 ? console.log : console.error)(report);
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`check-azure-ranges: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(2);
    },
  );
}
