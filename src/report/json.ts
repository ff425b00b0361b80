/** The JSON report: the ScanReport itself, versioned by `schemaVersion` (see docs/REPORTS.md). */
import type { ScanReport } from "./types.js";

export function renderJson(report: ScanReport): string {
  return [...jsonPieces(report)].join("");
}

/** `value` as indented JSON that starts `depth` levels deep (JSON strings never hold a raw newline). */
function nested(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replaceAll("\n", `\n${"  ".repeat(depth)}`);
}

/** A JSON array `depth` levels deep, one item a piece: joined, what `JSON.stringify` indents. */
export function* arrayPieces(
  items: Iterable<unknown>,
  depth = 0,
  item: (value: unknown, depth: number) => Iterable<string> = (value, d) => [nested(value, d)],
): Generator<string> {
  const pad = "  ".repeat(depth + 1);
  let empty = true;
  for (const value of items) {
    yield `${empty ? "[\n" : ",\n"}${pad}`;
    yield* item(value, depth + 1);
    empty = false;
  }
  yield empty ? "[]" : `\n${"  ".repeat(depth)}]`;
}

/**
 * One account `depth` levels deep, its results one at a time (an account with long evidence is
 * megabytes of indented JSON), joined into pieces of about 64 KB so that writing stays cheap.
 */
function* accountPieces(account: unknown, depth: number): Generator<string> {
  const entries = Object.entries(account as object).filter(([, value]) => value !== undefined);
  const pad = "  ".repeat(depth + 1);
  function* all(): Generator<string> {
    yield "{\n";
    for (const [i, [key, value]] of entries.entries()) {
      yield `${pad}${JSON.stringify(key)}: `;
      if (key === "results" && Array.isArray(value)) yield* arrayPieces(value, depth + 1);
      else yield nested(value, depth + 1);
      yield i < entries.length - 1 ? ",\n" : "\n";
    }
    yield `${"  ".repeat(depth)}}`;
  }
  let chunk = "";
  for (const piece of all()) {
    chunk += piece;
    if (chunk.length >= 65_536) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

/**
 * The JSON report in pieces, one account at a time, so that writing a large organization's report
 * never holds it as one string. The pieces joined are exactly `JSON.stringify(report, null, 2)`.
 */
export function* jsonPieces(report: ScanReport): Generator<string> {
  const entries = Object.entries(report).filter(([, value]) => value !== undefined);
  yield "{\n";
  for (const [i, [key, value]] of entries.entries()) {
    yield `  ${JSON.stringify(key)}: `;
    if (key === "accounts") yield* arrayPieces(report.accounts, 1, accountPieces);
    else yield nested(value, 1);
    yield i < entries.length - 1 ? ",\n" : "\n";
  }
  yield "}\n";
}
