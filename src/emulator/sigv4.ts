/** Reads the SigV4 credential scope of a request. Signatures are not verified: the emulator's keys are fake. */

export interface CredentialScope {
  accessKeyId: string;
  /** yyyymmdd */
  date: string;
  region: string;
  /** The signing name, e.g. `iam`, `sso` (SSO Admin), `config`. */
  service: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** Parses `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, …`; null when absent or malformed. */
export function parseAuthorization(header: string | undefined): CredentialScope | null {
  if (!header?.startsWith("AWS4-HMAC-SHA256 ")) return null;
  const match = CREDENTIAL.exec(header);
  if (!match) return null;
  const [, accessKeyId, date, region, service] = match as unknown as [string, string, string, string, string];
  return { accessKeyId, date, region, service };
}
