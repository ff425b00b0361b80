import { XmlMap } from "../types.js";

/** Escapes text for an XML element body or attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * Serializes an output structure as AWS XML: object fields become elements named after their keys,
 * arrays become `<listItem>` children, an XmlMap becomes `<entry><key/><value/></entry>` items,
 * Dates ISO 8601, bytes base64; undefined and null fields are omitted.
 */
export function toXml(value: unknown, listItem: "member" | "item"): string {
  if (value === undefined || value === null) return "";
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (typeof value === "string") return escapeXml(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (Array.isArray(value))
    return value.map((item) => `<${listItem}>${toXml(item, listItem)}</${listItem}>`).join("");
  if (value instanceof XmlMap) {
    return Object.entries(value.entries)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${toXml(v, listItem)}</value></entry>`)
      .join("");
  }
  if (typeof value === "object") {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v, listItem)}</${k}>`)
      .join("");
  }
  throw new TypeError(`cannot serialize a ${typeof value} as XML`);
}
