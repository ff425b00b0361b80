/**
 * Verdicts shared by users whose policies treat them alike, so that a check simulates once per
 * distinct set of policies rather than once per user (docs/POLICY-SIMULATION.md, "Performance").
 *
 * Users with the same path, groups, attached and inline policies and boundary share a
 * fingerprint. Their results are computed once, for a stand-in user named `mfawatch-canonical-user`
 * (inline policies renamed alike), and each user gets that result with its own name put back.
 * This is sound only when no policy can tell the stand-in from the user, so a user's result is
 * computed on its own when:
 * - a statement conditions on `aws:username`, `aws:userid`, `aws:PrincipalArn` or
 *   `aws:PrincipalTag/…`, or uses a policy variable in a condition value;
 * - a resource has a wildcard inside a part of its ARN (`user/dev*`, `home/a?c`): only `*` as a
 *   whole part (`user/*`, `home/*`) matches every user alike;
 * - the user's name (any case) is written in a Resource, NotResource, Principal or condition
 *   value (a literal user name or ARN), or contains the stand-in's name.
 * `${aws:username}` and other variables resolve to each user's own values, so they treat users
 * alike.
 *
 * In an organization scan, an outcome is also shared between accounts (`acrossAccounts`) when
 * every policy that decides it treats accounts alike (see `treatsAccountsAlike`): the outcome of
 * the first account is given to the next with the account id swapped throughout.
 */
import { createHash } from "node:crypto";
import type { AuthUser, PolicyDocument } from "../snapshot/types.js";
import type { NamedPolicy, PrincipalPolicies } from "./principal.js";
import { PolicyEvaluationError, statements } from "./simulate.js";

const PLACEHOLDER = "mfawatch-canonical-";
const STAND_IN = `${PLACEHOLDER}user`;
const inlineName = (index: number) => `${PLACEHOLDER}inline-${index}-`;

const USER_KEYS = /^aws:(username|userid|principalarn|principaltag\/.*)$/i;

/** What a set of policies says about users. */
interface Reading {
  /** A policy can treat users differently whatever their names. */
  specific: boolean;
  /** Lower-cased strings requests are matched against: a user whose name is in one is set apart. */
  literals: string[];
}

const strings = (value: unknown): string[] => {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  return value && typeof value === "object" ? Object.values(value).flatMap(strings) : [];
};

/** Whether a resource pattern has a wildcard inside a part of its resource (after the ARN's fifth colon). */
function partialWildcard(pattern: string): boolean {
  const resource = pattern.startsWith("arn:") ? pattern.split(":").slice(5).join(":") : pattern;
  return resource
    .replace(/\$\{[^}]*\}/g, "v")
    .split(/[/:]/)
    .some((part) => /[*?]/.test(part) && part !== "*");
}

function read(documents: PolicyDocument[]): Reading {
  let specific = false;
  const literals: string[] = [];
  for (const statement of documents.flatMap(statements)) {
    const resources = strings([statement.Resource, statement.NotResource]);
    if (resources.some(partialWildcard)) specific = true;
    literals.push(...resources, ...strings([statement.Principal, statement.NotPrincipal]));
    const condition = statement.Condition;
    for (const block of condition && typeof condition === "object" ? Object.values(condition) : []) {
      if (!block || typeof block !== "object") continue;
      if (Object.keys(block).some((key) => USER_KEYS.test(key))) specific = true;
      const values = strings(block);
      if (values.some((v) => v.includes("${"))) specific = true;
      literals.push(...values);
    }
  }
  return { specific, literals: literals.map((l) => l.toLowerCase()) };
}

type Outcome = { value: unknown } | { error: PolicyEvaluationError };

const placeholderKeys = new WeakMap<object, string[]>();

/** The keys of `object` whose values hold a placeholder, found once per object. */
function keysToFill(object: object): string[] {
  let keys = placeholderKeys.get(object);
  if (!keys) {
    keys = [];
    const record = object as Record<string, unknown>;
    for (const key in record) if (holdsPlaceholder(record[key])) keys.push(key);
    placeholderKeys.set(object, keys);
  }
  return keys;
}

function holdsPlaceholder(value: unknown): boolean {
  if (typeof value === "string") return value.includes(PLACEHOLDER);
  return !!value && typeof value === "object" && keysToFill(value).length > 0;
}

/** `value` with `replace` applied to every string that holds a placeholder; untouched parts are shared. */
function fill(value: unknown, replace: (s: string) => string): unknown {
  if (typeof value === "string") return value.includes(PLACEHOLDER) ? replace(value) : value;
  if (!value || typeof value !== "object") return value;
  const keys = keysToFill(value);
  if (keys.length === 0) return value;
  const source = value as Record<string, unknown>;
  const copy = (Array.isArray(value) ? [...value] : { ...source }) as Record<string, unknown>;
  for (const key of keys) copy[key] = fill(source[key], replace);
  return copy;
}

interface DocumentFacts {
  /** A digest of the document's content. */
  digest: string;
  /** The runs of 12 or more digits the document holds: an account id it names is in one. */
  digitRuns: string[];
  /** The organization ids (`r-…`, `ou-…`) the document holds. */
  organizationIds: string[];
  /** No wildcard next to a digit, no condition that could read an account, an ARN or a principal. */
  alikeInShape: boolean;
}

const documentFacts = new WeakMap<PolicyDocument, DocumentFacts>();

function factsOf(document: PolicyDocument): DocumentFacts {
  let facts = documentFacts.get(document);
  if (!facts) {
    const text = JSON.stringify(document);
    const conditions = JSON.stringify(statements(document).map((s) => s.Condition ?? null));
    facts = {
      digest: createHash("sha256").update(text).digest("base64"),
      digitRuns: text.match(/\d{12,}/g) ?? [],
      organizationIds: text.match(/\b(?:r|ou)-[0-9a-z-]+/gi) ?? [],
      alikeInShape: !/\d[*?]|[*?]\d/.test(text) && !/account|arn|principal/i.test(conditions),
    };
    documentFacts.set(document, facts);
  }
  return facts;
}

/**
 * Whether `document` treats every account alike: it names neither the account nor the
 * organization roots and units above it (`ids`, the account first), has no wildcard next to a
 * digit (`arn:aws:iam::12*:…`) and no condition that could read an account (keys or values naming
 * an account, an ARN or a principal). A request of this account and the same request of another
 * account, these ids swapped throughout, then get the same decision from it.
 */
function treatsAccountsAlike(document: PolicyDocument, ids: string[]): boolean {
  const facts = factsOf(document);
  const [account = "", ...units] = ids;
  return (
    facts.alikeInShape &&
    !facts.digitRuns.some((run) => run.includes(account)) &&
    !facts.organizationIds.some((id) => units.some((unit) => id.toLowerCase().includes(unit.toLowerCase())))
  );
}

/** What decides an outcome with the ids it varies by marked, and those ids. */
interface AcrossAccountsKey {
  key: string;
  /** The account id, then the ids of the organization's roots and units whose SCPs apply. */
  ids: string[];
}

/** Outcomes by what decides them with the ids of the account left out, and those ids. */
const acrossAccounts = new Map<string, { ids: string[]; outcome: Outcome }>();
/** Bounded so that a long organization scan does not grow it forever. */
const MAX_ACROSS_ACCOUNTS = 2_000;

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `text` with every one of `from` replaced, all at once, by the string `to` gives for its index. */
function replaceIds(text: string, from: string[], to: (index: number) => string): string {
  const pattern = new RegExp(from.map(escaped).join("|"), "g");
  return text.replace(pattern, (id) => to(from.indexOf(id)));
}

/** `value` with the ids `from` replaced by those of `to` in every string. */
function moveIds(value: unknown, from: string[], to: string[]): unknown {
  if (typeof value === "string") {
    return from.some((id) => value.includes(id)) ? replaceIds(value, from, (i) => to[i] ?? "") : value;
  }
  if (!value || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => moveIds(v, from, to));
  const copy: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) copy[key] = moveIds(v, from, to);
  return copy;
}

function movedOutcome(outcome: Outcome, from: string[], to: string[]): Outcome {
  if ("error" in outcome) {
    return { error: new PolicyEvaluationError(moveIds(outcome.error.message, from, to) as string) };
  }
  return { value: moveIds(outcome.value, from, to) };
}

export interface SharedVerdictsOptions {
  /**
   * Policies other than the user's own that decide the result, such as the trust policies of
   * administrator roles.
   */
  context?: PolicyDocument[];
  /**
   * Set when results may be shared with other accounts: every input the computation reads besides
   * the principal and the task (for example the account's administrator groups and roles), as text.
   */
  acrossAccounts?: string;
}

/**
 * One per check evaluation: every user it is given is simulated with the same SCPs, region and
 * `context` documents.
 */
export class SharedVerdicts {
  private readonly outcomes = new Map<string, Outcome>();
  private readonly readings = new Map<string, Reading>();
  private readonly context: PolicyDocument[];
  private readonly scope: string | undefined;

  constructor(options: SharedVerdictsOptions = {}) {
    this.context = options.context ?? [];
    this.scope = options.acrossAccounts;
  }

  /**
   * `compute(principal)` for `user` (whose policies `principal` holds), reusing the result of an
   * earlier user with the same fingerprint and `task` when the policies treat both alike.
   * `task` names the computation and every input it takes besides the principal.
   */
  for<T>(
    user: AuthUser,
    principal: PrincipalPolicies,
    task: string,
    compute: (p: PrincipalPolicies) => T,
  ): T {
    const fingerprint = JSON.stringify([
      principal.accountId,
      principal.region,
      user.path,
      user.groups,
      user.attachedManagedPolicies,
      user.permissionsBoundaryArn,
      user.inlinePolicies.map((p) => p.document),
    ]);
    let reading = this.readings.get(fingerprint);
    if (!reading) {
      const policies = [...principal.identity, ...(principal.boundary ? [principal.boundary] : [])];
      const scps = principal.scps.state === "applied" ? principal.scps.levels.flatMap((l) => l.policies) : [];
      const documents = [...policies, ...scps].map((p) => p.document).concat(this.context);
      reading = read(documents);
      if (
        JSON.stringify([documents, policies.map((p) => p.ref), scps.map((p) => p.ref)]).includes(PLACEHOLDER)
      )
        reading.specific = true;
      this.readings.set(fingerprint, reading);
    }
    const name = principal.name.toLowerCase();
    if (
      reading.specific ||
      name.includes(PLACEHOLDER) ||
      !principal.arn.endsWith(`/${principal.name}`) ||
      reading.literals.some((l) => l.includes(name))
    ) {
      return compute(principal);
    }
    const key = `${fingerprint}\n${task}`;
    const inline = principal.identity.filter((p) => p.ref.attachedVia === "user inline");
    let outcome = this.outcomes.get(key);
    if (!outcome) {
      outcome = this.computeCanonical(principal, inline, key, compute);
      this.outcomes.set(key, outcome);
    }
    const pairs: [string, string][] = [
      ...inline.map((p, i): [string, string] => [inlineName(i), p.ref.name]),
      [STAND_IN, principal.name],
    ];
    const replace = (s: string) => pairs.reduce((out, [from, to]) => out.replaceAll(from, to), s);
    if ("error" in outcome) throw new PolicyEvaluationError(replace(outcome.error.message));
    return fill(outcome.value, replace) as T;
  }

  /**
   * The outcome for a stand-in with the principal's policies: another account's when one has
   * computed it for policies that treat accounts alike, else computed here.
   */
  private computeCanonical<T>(
    principal: PrincipalPolicies,
    inline: NamedPolicy[],
    /** The fingerprint of the user and the task. */
    task: string,
    compute: (p: PrincipalPolicies) => T,
  ): Outcome {
    const canonical: PrincipalPolicies = {
      ...principal,
      name: STAND_IN,
      arn: `${principal.arn.slice(0, -principal.name.length)}${STAND_IN}`,
      identity: principal.identity.map((p) => {
        const index = inline.indexOf(p);
        return index < 0 ? p : { ref: { ...p.ref, name: inlineName(index) }, document: p.document };
      }),
    };
    const across = this.keyAcrossAccounts(canonical, task);
    const known = across && acrossAccounts.get(across.key);
    if (known) {
      const same = known.ids.every((id, i) => id === across.ids[i]);
      return same ? known.outcome : movedOutcome(known.outcome, known.ids, across.ids);
    }
    let outcome: Outcome;
    try {
      outcome = { value: compute(canonical) };
    } catch (error) {
      if (!(error instanceof PolicyEvaluationError)) throw error;
      outcome = { error };
    }
    if (across) {
      if (acrossAccounts.size >= MAX_ACROSS_ACCOUNTS) acrossAccounts.clear();
      acrossAccounts.set(across.key, { ids: across.ids, outcome });
    }
    return outcome;
  }

  /**
   * What decides the stand-in's outcome, with the account id and the ids of the organization units
   * whose SCPs apply marked: the scope, the user's fingerprint and the task, the principal and each
   * policy by reference and content. Null when results are not shared between accounts or a
   * policy could tell accounts apart.
   */
  private keyAcrossAccounts(canonical: PrincipalPolicies, task: string): AcrossAccountsKey | null {
    const account = canonical.accountId;
    if (this.scope === undefined || !/^\d{12}$/.test(account)) return null;
    const scps = canonical.scps;
    const levels = scps.state === "applied" ? scps.levels : [];
    const ids = [account, ...levels.map((l) => l.targetId).filter((id) => id !== account)];
    const policies = [
      ...canonical.identity,
      ...(canonical.boundary ? [canonical.boundary] : []),
      ...levels.flatMap((l) => l.policies),
    ];
    const documents = [...policies.map((p) => p.document), ...this.context];
    if (!documents.every((d) => treatsAccountsAlike(d, ids))) return null;
    const described = (p: NamedPolicy) => [
      p.ref.name,
      p.ref.attachedVia,
      p.ref.arn ?? null,
      factsOf(p.document).digest,
    ];
    const text = JSON.stringify([
      this.scope,
      task,
      canonical.kind,
      canonical.arn,
      canonical.region,
      canonical.identity.map(described),
      canonical.boundary ? described(canonical.boundary) : null,
      scps.state === "applied"
        ? levels.map((l) => [l.targetId, l.policies.map(described)])
        : [scps.state, scps.reason],
      this.context.map((d) => factsOf(d).digest),
    ]);
    return { key: replaceIds(text, ids, (i) => `\u0005${i}\u0005`), ids };
  }
}
