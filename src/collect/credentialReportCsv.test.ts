import { describe, expect, it } from "vitest";
import {
  CredentialReportParseError,
  parseCredentialReport,
  parseCsv,
  parseReportBool,
} from "./credentialReportCsv.js";

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";
const ROOT =
  "<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
const ALICE =
  "alice,arn:aws:iam::111111111111:user/alice,2021-02-03T04:05:06+00:00,TRUE,no_information,2021-02-03T04:05:06+00:00,N/A,FALSE,TRUE,2021-02-03T04:05:06+00:00,2026-01-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,False,N/A,false,N/A";

describe("parseCredentialReport", () => {
  it("reads root and users by header name, keeping markers as written", () => {
    const report = parseCredentialReport(`${HEADER}\n${ROOT}\n${ALICE}\n`);
    expect(report.root).toMatchObject({
      user: "<root_account>",
      arn: "arn:aws:iam::111111111111:root",
      passwordEnabled: "not_supported",
      passwordLastChanged: "not_supported",
      mfaActive: true,
    });
    expect(report.users).toEqual([
      {
        user: "alice",
        arn: "arn:aws:iam::111111111111:user/alice",
        userCreationTime: "2021-02-03T04:05:06+00:00",
        passwordEnabled: true,
        passwordLastUsed: "no_information",
        passwordLastChanged: "2021-02-03T04:05:06+00:00",
        passwordNextRotation: "N/A",
        mfaActive: false,
        accessKeys: [
          {
            active: true,
            lastRotated: "2021-02-03T04:05:06+00:00",
            lastUsedDate: "2026-01-01T00:00:00+00:00",
            lastUsedRegion: "us-east-1",
            lastUsedService: "s3",
          },
          {
            active: false,
            lastRotated: "N/A",
            lastUsedDate: "N/A",
            lastUsedRegion: "N/A",
            lastUsedService: "N/A",
          },
        ],
        certs: [
          { active: false, lastRotated: "N/A" },
          { active: false, lastRotated: "N/A" },
        ],
      },
    ]);
  });

  it("gives root: null when the root row is missing, with or without a trailing newline", () => {
    for (const text of [`${HEADER}\n${ALICE}`, `${HEADER}\r\n${ALICE}\r\n`]) {
      const report = parseCredentialReport(text);
      expect(report.root).toBeNull();
      expect(report.users.map((u) => u.user)).toEqual(["alice"]);
    }
  });

  it("parses columns in any order and header case", () => {
    const cols = HEADER.split(",");
    const order = cols.map((_, i) => i).reverse();
    const pick = (line: string) => order.map((i) => line.split(",")[i]).join(",");
    const header = pick(HEADER.toUpperCase());
    const report = parseCredentialReport(`${header}\n${pick(ROOT)}\n${pick(ALICE)}`);
    expect(report.root?.mfaActive).toBe(true);
    expect(report.users[0]?.accessKeys[0].lastUsedService).toBe("s3");
  });

  it("accepts root password_enabled true/false from recent reports", () => {
    const root = ROOT.replace("not_supported", "false");
    expect(parseCredentialReport(`${HEADER}\n${root}`).root?.passwordEnabled).toBe(false);
  });

  it("keeps an unexpected boolean cell as written, and the row's other cells", () => {
    const expired = ALICE.replace(
      ",TRUE,2021-02-03T04:05:06+00:00,2026",
      ",Expired,2021-02-03T04:05:06+00:00,2026",
    );
    const [alice] = parseCredentialReport(`${HEADER}\n${ROOT}\n${expired}`).users;
    expect(alice?.accessKeys[0]).toEqual({
      active: "Expired",
      lastRotated: "2021-02-03T04:05:06+00:00",
      lastUsedDate: "2026-01-01T00:00:00+00:00",
      lastUsedRegion: "us-east-1",
      lastUsedService: "s3",
    });
    expect(alice).toMatchObject({
      passwordEnabled: true,
      mfaActive: false,
      accessKeys: [{}, { active: false }],
    });
  });

  it("refuses a report without a required column or with a short row", () => {
    expect(() => parseCredentialReport(HEADER.replace(",mfa_active", ""))).toThrow(
      /lacks the columns mfa_active/,
    );
    expect(() => parseCredentialReport(HEADER.replace(",mfa_active", ""))).toThrow(
      CredentialReportParseError,
    );
    expect(() => parseCredentialReport("")).toThrow(/empty/);
    expect(() => parseCredentialReport(`${HEADER}\nbob,arn`)).toThrow(/row 2 has no value for column/);
  });
});

describe("parseCsv and parseReportBool", () => {
  it("handles quoted fields", () => {
    expect(parseCsv('a,"b,c","d""e"\n\n')).toEqual([["a", "b,c", 'd"e']]);
  });

  it("reads booleans case-insensitively and keeps the markers and any other text", () => {
    expect(
      ["TRUE", "true", "False", "N/A", "n/a", "not_supported", " Expired "].map((v) => parseReportBool(v)),
    ).toEqual([true, true, false, "N/A", "N/A", "not_supported", "Expired"]);
  });
});
