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
 */
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

/**
 * One per check evaluation: every user it is given is simulated with the same SCPs, region and
 * `context` documents (policies other than the user's own that decide the result, such as the
 * trust policies of administrator roles).
 */
export class SharedVerdicts {
  private readonly outcomes = new Map<string, Outcome>();
  private readonly readings = new Map<string, Reading>();

  constructor(private readonly context: PolicyDocument[] = []) {}

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
      outcome = this.computeCanonical(principal, inline, compute);
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

  private computeCanonical<T>(
    principal: PrincipalPolicies,
    inline: NamedPolicy[],
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
    try {
      return { value: compute(canonical) };
    } catch (error) {
      if (error instanceof PolicyEvaluationError) return { error };
      throw error;
    }
  }
}
