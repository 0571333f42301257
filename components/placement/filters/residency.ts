import { list } from "../words";
import { targetFilter, unresolvable } from "./filter";

// `residency`, when given, limits every classification to targets of those jurisdictions
// (compared without regard to case).

export const residency = targetFilter({
  rule: "residency",
  reads: ["residency"],
  check: (w, t) => {
    if (w.residency === null) return null;
    const jurisdiction = t.jurisdiction.toLowerCase();
    return w.residency.some((j) => j.toLowerCase() === jurisdiction)
      ? null
      : unresolvable(`residency allows ${list(w.residency)}; ${t.name} is in ${t.jurisdiction}`);
  },
});
