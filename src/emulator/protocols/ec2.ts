/** The EC2 Query protocol: form-encoded requests, XML responses whose lists are `<item>`s. */
import type { AwsError } from "../types.js";
import { escapeXml, toXml } from "./xml.js";

/** `output` is already shaped with the EC2 model's element names (e.g. `regionInfo`, `regionName`). */
export function renderEc2Response(
  operation: string,
  xmlns: string,
  output: unknown,
  requestId: string,
): string {
  return `<${operation}Response xmlns="${escapeXml(xmlns)}"><requestId>${requestId}</requestId>${toXml(output, "item")}</${operation}Response>`;
}

export function renderEc2Error(error: AwsError, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
