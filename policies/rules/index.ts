// Every rule of the pack, as plain arrays: tests run them directly, `policies/index.ts` serves
// them. The families are registered in families.ts, one line each.
import type { RuleFamily } from "../kit";
import * as families from "./families";

/** Each family, by its id (its file's name), in the order families.ts lists them. */
export const FAMILIES: Readonly<Record<string, RuleFamily>> = Object.fromEntries(
  Object.values(families).map((m) => [m.FAMILY.id, m.FAMILY]),
);

/** Every rule of the pack. */
export const ALL_RULES = Object.values(FAMILIES).flatMap((f) => f.rules);
