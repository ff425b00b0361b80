/**
 * Scenario generators for the benchmark: one account with N IAM users, or an organization of N
 * accounts with M users each. The output is a plain scenario object for `parseScenario`; the same
 * seed always gives the same scenario. The proportions are documented in bench/README.md.
 */
import { forceMfaPolicy } from "../src/policy/forceMfaPolicy.js";

/** The role an organization scan assumes in member accounts. */
export const AUDIT_ROLE = "MfawatchAudit";
export const MANAGEMENT_ACCOUNT = "100000000000";

/** Mulberry32: a small seeded PRNG, so that runs are comparable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = Record<string, unknown>;

/** A scenario account before validation, as `parseScenario` takes it. */
export type AccountInput = Json & { id: string; users: Json[] };
/** A scenario before validation. */
export type ScenarioInput = Json & { name: string; accounts: AccountInput[] };

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const POWER_USER = "arn:aws:iam::aws:policy/PowerUserAccess";
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const SECURITY_AUDIT = "arn:aws:iam::aws:policy/SecurityAudit";
const CHANGE_PASSWORD = "arn:aws:iam::aws:policy/IAMUserChangePassword";

function bucketPolicy(team: string): Json {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        Resource: [`arn:aws:s3:::${team}-data`, `arn:aws:s3:::${team}-data/*`],
      },
    ],
  };
}

const TEAMS = ["payments", "search", "mobile", "data", "platform", "growth", "billing", "support"];

const GROUPS: Json[] = [
  { name: "Admins", managedPolicies: [ADMIN, "ForceMFA"] },
  { name: "Developers", managedPolicies: [POWER_USER, "ForceMFA", CHANGE_PASSWORD] },
  { name: "ReadOnly", managedPolicies: [READ_ONLY, CHANGE_PASSWORD] },
  { name: "Security", managedPolicies: [SECURITY_AUDIT, "ForceMFA"] },
  ...TEAMS.map((team) => ({ name: `team-${team}`, managedPolicies: [`${team}-data`] })),
];

const POLICIES: Json[] = [
  { name: "ForceMFA", document: forceMfaPolicy() },
  ...TEAMS.map((team) => ({ name: `${team}-data`, document: bucketPolicy(team) })),
];

const ago = (days: number) => `${Math.max(0, Math.round(days))}d ago`;

/**
 * One IAM user. Proportions: 70 % people (console password) and 30 % service users (access keys
 * only). People: 80 % with MFA (of those 70 % virtual, 15 % FIDO key, 5 % hardware token, 10 %
 * virtual plus FIDO), 25 % also hold an access key, 10 % never signed in. Service users: one key,
 * 15 % two; 10 % of keys inactive; 15 % of keys never used. Every person is in a role group and
 * half in a team group; 5 % of users have an inline policy and 10 % a directly attached policy.
 */
function generateUser(index: number, random: () => number): { user: Json; person: boolean; mfa: boolean } {
  const person = random() < 0.7;
  const team = TEAMS[Math.floor(random() * TEAMS.length)] as string;
  const name = person ? `user${String(index).padStart(5, "0")}` : `svc-${team}-${index}`;
  const created = 30 + random() * 1500;
  const user: Json = { name, created: ago(created) };
  const key = () => {
    const age = random() * Math.min(created, 900);
    const used = random() < 0.85;
    return {
      active: random() >= 0.1,
      created: ago(age),
      ...(used ? { lastUsed: ago(random() * Math.min(age, 30)), lastUsedService: "s3" } : {}),
      ...(used ? { lastUsedRegion: "us-east-1" } : {}),
    };
  };
  let mfa = false;
  if (person) {
    const signedIn = random() >= 0.1;
    user.password = {
      created: ago(created),
      lastUsed: signedIn ? ago(random() * 120) : "never",
      lastChanged: ago(random() * Math.min(created, 400)),
    };
    mfa = random() < 0.8;
    if (mfa) {
      const kind = random();
      const enabled = ago(random() * created);
      if (kind < 0.7) user.mfa = [{ type: "virtual", enabled }];
      else if (kind < 0.85) user.mfa = [{ type: "fido", name: `${name}-key`, enabled }];
      else if (kind < 0.9)
        user.mfa = [{ type: "hardware", name: `GAHT${String(index).padStart(8, "0")}`, enabled }];
      else
        user.mfa = [
          { type: "virtual", enabled },
          { type: "fido", name: `${name}-key`, enabled },
        ];
    }
    if (random() < 0.25) user.accessKeys = [key()];
    const role = random();
    const roleGroup =
      role < 0.05 ? "Admins" : role < 0.6 ? "Developers" : role < 0.95 ? "ReadOnly" : "Security";
    user.groups = random() < 0.5 ? [roleGroup, `team-${team}`] : [roleGroup];
  } else {
    user.accessKeys = random() < 0.15 ? [key(), key()] : [key()];
  }
  if (random() < 0.05) user.inlinePolicies = { [`${name}-inline`]: bucketPolicy(team) };
  if (random() < 0.1) user.managedPolicies = [random() < 0.2 ? ADMIN : `${team}-data`];
  return { user, person, mfa };
}

const ACCOUNT_PASSWORD_POLICY = {
  minimumPasswordLength: 14,
  requireSymbols: true,
  requireNumbers: true,
  requireUppercaseCharacters: true,
  requireLowercaseCharacters: true,
  allowUsersToChangePassword: true,
  passwordReusePrevention: 24,
};

const CONFIG_RULES = [
  { name: "root-account-mfa-enabled", source: "ROOT_ACCOUNT_MFA_ENABLED", compliance: "COMPLIANT" },
  { name: "iam-user-mfa-enabled", source: "IAM_USER_MFA_ENABLED", compliance: "NON_COMPLIANT" },
];

/** At most this many sign-ins per account, so that each CloudTrail lookup is one page of 50. */
const MAX_SIGN_IN_EVENTS = 40;

export interface AccountOptions {
  id: string;
  name: string;
  users: number;
  random: () => number;
  /** Organization member: root credentials removed (mostly) and the audit role trusting the management account. */
  member?: boolean;
}

/** One account: users as `generateUser`, 12 groups, 9 customer-managed policies, roles, CloudTrail. */
export function generateAccount(options: AccountOptions): AccountInput {
  const { id, name, random } = options;
  const users: Json[] = [];
  const people: { name: string; mfa: boolean }[] = [];
  for (let i = 0; i < options.users; i++) {
    const generated = generateUser(i, random);
    users.push(generated.user);
    if (generated.person) people.push({ name: generated.user.name as string, mfa: generated.mfa });
  }
  const trustManagement = {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` },
        Action: "sts:AssumeRole",
      },
    ],
  };
  const roles: Json[] = [
    { name: "OrganizationAccountAccessRole", trustPolicy: trustManagement, managedPolicies: [ADMIN] },
    ...TEAMS.slice(0, 4).map((team) => ({
      name: `${team}-app`,
      trustPolicy: {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      },
      managedPolicies: [`${team}-data`],
    })),
  ];
  if (options.member)
    roles.push({ name: AUDIT_ROLE, trustPolicy: trustManagement, managedPolicies: [SECURITY_AUDIT] });

  const signIns = people.slice(0, MAX_SIGN_IN_EVENTS).map((person) => ({
    name: "ConsoleLogin",
    time: ago(random() * 29),
    user: person.name,
    mfaUsed: person.mfa,
  }));
  const deactivated = people.find((p) => !p.mfa);
  const changes = deactivated
    ? [{ name: "DeactivateMFADevice", time: ago(random() * 20), user: "root", target: deactivated.name }]
    : [];

  const rootLocked = options.member && random() < 0.8;
  return {
    id,
    name,
    email: `aws-${name}@example.com`,
    root: rootLocked
      ? { password: false }
      : {
          password: { lastUsed: ago(random() * 200), lastChanged: ago(400) },
          mfa: random() < 0.85 ? [{ type: "fido", name: "root-key", enabled: ago(500) }] : [],
        },
    users,
    groups: GROUPS,
    policies: POLICIES,
    roles,
    passwordPolicy: ACCOUNT_PASSWORD_POLICY,
    configRules: CONFIG_RULES,
    cloudTrail: [...signIns, ...changes],
  };
}

export interface BenchLoad {
  /** Mean latency per call in ms; each call takes between 0.8 and 1.2 times it. */
  latencyMs: number;
}

function latency(load: BenchLoad): Json {
  return { ms: load.latencyMs * 0.8, jitterMs: load.latencyMs * 0.4 };
}

/** One standalone account (no organization) with `users` IAM users. */
export function singleAccountScenario(users: number, load: BenchLoad, seed = 1): ScenarioInput {
  const random = seededRandom(seed);
  return {
    name: `bench-account-${users}-users`,
    latency: latency(load),
    accounts: [generateAccount({ id: "200000000000", name: "standalone", users, random })],
  };
}

/** The id of the `index`th member account (1-based). */
export function memberAccountId(index: number): string {
  return String(300000000000 + index);
}

/** An organization: a management account and `accounts - 1` members, `usersPerAccount` users each. */
export function organizationScenario(
  accounts: number,
  usersPerAccount: number,
  load: BenchLoad,
  seed = 1,
): ScenarioInput {
  const random = seededRandom(seed);
  const ous = TEAMS.map((team, i) => ({ id: `ou-bnch-${String(i).padStart(8, "0")}`, name: team }));
  const members = Array.from({ length: accounts - 1 }, (_, i) => ({
    ...generateAccount({
      id: memberAccountId(i + 1),
      name: `member-${i + 1}`,
      users: usersPerAccount,
      random,
      member: true,
    }),
    parent: ous[i % ous.length]?.id,
  }));
  return {
    name: `bench-org-${accounts}-accounts`,
    latency: latency(load),
    organization: {
      id: "o-bench00000001",
      rootId: "r-bnch",
      managementAccount: MANAGEMENT_ACCOUNT,
      rootFeatures: ["RootCredentialsManagement", "RootSessions"],
      ous,
      scps: [
        {
          id: "p-denyleaveorg",
          name: "DenyLeaveOrganization",
          targets: ["r-bnch"],
          document: {
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }],
          },
        },
      ],
    },
    accounts: [
      generateAccount({ id: MANAGEMENT_ACCOUNT, name: "management", users: usersPerAccount, random }),
      ...members,
    ],
  };
}
