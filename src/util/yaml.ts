import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";

/** Invalid YAML or data that does not fit the schema: one message per problem. */
export class YamlValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "YamlValidationError";
  }
}

type YamlDocument = ReturnType<typeof parseDocument>;

/**
 * Parses YAML text and validates it with a zod schema. On failure throws a YamlValidationError
 * whose problems each name the file, the line and the key, e.g.
 * `mfawatch.config.yaml:12: thresholds.accessKeyMaxAgeDays: expected number, received string`.
 * An empty document validates as `{}`.
 */
export function parseYaml<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new YamlValidationError(
      doc.errors.map((e) => `${file}:${lineCounter.linePos(e.pos[0]).line}: YAML syntax error: ${e.message}`),
    );
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;

  const problems = result.error.issues.flatMap((issue) => {
    const path = [...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map(
        (key) =>
          `${file}${lineOf(doc, [...path, key], lineCounter)}: ${[...path, key].join(".")}: unknown key "${key}" (allowed here: ${allowedKeys(schema, path)})`,
      );
    }
    return [`${file}${lineOf(doc, path, lineCounter)}: ${path.join(".") || "(top)"}: ${issue.message}`];
  });
  throw new YamlValidationError(problems);
}

/** The line of the node at `path`, or of its nearest parent that exists (for missing keys). */
function lineOf(doc: YamlDocument, path: PropertyKey[], counter: LineCounter): string {
  for (let depth = path.length; depth >= 0; depth--) {
    const at = path.slice(0, depth) as (string | number)[];
    const node = depth === path.length ? keyNode(doc, at) : doc.getIn(at, true);
    const range = (node as { range?: [number, number] } | undefined)?.range;
    if (range && (depth === path.length || isMap(node) || isSeq(node))) {
      return `:${counter.linePos(range[0]).line}`;
    }
  }
  return "";
}

/** The key node of a map entry (its line is the key's), or the item node in a sequence. */
function keyNode(doc: YamlDocument, path: (string | number)[]): unknown {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
    if (pair) return pair.key;
  }
  return doc.getIn(path, true);
}

/** The keys the schema allows at `path`, for "unknown key" messages. */
function allowedKeys(schema: z.ZodType, path: PropertyKey[]): string {
  let shape: z.ZodType = schema;
  for (const key of path) {
    shape = unwrap(shape);
    if (shape instanceof z.ZodObject) shape = shape.shape[key as string] as z.ZodType;
    else if (shape instanceof z.ZodArray) shape = shape.element as z.ZodType;
  }
  shape = unwrap(shape);
  return shape instanceof z.ZodObject ? Object.keys(shape.shape).join(", ") : "none";
}

function unwrap(shape: z.ZodType): z.ZodType {
  let inner = shape;
  while (
    inner instanceof z.ZodDefault ||
    inner instanceof z.ZodOptional ||
    inner instanceof z.ZodPipe ||
    inner instanceof z.ZodTransform
  ) {
    if (inner instanceof z.ZodPipe) inner = inner.in as z.ZodType;
    else if (inner instanceof z.ZodTransform) break;
    else inner = inner.unwrap() as z.ZodType;
  }
  return inner;
}
