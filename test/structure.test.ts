import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The library stays readable only while each function does one thing; this is the limit the
// structure review set (issue 7), checked on every function, method, arrow and constructor.
const MAX_FUNCTION_LINES = 120;
const root = resolve(__dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

interface FunctionSize {
  where: string;
  lines: number;
}

function functionSizes(file: string): FunctionSize[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const sizes: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name =
        "name" in node && node.name && ts.isIdentifier(node.name) ? node.name.text : ts.SyntaxKind[node.kind];
      sizes.push({ where: `${relative(root, file)}:${start + 1} ${name}`, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sizes;
}

describe("the library's structure", () => {
  it(`has no function in components/, stacks/ or scripts/ longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const long = ["components", "stacks", "scripts"]
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .flatMap(functionSizes)
      .filter((f) => f.lines > MAX_FUNCTION_LINES)
      .map((f) => `${f.where} (${f.lines} lines)`);
    expect(long).toEqual([]);
  });
});
