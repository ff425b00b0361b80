/** The AWS Query protocol (IAM, STS): form-encoded requests, XML responses and errors. */
import type { AwsError } from "../types.js";
import { escapeXml, toXml } from "./xml.js";

type Node =
  | { kind: "value"; value: string }
  | { kind: "struct"; fields: Map<string, Node> }
  | { kind: "list"; items: Map<number, Node>; map: boolean };

const INDEX = /^[1-9]\d*$/;

function childKind(segments: string[], at: number): Node["kind"] {
  const next = segments[at];
  if (next === undefined) return "value";
  return next === "member" || next === "entry" || INDEX.test(next) ? "list" : "struct";
}

function makeNode(kind: Node["kind"], marker: string | undefined): Node {
  if (kind === "value") return { kind, value: "" };
  if (kind === "struct") return { kind, fields: new Map() };
  return { kind, items: new Map(), map: marker === "entry" };
}

function insert(node: Node, segments: string[], at: number, value: string, key: string): void {
  if (node.kind === "value") throw new QueryDecodeError(`parameter ${key} conflicts with another one`);
  let segment = segments[at] as string;
  if (node.kind === "list") {
    if (segment === "member" || segment === "entry") segment = segments[++at] ?? "";
    if (!INDEX.test(segment)) throw new QueryDecodeError(`parameter ${key} has no list index`);
  }
  const kind = childKind(segments, at + 1);
  const slot = node.kind === "list" ? Number(segment) : segment;
  const children: Map<string | number, Node> = node.kind === "list" ? node.items : node.fields;
  let child = children.get(slot);
  if (!child) {
    child = makeNode(kind, segments[at + 1]);
    children.set(slot, child);
  }
  if (kind === "value") {
    if (child.kind !== "value") throw new QueryDecodeError(`parameter ${key} conflicts with another one`);
    child.value = value;
    return;
  }
  insert(child, segments, at + 1, value, key);
}

function finish(node: Node): unknown {
  if (node.kind === "value") return node.value;
  if (node.kind === "struct")
    return Object.fromEntries([...node.fields].map(([name, child]) => [name, finish(child)]));
  const items = [...node.items].sort(([a], [b]) => a - b).map(([, child]) => finish(child));
  if (!node.map) return items;
  return Object.fromEntries(
    items.map((entry) => {
      const { key, value } = entry as { key?: unknown; value?: unknown };
      return [String(key), value];
    }),
  );
}

export class QueryDecodeError extends Error {
  override name = "QueryDecodeError";
}

/**
 * Decodes flattened Query parameters into a structure: `A.member.1=x` → `{A: ["x"]}`, `A.1=x` (EC2)
 * → `{A: ["x"]}`, `B.c=y` → `{B: {c: "y"}}`, `M.entry.1.key=k&M.entry.1.value=v` → `{M: {k: "v"}}`.
 * `Action` and `Version` are left out. Values stay strings: handlers convert what they need.
 */
export function decodeQueryParams(params: Iterable<[string, string]>): Record<string, unknown> {
  const root: Node = { kind: "struct", fields: new Map() };
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version" || key === "") continue;
    insert(root, key.split("."), 0, value, key);
  }
  return finish(root) as Record<string, unknown>;
}

export function renderQueryResponse(
  operation: string,
  xmlns: string,
  output: unknown,
  requestId: string,
): string {
  const result =
    output === undefined || output === null
      ? ""
      : `<${operation}Result>${toXml(output, "member")}</${operation}Result>`;
  return `<${operation}Response xmlns="${escapeXml(xmlns)}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

export function renderQueryError(error: AwsError, xmlns: string | undefined, requestId: string): string {
  const ns = xmlns ? ` xmlns="${escapeXml(xmlns)}"` : "";
  return `<ErrorResponse${ns}><Error><Type>${error.type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
