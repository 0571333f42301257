import { list } from "../words";
import type { TargetFilter } from "./filter";

// `residency`, when given, limits every classification to targets of those jurisdictions
// (compared without regard to case).

export const residency: TargetFilter = {
  rule: "residency",
  check: (w, t) => {
    if (w.residency === null) return null;
    const jurisdiction = t.jurisdiction.toLowerCase();
    return w.residency.some((j) => j.toLowerCase() === jurisdiction)
      ? null
      : `residency allows ${list(w.residency)}; ${t.name} is in ${t.jurisdiction}`;
  },
};
