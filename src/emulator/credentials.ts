/**
 * The emulator's credentials: each account's long-term keys (the access key selects the account)
 * and the temporary sessions STS issues (ASIA… keys that need their session token and expire).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Scenario, ScenarioAccount } from "./scenario.js";
import type { Principal } from "./types.js";

export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SessionCredentials extends AccessKeys {
  sessionToken: string;
  expiration: Date;
}

export type SessionRequest = Omit<Principal, "accessKeyId" | "userId"> & { durationSeconds: number };

/** Why a request's credentials were refused. */
export type AuthFailure = "invalid" | "expired";

export class AuthError extends Error {
  constructor(readonly reason: AuthFailure) {
    super(reason === "expired" ? "expired security token" : "unknown security token");
    this.name = "AuthError";
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** `bytes` as upper-case letters and digits 2–7 (base32 alphabet), `length` characters long. */
function code(bytes: Buffer, length: number): string {
  return [...bytes.subarray(0, length)].map((b) => ALPHABET[b % 32]).join("");
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The account's long-term access key id: the scenario's `accessKeyId`, or AKIA + 16 characters derived from the id. */
export function accountAccessKeyId(account: ScenarioAccount): string {
  return account.accessKeyId ?? `AKIA${code(digest(`mfawatch-emulator:${account.id}`), 16)}`;
}

/** The account's (fake, deterministic) secret access key. */
export function accountSecretAccessKey(accountId: string): string {
  return digest(`mfawatch-emulator-secret:${accountId}`).toString("base64").slice(0, 40);
}

/** A deterministic unique id such as AROA… for a role, derived from its ARN. */
function uniqueId(prefix: string, seed: string): string {
  return `${prefix}${code(digest(seed), 17)}`;
}

interface Session {
  principal: Principal;
  sessionToken: string;
  expiration: Date;
}

export class CredentialStore {
  private readonly byKey = new Map<string, ScenarioAccount>();
  private readonly sessions = new Map<string, Session>();

  constructor(scenario: Scenario) {
    for (const account of scenario.accounts) this.byKey.set(accountAccessKeyId(account), account);
  }

  /** The account's own long-term keys; throws for an account the scenario does not have. */
  credentialsFor(account: ScenarioAccount): AccessKeys {
    return { accessKeyId: accountAccessKeyId(account), secretAccessKey: accountSecretAccessKey(account.id) };
  }

  issue(request: SessionRequest, now: Date): SessionCredentials {
    const accessKeyId = `ASIA${code(randomBytes(16), 16)}`;
    const { durationSeconds, ...rest } = request;
    const principal: Principal = { ...rest, accessKeyId, userId: sessionUserId(rest) };
    const session: Session = {
      principal,
      sessionToken: randomBytes(96).toString("base64"),
      expiration: new Date(now.getTime() + durationSeconds * 1000),
    };
    this.sessions.set(accessKeyId, session);
    return {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: session.sessionToken,
      expiration: session.expiration,
    };
  }

  /** The principal that signed with `accessKeyId` (and `sessionToken` for temporary keys); throws AuthError. */
  authenticate(accessKeyId: string, sessionToken: string | undefined, now: Date): Principal {
    const account = this.byKey.get(accessKeyId);
    if (account) {
      return {
        accountId: account.id,
        accessKeyId,
        arn: `arn:aws:iam::${account.id}:root`,
        userId: account.id,
        kind: "account",
      };
    }
    const session = this.sessions.get(accessKeyId);
    if (!session || session.sessionToken !== sessionToken) throw new AuthError("invalid");
    if (session.expiration.getTime() <= now.getTime()) throw new AuthError("expired");
    return session.principal;
  }
}

/** AssumedRoleId-style user id: `AROA…:<session>` for role sessions, the account id for root sessions. */
function sessionUserId(session: Omit<Principal, "accessKeyId" | "userId">): string {
  if (session.kind !== "assumed-role") return session.accountId;
  const sessionName = session.arn.split("/").pop() ?? "";
  return `${roleId(session.accountId, session.roleName ?? "")}:${sessionName}`;
}

/** The role's unique id (AROA…), stable for the role's account and name. */
export function roleId(accountId: string, roleName: string): string {
  return uniqueId("AROA", `role:${accountId}:${roleName}`);
}
