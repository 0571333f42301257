// The published entries are the API: each entry's exported names (values and types) are kept in a
// snapshot, so any change to the public surface shows as a diff in review. The root door lists the
// site entries' names again, lazily: it must list exactly theirs.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const ENTRIES = ["aws", "azure", "onprem", "kubernetes", "vpn", "placement", "testing"] as const;
const SITE_ENTRIES = ["aws", "azure", "onprem", "kubernetes", "vpn"] as const;

interface Exported {
  name: string;
  kind: "value" | "type";
}

/** The names a door file exports, read from its syntax (re-export lists, declarations, `export *`). */
function exportsOf(file: string): Exported[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const out: Exported[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const from = statement.moduleSpecifier;
      if (!statement.exportClause && from && ts.isStringLiteral(from)) {
        const target = resolve(file, "..", from.text);
        const path = target.endsWith(".ts") ? target : join(target, "index.ts");
        out.push(...exportsOf(path).map((e) => (statement.isTypeOnly ? { ...e, kind: "type" as const } : e)));
      } else if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements)
          out.push({
            name: element.name.text,
            kind: statement.isTypeOnly || element.isTypeOnly ? "type" : "value",
          });
      }
    } else if (ts.isVariableStatement(statement) && hasExport(statement)) {
      for (const d of statement.declarationList.declarations)
        if (ts.isIdentifier(d.name)) out.push({ name: d.name.text, kind: "value" });
    } else if (
      (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) &&
      hasExport(statement)
    ) {
      out.push({ name: statement.name.text, kind: "type" });
    }
  }
  return out;
}

function hasExport(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** `name` for values, `type name` for types; a class is a value (its type comes with it). */
function listing(exported: Exported[]): string[] {
  const values = new Set(exported.filter((e) => e.kind === "value").map((e) => e.name));
  const lines = exported
    .filter((e) => e.kind === "value" || !values.has(e.name))
    .map((e) => (e.kind === "type" ? `type ${e.name}` : e.name));
  return [...new Set(lines)].sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, "")));
}

describe("the published entries", () => {
  it("export exactly the names in the snapshot (a change to the API is a visible diff)", async () => {
    const text = ENTRIES.map((entry) => {
      const names = listing(exportsOf(join(root, "components", entry, "index.ts")));
      return `hybrid-ai-infra/${entry}\n${names.map((n) => `  ${n}`).join("\n")}\n`;
    }).join("\n");
    const rootNames = listing(exportsOf(join(root, "components", "index.ts")));
    await expect(
      `${text}\nhybrid-ai-infra\n${rootNames.map((n) => `  ${n}`).join("\n")}\n`,
    ).toMatchFileSnapshot("__snapshots__/entries.txt");
  });

  it("give every entry ConfigError, so a single-cloud program can catch it", () => {
    for (const entry of ENTRIES)
      expect(listing(exportsOf(join(root, "components", entry, "index.ts"))), entry).toContain("ConfigError");
  });

  it("list at the root every name of the site entries, and nothing of their internals", () => {
    const rootNames = new Set(listing(exportsOf(join(root, "components", "index.ts"))));
    for (const entry of SITE_ENTRIES)
      for (const name of listing(exportsOf(join(root, "components", entry, "index.ts"))))
        expect(rootNames.has(name), `${name} of hybrid-ai-infra/${entry}`).toBe(true);
    const internals = SITE_ENTRIES.flatMap((entry) =>
      listing(exportsOf(join(root, "components", entry, "internal.ts"))),
    );
    expect(internals.filter((name) => rootNames.has(name))).toEqual([]);
  });

  it("never publish a folder's internal door", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    expect(Object.keys(pkg.exports).filter((k) => k.includes("internal"))).toEqual([]);
  });
});
