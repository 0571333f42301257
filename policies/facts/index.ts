// Facts the pack shares with the library, as a checked copy (scripts/policy/vendor-facts.ts writes
// library.json from components/; a test fails when they disagree). The pack is published alone,
// so it reads the copy, never components/.
import library from "./library.json";

/** One of the library's cluster add-ons and what it needs that Pod Security forbids others. */
export type AddonFacts = (typeof library.addons)[number] & { registryPattern?: string };

/** The facts, typed as read. */
export const LIBRARY: Omit<typeof library, "addons"> & { addons: readonly AddonFacts[] } = library;
