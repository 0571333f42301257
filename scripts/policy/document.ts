// A plan document as `npm run policy` reads it: any JSON file with
// `resources: [{ urn, type, name, inputs, ... }]`, checked before the pack starts.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { DocumentResource } from "./analyzer";

/** A document that cannot be evaluated: unreadable, not JSON, or not of the plan's shape. */
export class DocumentError extends Error {}

const documentSchema = z.looseObject({
  resources: z.array(
    z.looseObject({
      urn: z.string().regex(/^urn:pulumi:/, "is not a Pulumi URN (urn:pulumi:...)"),
      type: z.string().min(1),
      name: z.string().min(1),
      inputs: z.record(z.string(), z.unknown()),
      parent: z.string().nullable().optional(),
      custom: z.boolean().optional(),
      protect: z.boolean().optional(),
      dependsOn: z.array(z.string()).optional(),
      provider: z.string().nullable().optional(),
    }),
  ),
});

/** Reads and checks `file`; every problem names the file and where in it. */
export function readDocument(file: string): DocumentResource[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DocumentError(
      `${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DocumentError(`${file}: is not JSON (${(e as Error).message})`);
  }
  const parsed = documentSchema.safeParse(doc);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new DocumentError(
      `${file}: is not a plan document ({ "resources": [{ "urn", "type", "name", "inputs" }] }):\n  ${issues.join("\n  ")}`,
    );
  }
  return parsed.data.resources as DocumentResource[];
}
