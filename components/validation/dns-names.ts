import { z } from "zod";
import { formatPath } from "./errors";
import type { IssueSink } from "./validation";

// DNS names as every resolver here takes them (Route 53 Resolver, Azure DNS Private Resolver,
// unbound): letters, digits and dashes (LDH), two labels or more.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `text` lower-cased and without its trailing dot, the form the zone tables use. */
export function normaliseDomain(text: string): string {
  return text.trim().toLowerCase().replace(/\.$/, "");
}

/** Whether a normalised name is a DNS name of two labels or more (and at most `maxLabels`), at most 253 characters. */
export function isDnsName(name: string, maxLabels = 127): boolean {
  const labels = name.split(".");
  return (
    name.length <= 253 &&
    labels.length >= 2 &&
    labels.length <= maxLabels &&
    labels.every((label) => LABEL.test(label))
  );
}

/** A domain to forward, with or without its trailing dot, parsed to the normalised form; at most `maxLabels` labels. */
export function domainSchema(maxLabels = 127) {
  return z.string().transform((text, ctx) => {
    const name = normaliseDomain(text);
    if (isDnsName(name, maxLabels)) return name;
    ctx.addIssue({
      code: "custom",
      input: text,
      message: isDnsName(name)
        ? `${JSON.stringify(text)} has ${name.split(".").length} labels; at most ${maxLabels} here`
        : `${JSON.stringify(text)} is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)`,
    });
    return z.NEVER;
  });
}

/** An IPv4 address in dotted-quad form. */
export const ipv4AddressSchema = z.ipv4({ error: "is not an IPv4 address such as 10.10.0.53" });

/** The list a field holds, or none when it is not one (its own check reports that). */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The `domain` of each zone in a list of zones, as given. */
export function domainsOf(zones: unknown): unknown[] {
  return listOf(zones).map((zone) =>
    typeof zone === "object" && zone !== null ? (zone as { domain?: unknown }).domain : undefined,
  );
}

/**
 * Flags each plain string that repeats an earlier one, ignoring case (DNS names and cloud ids
 * compare so); Outputs are left to the cloud.
 */
export function flagRepeats(
  sink: IssueSink,
  values: unknown[],
  path: (i: number) => PropertyKey[],
  why: string,
): void {
  const seen = new Map<string, number>();
  values.forEach((value, i) => {
    if (typeof value !== "string") return;
    const key = value.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      sink.addIssue({
        code: "custom",
        path: path(i),
        message: `"${value}" repeats ${formatPath(path(first))}; ${why}`,
      });
  });
}
