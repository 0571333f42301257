import { z } from "zod";

// DNS names as all three resolvers take them: letters, digits and dashes (LDH), two labels or more.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `text` lower-cased and without its trailing dot, the form the zone tables use. */
export function normaliseDomain(text: string): string {
  return text.trim().toLowerCase().replace(/\.$/, "");
}

/** Whether a normalised name is a DNS name of two labels or more, at most 253 characters. */
export function isDnsName(name: string): boolean {
  const labels = name.split(".");
  return name.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label));
}

/** A domain to forward, with or without its trailing dot; parsed to the normalised form. */
export const domainSchema = z.string().transform((text, ctx) => {
  const name = normaliseDomain(text);
  if (isDnsName(name)) return name;
  ctx.addIssue({
    code: "custom",
    input: text,
    message: `${JSON.stringify(text)} is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)`,
  });
  return z.NEVER;
});

/** An IPv4 address in dotted-quad form. */
export const ipv4Schema = z.ipv4({ error: "is not an IPv4 address such as 10.10.0.53" });
