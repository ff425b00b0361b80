/**
 * What IAM derives from a scenario account: stable ids, ARNs, MFA serials, the account's
 * creation time, paging and the validation errors IAM answers with.
 */
import { createHash } from "node:crypto";
import type { ScenarioAccount, ScenarioMfaDevice, ScenarioUser } from "../../scenario.js";
import { AwsError } from "../../types.js";

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** A stable AWS-style unique id (`AIDA…`, `AKIA…`): `prefix` then `length` characters derived from `seed`. */
export function stableId(prefix: string, seed: string, length: number): string {
  const bytes = createHash("sha256").update(seed).digest();
  let id = prefix;
  for (let i = 0; i < length; i++) id += ID_CHARS[(bytes[i % bytes.length] as number) % 32];
  return id;
}

export const rootArn = (account: ScenarioAccount) => `arn:aws:iam::${account.id}:root`;
export const userArn = (account: ScenarioAccount, user: ScenarioUser) =>
  `arn:aws:iam::${account.id}:user${user.path}${user.name}`;
export const userId = (account: ScenarioAccount, name: string) =>
  stableId("AIDA", `${account.id}/user/${name}`, 17);

/** The owner of credentials: the root user (`user` undefined) or an IAM user. */
export interface Owner {
  user?: ScenarioUser;
}

/** The access key id of a user's (or root's) `index`th key, as the scenario gives it or derived. */
export function accessKeyId(account: ScenarioAccount, owner: Owner, index: number): string {
  const key = (owner.user ?? account.root).accessKeys[index];
  return key?.id ?? stableId("AKIA", `${account.id}/key/${owner.user?.name ?? "<root>"}/${index}`, 16);
}

export function certificateId(account: ScenarioAccount, owner: Owner, index: number): string {
  return stableId("", `${account.id}/cert/${owner.user?.name ?? "<root>"}/${index}`, 32);
}

/**
 * The serial number of an MFA device, in the form AWS gives each kind: virtual
 * `arn:aws:iam::<acct>:mfa/<name>`, FIDO `…:u2f/user/<user>/<name>-<id>` (root: `…:u2f/root/…`),
 * hardware a bare serial, legacy SMS `…:sms-mfa/<name>`.
 */
export function mfaSerial(
  account: ScenarioAccount,
  owner: Owner,
  device: ScenarioMfaDevice,
  index: number,
): string {
  const who = owner.user?.name;
  const seed = `${account.id}/mfa/${who ?? "<root>"}/${index}`;
  switch (device.type) {
    case "virtual":
      return `arn:aws:iam::${account.id}:mfa/${device.name ?? who ?? "root-account-mfa-device"}`;
    case "fido": {
      const owned = who ? `user/${who}` : "root";
      return `arn:aws:iam::${account.id}:u2f/${owned}/${device.name ?? "security-key"}-${stableId("", seed, 26)}`;
    }
    case "hardware":
      return (
        device.name ??
        `GAHT${String(createHash("sha256").update(seed).digest().readUInt32BE(0) % 1e8).padStart(8, "0")}`
      );
    case "sms":
      return `arn:aws:iam::${account.id}:sms-mfa/${device.name ?? who ?? "root-account-mfa-device"}`;
  }
}

/**
 * When the account (and so its root user) was created. Scenarios do not say, so this is the
 * earliest time the account's data mentions (users, root credentials, MFA devices), or `now`.
 */
export function accountCreated(account: ScenarioAccount, now: Date): Date {
  const root = account.root;
  const times: Date[] = [
    ...account.users.map((u) => u.created),
    ...root.mfa.map((d) => d.enabled),
    ...root.accessKeys.map((k) => k.created),
    ...root.certificates.map((c) => c.created),
  ];
  if (root.password) {
    for (const t of [root.password.created, root.password.lastChanged]) if (t) times.push(t);
  }
  return new Date(Math.min(now.getTime(), ...times.map((t) => t.getTime())));
}

export function findUser(account: ScenarioAccount, name: string): ScenarioUser {
  const user = account.users.find((u) => u.name === name);
  if (!user) throw new AwsError("NoSuchEntity", `The user with name ${name} cannot be found.`, 404);
  return user;
}

/** An IAM `ValidationError` for a value outside its allowed range. */
function rangeError(value: unknown, member: string, constraint: string): AwsError {
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must have value ${constraint}`,
  );
}

/** Reads `MaxItems` (1..1000, default 100) and `Marker`, and returns one page of `items`. */
export function page<T>(
  items: T[],
  input: Record<string, unknown>,
  operation: string,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const raw = input.MaxItems;
  const maxItems = raw === undefined ? 100 : Number(raw);
  if (!Number.isInteger(maxItems)) {
    throw new AwsError("ValidationError", `Value '${String(raw)}' at 'maxItems' is not a valid integer`);
  }
  if (maxItems < 1) throw rangeError(raw, "maxItems", "greater than or equal to 1");
  if (maxItems > 1000) throw rangeError(raw, "maxItems", "less than or equal to 1000");
  const start = input.Marker === undefined ? 0 : markerOffset(String(input.Marker), operation);
  const end = start + maxItems;
  const truncated = end < items.length;
  return {
    items: items.slice(start, end),
    IsTruncated: truncated,
    ...(truncated ? { Marker: Buffer.from(`${operation}:${end}`).toString("base64") } : {}),
  };
}

function markerOffset(marker: string, operation: string): number {
  const [op, offset] = Buffer.from(marker, "base64").toString("utf8").split(":");
  const value = Number(offset);
  if (op !== operation || !Number.isInteger(value) || value < 0) {
    throw new AwsError("ValidationError", "Invalid Marker.");
  }
  return value;
}
