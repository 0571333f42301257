import { list } from "../words";
import { targetFilter, unresolvable } from "./filter";

// Classification against the target's trust zone: restricted data only on private targets;
// confidential data on private targets, or on a public target inside the workload's residency. A
// public target is a private cluster in a public cloud, so the sentences say "in a public cloud"
// (a bare "is public" reads as an endpoint open to the internet).
// The one definition of where data may go: placement's filter, the queues' bursting (which targets
// a Job may be dispatched to) and the policy pack all read it from here.

/** What the rule reads of a workload. */
export interface TrustSubject {
  classification: string;
  /** Allowed jurisdictions; null or absent when the workload names none. */
  residency?: readonly string[] | null | undefined;
}

/** What the rule reads of a target. */
export interface TrustPlace {
  name: string;
  trust: string;
  jurisdiction: string;
}

/** Whether data of this classification may ever run on a public target: restricted data never does. */
export function mayRunOnPublic(classification: string): boolean {
  return classification !== "restricted";
}

/**
 * Why `w`'s data may not run on `t` by trust zone (one sentence), or null when it may. Residency as
 * such is the residency rule's; here it only widens where confidential data may go.
 */
export function trustRejection(w: TrustSubject, t: TrustPlace): string | null {
  if (t.trust === "private") return null;
  if (!mayRunOnPublic(w.classification))
    return `restricted data runs only on private targets; ${t.name} is in a public cloud`;
  if (w.classification !== "confidential") return null;
  const residency = w.residency ?? null;
  if (residency === null || residency.length === 0) {
    return `confidential data runs on private targets, or in a public cloud inside its residency (none given); ${t.name} is in a public cloud`;
  }
  const inside = residency.some((j) => j.toLowerCase() === t.jurisdiction.toLowerCase());
  return inside
    ? null
    : `confidential data runs on private targets, or in a public cloud inside its residency (${list([...residency])}); ${t.name} is in a public cloud, in ${t.jurisdiction}`;
}

export const trust = targetFilter({
  rule: "trust",
  reads: ["classification", "residency"],
  check: (w, t) => {
    const reason = trustRejection(w, t);
    return reason === null ? null : unresolvable(reason);
  },
});
