import { list } from "../words";
import { targetFilter, unresolvable } from "./filter";

// Classification against the target's trust zone: restricted data only on private targets;
// confidential data on private targets, or on a public target inside the workload's residency.

export const trust = targetFilter({
  rule: "trust",
  reads: ["classification", "residency"],
  check: (w, t) => {
    if (t.trust === "private") return null;
    if (w.classification === "restricted") {
      return unresolvable(`restricted data runs only on private targets; ${t.name} is public`);
    }
    if (w.classification !== "confidential") return null;
    if (w.residency === null) {
      return unresolvable(
        `confidential data runs on private targets, or on public ones inside its residency (none given); ${t.name} is public`,
      );
    }
    const inside = w.residency.some((j) => j.toLowerCase() === t.jurisdiction.toLowerCase());
    return inside
      ? null
      : unresolvable(
          `confidential data runs on private targets, or on public ones inside its residency (${list(w.residency)}); ${t.name} is public in ${t.jurisdiction}`,
        );
  },
});
