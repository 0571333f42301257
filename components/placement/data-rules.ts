import { type TrustPlace, type TrustSubject, trustRejection } from "./filters/trust";

// Where a dataset's copies may go: the trust rule placement runs workloads by, applied to the
// data itself. A backup or a staged copy is the data living on another site, so it may go exactly
// where a workload holding data of that classification may run: restricted data only to private
// sites, confidential data to private sites or to public ones inside its residency. A dataset whose
// entry says nothing about staging may be staged wherever this allows (`staging: false` turns it
// off; `staging: true` never widens it). One
// definition, read by the stack config (refusing a backup target), by the staging targets placement
// is given, and by the policy pack (a backup Job whose destination its classification forbids).

/** Why a dataset's data is copied to another site. */
export type DataCopyPurpose = "backup" | "staging";

/** What the rule reads of a dataset: its classification and residency (allowed jurisdictions). */
export interface DataSubject extends TrustSubject {
  name: string;
}

const VERB: Record<DataCopyPurpose, string> = { backup: "backed up", staging: "staged" };

/**
 * Why `dataset` may not be copied to `site` for `purpose` (one sentence in the trust rule's words),
 * or null when it may.
 */
export function dataCopyRejection(
  dataset: DataSubject,
  site: TrustPlace,
  purpose: DataCopyPurpose,
): string | null {
  const reason = trustRejection(dataset, site);
  return reason === null ? null : `${dataset.name} may not be ${VERB[purpose]} to ${site.name}: ${reason}`;
}
