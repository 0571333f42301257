// Reading the YAML and JSON files a user writes (stack files, catalogs, locks): a syntax error
// names the file, the line and the column, and shows the line, instead of a parser's stack trace.
import { parseDocument } from "yaml";
import { ConfigError } from "./errors";

/** `file:line:col` text with the offending line and a caret under the column. */
function located(file: string, text: string, line: number, col: number, message: string): ConfigError {
  const source = text.split(/\r?\n/)[line - 1] ?? "";
  const caret = `${" ".repeat(Math.max(0, col - 1))}^`;
  return new ConfigError(file, [
    { path: `line ${line}, column ${col}`, message: `${message}\n      ${source}\n      ${caret}` },
  ]);
}

/** Parses YAML `text` read from `file`; a syntax error is a ConfigError naming where. */
export function parseYamlFile(file: string, text: string): unknown {
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const at = error.linePos?.[0] ?? { line: 1, col: 1 };
    // The parser's first sentence; its own excerpt follows ours.
    const message = (error.message.split("\n")[0] ?? error.message).replace(
      / at line \d+, column \d+:?$/,
      "",
    );
    throw located(file, text, at.line, at.col, `is not valid YAML: ${message}`);
  }
  return doc.toJS();
}

/** Parses JSON `text` read from `file`; a syntax error is a ConfigError naming the line and column. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // Node 20's message carries no position for every error; the YAML parser (JSON is YAML 1.2)
    // finds the same mistake and says where it is.
    const reason = (e as Error).message.replace(/^JSON\.parse: /, "").split("\n")[0] ?? "";
    const at = parseDocument(text).errors[0]?.linePos?.[0];
    const position = /position (\d+)/.exec(reason);
    if (at)
      throw located(
        file,
        text,
        at.line,
        at.col,
        `is not valid JSON: ${reason.replace(/ in JSON at position \d+.*$/, "")}`,
      );
    if (position) {
      const before = text.slice(0, Number(position[1])).split(/\r?\n/);
      throw located(
        file,
        text,
        before.length,
        (before.at(-1)?.length ?? 0) + 1,
        `is not valid JSON: ${reason.replace(/ in JSON at position \d+.*$/, "")}`,
      );
    }
    throw new ConfigError(file, [{ path: "", message: `is not valid JSON: ${reason}` }]);
  }
}
