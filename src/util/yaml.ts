import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";

/** Invalid YAML or data that does not fit the schema: one message per problem. */
export class YamlValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "YamlValidationError";
  }
}

/**
 * Parses YAML text and validates it with a zod schema. On failure throws a YamlValidationError
 * whose problems each name the file, the line and the key, e.g.
 * `mfawatch.config.yaml:12: thresholds.accessKeyMaxAgeDays: expected number, received string`.
 */
export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new YamlValidationError(
      doc.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line}: YAML syntax error: ${e.message}`),
    );
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;

  const lineOf = (path: PropertyKey[]): string => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth) as (string | number)[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range && (depth === path.length || isMap(node) || isSeq(node))) {
        return `:${lineCounter.linePos(node.range[0]).line}`;
      }
    }
    return "";
  };

  const problems = result.error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        const keyLine = keyLineOf(doc, issue.path, key, lineCounter);
        return `${file}${keyLine ?? lineOf(issue.path)}: ${path.join(".")}: unknown key "${key}"`;
      });
    }
    return [`${file}${lineOf(issue.path)}: ${issue.path.join(".") || "(top)"}: ${issue.message}`];
  });
  throw new YamlValidationError(problems);
}

/** The line of `key` itself inside the map at `path`. */
function keyLineOf(
  doc: ReturnType<typeof parseDocument>,
  path: PropertyKey[],
  key: string,
  counter: LineCounter,
): string | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path as (string | number)[], true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
  const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
  return range ? `:${counter.linePos(range[0]).line}` : undefined;
}
