// Facts the pack shares with the library, as a checked copy (scripts/policy/vendor-facts.ts writes
// library.json from components/; a test fails when they disagree). The pack is published alone,
// so it reads the copy, never components/.
import library from "./library.json";

/** One of the library's cluster add-ons and what it needs that Pod Security forbids others. */
export type AddonFacts = Omit<(typeof library.addons)[number], "flags" | "entrypoint"> & {
  registryPattern?: string;
  /** The executable its containers run, or null for the image's entrypoint. */
  entrypoint: string | null;
  /** The flags its containers may pass (`--name` of `--name=value`). */
  flags: readonly string[];
};

/** The facts, typed as read. */
export const LIBRARY: Omit<typeof library, "addons"> & { addons: readonly AddonFacts[] } = library;
