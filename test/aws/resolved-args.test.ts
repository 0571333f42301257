import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Issue 18.3: each AWS component applies its defaults once, in a `resolve*` function, and its
// helpers take the resolved type; a default written again at a use site drifts from the one the
// schema and the stack config document. And the stack config checks AWS args with the same plain
// rules the components run, not by constructing components on placeholder args.
const root = resolve(__dirname, "../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The names of the functions around `node`, innermost first (an arrow by the variable or property it is bound to). */
function enclosingFunctionNames(node: ts.Node): string[] {
  const names: string[] = [];
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if ((ts.isFunctionDeclaration(at) || ts.isMethodDeclaration(at)) && at.name)
      names.push(at.name.getText());
    if ((ts.isArrowFunction(at) || ts.isFunctionExpression(at)) && at.parent) {
      const owner = at.parent;
      if (ts.isVariableDeclaration(owner) || ts.isPropertyAssignment(owner)) names.push(owner.name.getText());
    }
  }
  return names;
}

/** Whether `node` is inside a resolve function (at any depth: an arrow it returns counts). */
const insideResolve = (node: ts.Node): boolean =>
  enclosingFunctionNames(node).some((name) => name.startsWith("resolve"));

function rootIdentifier(node: ts.Expression): string | undefined {
  let at: ts.Expression = node;
  while (ts.isPropertyAccessExpression(at) || ts.isElementAccessExpression(at)) at = at.expression;
  return ts.isIdentifier(at) ? at.text : undefined;
}

const isDefaultLiteral = (node: ts.Expression): boolean =>
  node.kind === ts.SyntaxKind.TrueKeyword ||
  node.kind === ts.SyntaxKind.FalseKeyword ||
  ts.isNumericLiteral(node) ||
  (ts.isStringLiteral(node) && node.text !== "");

/** Every `a ?? b` outside a `resolve*` function whose `b` is a `*_DEFAULTS` value, or a literal default of an arg. */
function fallbacksAtUseSites(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const defaults = /\b[A-Z][A-Z0-9_]*_DEFAULTS\b/.test(node.right.getText(source));
      const argLiteral =
        ["args", "parsed"].includes(rootIdentifier(node.left) ?? "") && isDefaultLiteral(node.right);
      const owner = enclosingFunctionNames(node)[0] ?? "";
      if ((defaults || argLiteral) && !insideResolve(node)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push(`${relative(root, file)}:${line} (${owner || "top level"}) ${node.getText(source)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("the AWS components' args (issue 18.3)", () => {
  it("apply every default in a resolve function: no `?? X_DEFAULTS` or literal arg fallback at a use site", () => {
    const found = sourceFiles(join(root, "components/aws")).flatMap(fallbacksAtUseSites);
    expect(found).toEqual([]);
  });

  it("the check itself finds a default written at a use site", () => {
    const probe = "probe.ts";
    const text = [
      "function helper(args: { os?: string; efa?: boolean }) {",
      "  return [args.os ?? NODE_GROUP_DEFAULTS.os, args.efa ?? false];",
      "}",
      "function resolveThing(args: { os?: string }) {",
      "  return args.os ?? NODE_GROUP_DEFAULTS.os;",
      "}",
    ].join("\n");
    const source = ts.createSourceFile(probe, text, ts.ScriptTarget.ES2022, true);
    const hits: boolean[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
        hits.push(insideResolve(node));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(hits).toEqual([false, false, true]);
  });

  it("the stack config constructs no AWS component: stacks/config imports only components/aws/internal's rules", () => {
    const files = sourceFiles(join(root, "stacks/config"));
    const constructs = files.filter((f) =>
      /\bnew Aws[A-Z]\w*\(|\bparse(Cluster|Bucket|Vpc)Args\(/.test(readFileSync(f, "utf8")),
    );
    expect(constructs.map((f) => relative(root, f))).toEqual([]);
  });

  it("the stack config runs the components' own AWS rules (one function each, not a copy)", () => {
    const checks = readFileSync(join(root, "stacks/config/checks/aws.ts"), "utf8");
    for (const rule of ["checkImagesReachable", "checkClusterNames"])
      expect(checks, `stacks/config/checks/aws.ts calls ${rule}`).toContain(rule);
  });
});
