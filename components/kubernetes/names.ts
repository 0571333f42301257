import { createHash } from "node:crypto";

/**
 * A name the API server takes where it becomes a label value (a Job's name, a queue's): at most 63
 * characters. A longer one keeps its first 54 characters and ends in 8 hex digits of its SHA-256,
 * so it stays the same from one plan to the next.
 */
export function boundedName(name: string): string {
  if (name.length <= 63) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 54).replace(/-+$/, "")}-${hash}`;
}
