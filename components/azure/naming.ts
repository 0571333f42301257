import * as pulumi from "@pulumi/pulumi";
import { RandomString } from "@pulumi/random";
import { childName } from "../kit";

// Globally unique Azure names (Key Vaults, storage accounts), by kind: what characters they may
// hold and how long they may be.
const RULES = {
  /** 3-24 letters, digits and single dashes, starting with a letter. */
  keyVault: { maxLength: 24, separator: "-", strip: /[^a-z0-9-]/g },
  /** 3-24 lower-case letters and digits. */
  storageAccount: { maxLength: 24, separator: "", strip: /[^a-z0-9]/g },
} as const;

const SUFFIX_LENGTH = 6;

/**
 * A name unique across Azure: a prefix derived from `prefix` plus a random suffix kept in state,
 * so a replacement (or a redeploy after a soft-deleted vault still holds the old name) gets a new
 * name instead of a clash.
 */
export function uniqueName(
  name: string,
  parent: pulumi.Resource,
  kind: keyof typeof RULES,
  prefix: string,
): pulumi.Output<string> {
  const rule = RULES[kind];
  let stem = prefix
    .toLowerCase()
    .replace(rule.strip, "")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+/, "");
  stem = stem.slice(0, rule.maxLength - SUFFIX_LENGTH - rule.separator.length).replace(/-+$/, "");
  if (stem.length === 0) stem = kind === "keyVault" ? "kv" : "st";
  const suffix = new RandomString(
    childName(name, "suffix"),
    { length: SUFFIX_LENGTH, lower: true, upper: false, numeric: true, special: false },
    { parent },
  );
  return pulumi.interpolate`${stem}${rule.separator}${suffix.result}`;
}
