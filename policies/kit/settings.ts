// The commonest shape of a rule: a few fields, each with the values that keep a promise, what the
// provider does when the field is left out, and what to say when it does not hold.
import type { ResourceContext } from "./rule";
import { get, isAbsent, type Props, show } from "./values";

/** One field a promise depends on. */
export interface Setting {
  /** Dotted path in the resource's (or an inline child's) inputs. */
  path: string;
  /** Whether the value (undefined when unset) keeps the promise. */
  holds: (value: unknown) => boolean;
  /** What the provider does when the field is left out, for the message. */
  providerDefault: string;
  /** What goes wrong while it does not hold. */
  risk: string;
  /** What would be valid. */
  fix: string;
}

/**
 * Reports each setting that does not hold; `at` prefixes paths (`agentPoolProfiles[0].`) and
 * `label` names the child (` (pool gpu)`). Unknown values are left to the update; a patch's
 * absent fields keep the live object's values and are not judged.
 */
export function checkSettings(
  ctx: Pick<ResourceContext, "report" | "known" | "judgesAbsent">,
  props: Props,
  settings: readonly Setting[],
  at = "",
  label = "",
): void {
  for (const s of settings) {
    const value = get(props, s.path);
    if (!ctx.known(value, `${at}${s.path}`)) continue;
    if (isAbsent(value) && !ctx.judgesAbsent) continue;
    if (s.holds(value)) continue;
    ctx.report(`${at}${s.path}${label} is ${show(value, s.providerDefault)}, so ${s.risk}; ${s.fix}`);
  }
}
