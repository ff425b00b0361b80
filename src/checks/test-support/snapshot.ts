import {
  type AccountSnapshot,
  type CredentialReportRow,
  SCHEMA_VERSION,
  SECTION_NAMES,
  type Section,
  type Sections,
} from "../../snapshot/types.js";

export const TEST_ACCOUNT = "123456789012";
export const TEST_COLLECTED_AT = "2026-06-01T00:00:00.000Z";

/** A credential-report row with every cell at its "nothing here" value, then `fields`. */
export function reportRow(fields: Partial<CredentialReportRow> & { user: string }): CredentialReportRow {
  const key = {
    active: false,
    lastRotated: "N/A",
    lastUsedDate: "N/A",
    lastUsedRegion: "N/A",
    lastUsedService: "N/A",
  };
  const cert = { active: false, lastRotated: "N/A" };
  return {
    arn:
      fields.user === "<root_account>"
        ? `arn:aws:iam::${TEST_ACCOUNT}:root`
        : `arn:aws:iam::${TEST_ACCOUNT}:user/${fields.user}`,
    userCreationTime: "2025-01-01T00:00:00+00:00",
    passwordEnabled: false,
    passwordLastUsed: "N/A",
    passwordLastChanged: "N/A",
    passwordNextRotation: "N/A",
    mfaActive: false,
    ...fields,
    accessKeys: [
      { ...key, ...fields.accessKeys?.[0] },
      { ...key, ...fields.accessKeys?.[1] },
    ],
    certs: [
      { ...cert, ...fields.certs?.[0] },
      { ...cert, ...fields.certs?.[1] },
    ],
  };
}

/**
 * A snapshot for check cases. Sections not given are errors with code `NotInCase`, so a case
 * must state every section its check reads: a forgotten one shows up as `unknown`.
 */
export function caseSnapshot(sections: Partial<Sections>, collectedAt = TEST_COLLECTED_AT): AccountSnapshot {
  const all = {} as Record<string, Section<unknown>>;
  for (const name of SECTION_NAMES) {
    all[name] = sections[name] ?? {
      status: "error",
      error: { code: "NotInCase", message: `the case gives no ${name} section` },
    };
  }
  const report = all.credentialReport;
  if (report?.status === "ok") {
    const data = report.data as {
      root: Partial<CredentialReportRow> | null;
      users: Partial<CredentialReportRow>[];
    };
    all.credentialReport = {
      status: "ok",
      data: {
        ...data,
        root: data.root ? reportRow({ user: "<root_account>", ...data.root }) : null,
        users: data.users.map((u) => reportRow(u as CredentialReportRow)),
      },
    };
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "mfawatch", version: "test" },
    accountId: TEST_ACCOUNT,
    partition: "aws",
    region: "us-east-1",
    collectedAt,
    sections: all as unknown as Sections,
  };
}
