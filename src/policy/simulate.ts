/**
 * One request evaluated against a principal's policies with @cloud-copilot/iam-simulate, with
 * the statements that decided it. The simulation is synchronous (`runUnsafeSimulation`), so
 * checks stay pure functions; the statements that allow or deny are found by evaluating each
 * statement on its own. Conditions on keys a scan cannot know (`aws:SourceIp`, tags, …) are
 * evaluated both ways: when the decision changes, the verdict names them in `dependsOn`.
 */
import { runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../snapshot/types.js";
import type { NamedPolicy, PolicyRef, PrincipalPolicies } from "./principal.js";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** How the request is signed, which decides whether `aws:MultiFactorAuthPresent` exists. */
export type Session =
  /** A console (or other temporary-credential) session without MFA: the key is `false`. */
  | "no-mfa"
  /** A session after MFA: the key is `true` and `aws:MultiFactorAuthAge` is 60 s. */
  | "mfa"
  /** Long-term access keys: AWS sends neither key. */
  | "long-term-key";

export interface Probe {
  action: string;
  resource: string;
  /** For a probe drawn from a policy: the action pattern it stands for, when not the action itself. */
  pattern?: string;
}

/** A condition on keys mfawatch does not supply, in a statement that can change the decision. */
export interface Dependency {
  keys: string[];
  statement: StatementRef;
}

export interface StatementRef extends PolicyRef {
  /** The statement's `Sid`, or null when it has none. */
  sid: string | null;
  /** Its position in the policy's Statement list, from 0. */
  index: number;
}

export interface Verdict extends Probe {
  session: Session;
  decision: Decision;
  /** Identity statements that each allow the request on their own. */
  allowedBy: StatementRef[];
  /** The first Deny statement (identity, boundary or SCP) that denies it. */
  deniedBy: StatementRef | null;
  /** For an implicit deny: the layer that grants nothing for it. */
  notAllowedBy: "identity policies" | "permission boundary" | "SCPs" | null;
  /**
   * Non-empty when the decision would differ had these statements' conditions on unknown keys
   * evaluated the other way: then neither "allowed" nor "denied" can be claimed.
   */
  dependsOn: Dependency[];
}

/** Allowed, whatever the keys a scan cannot know. */
export function isAllowed(verdict: Verdict): boolean {
  return verdict.decision === "Allowed" && verdict.dependsOn.length === 0;
}

/** Denied, whatever the keys a scan cannot know. */
export function isDenied(verdict: Verdict): boolean {
  return verdict.decision !== "Allowed" && verdict.dependsOn.length === 0;
}

/** A policy that could not be evaluated (malformed document). */
export class PolicyEvaluationError extends Error {
  override name = "PolicyEvaluationError";
}

/** The statements of a policy document as a list. */
export function statements(document: PolicyDocument): Record<string, unknown>[] {
  const s = document.Statement;
  if (Array.isArray(s)) return s as Record<string, unknown>[];
  return s && typeof s === "object" ? [s as Record<string, unknown>] : [];
}

/** Services with one endpoint in us-east-1, where `aws:RequestedRegion` is always us-east-1. */
const GLOBAL_SERVICES = new Set(["iam", "organizations", "cloudfront", "route53", "account", "support"]);

/** The region a request for `action` is signed for: the collection region, or us-east-1 for global services. */
export function requestedRegion(principal: PrincipalPolicies, action: string): string {
  const service = action.split(":")[0]?.toLowerCase() ?? "";
  return GLOBAL_SERVICES.has(service) ? "us-east-1" : principal.region;
}

/** The request context of `session` for `principal` calling `action`. */
export function requestContext(
  principal: PrincipalPolicies,
  session: Session,
  action: string,
): Record<string, string> {
  const context: Record<string, string> = {
    "aws:RequestedRegion": requestedRegion(principal, action),
    "aws:PrincipalArn": principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:PrincipalType": principal.kind === "user" ? "User" : "AssumedRole",
    "aws:SecureTransport": "true",
    "aws:ViaAWSService": "false",
  };
  if (principal.kind === "user") context["aws:username"] = principal.name;
  if (session === "no-mfa") context["aws:MultiFactorAuthPresent"] = "false";
  if (session === "mfa") {
    context["aws:MultiFactorAuthPresent"] = "true";
    context["aws:MultiFactorAuthAge"] = "60";
  }
  return context;
}

/**
 * Condition keys whose value (or absence) the simulation knows: those `requestContext` sets and
 * the MFA keys, which are absent on purpose for long-term keys. Any other key is unknown.
 */
const KNOWN_KEYS = new Set(
  [
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:RequestedRegion",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:SecureTransport",
    "aws:ViaAWSService",
    "aws:username",
  ].map((k) => k.toLowerCase()),
);

/** The condition keys of `statement` that a scan cannot know. */
export function unknownKeys(statement: Record<string, unknown>): string[] {
  const condition = statement.Condition;
  if (!condition || typeof condition !== "object") return [];
  const keys = Object.values(condition).flatMap((block) =>
    block && typeof block === "object" ? Object.keys(block) : [],
  );
  return [...new Set(keys.filter((k) => !KNOWN_KEYS.has(k.toLowerCase())))];
}

/** `statement` with its conditions on unknown keys taken as satisfied. */
function withUnknownSatisfied(statement: Record<string, unknown>): Record<string, unknown> {
  const condition = statement.Condition as Record<string, Record<string, unknown>>;
  const kept = Object.entries(condition)
    .map(([op, block]) => [
      op,
      Object.fromEntries(Object.entries(block).filter(([k]) => KNOWN_KEYS.has(k.toLowerCase()))),
    ])
    .filter(([, block]) => Object.keys(block as object).length > 0);
  const rest = { ...statement };
  delete rest.Condition;
  return kept.length > 0 ? { ...rest, Condition: Object.fromEntries(kept) } : rest;
}

/** Whether a statement's Resource (or NotResource) lets it apply to a request on `*`. */
function coversAnyResource(statement: Record<string, unknown>): boolean {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]);
  if ("NotResource" in statement) return !list(statement.NotResource).includes("*");
  return !("Resource" in statement) || list(statement.Resource).includes("*");
}

const actionPatterns = new Map<string, RegExp>();

/** Whether an IAM action pattern (`*` and `?` wildcards, any case) matches `action`. */
function matchesAction(pattern: string, action: string): boolean {
  let regex = actionPatterns.get(pattern);
  if (!regex) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replaceAll("*", ".*")
      .replaceAll("?", ".");
    regex = new RegExp(`^${source}$`, "is");
    actionPatterns.set(pattern, regex);
  }
  return regex.test(action);
}

/**
 * `statement` as it bears on `action`: null when its Action (or NotAction) leaves the action out,
 * else with its Action narrowed to the patterns that match. A statement whose actions are not all
 * strings is kept whole, for iam-simulate to judge.
 */
function forAction(statement: Record<string, unknown>, action: string): Record<string, unknown> | null {
  const strings = (value: unknown) => {
    const list: unknown[] = Array.isArray(value) ? value : [value];
    return list.every((v) => typeof v === "string") ? (list as string[]) : null;
  };
  if ("Action" in statement) {
    const patterns = strings(statement.Action);
    if (!patterns) return statement;
    const matching = patterns.filter((p) => matchesAction(p, action));
    if (matching.length === 0) return null;
    return matching.length === patterns.length ? statement : { ...statement, Action: matching };
  }
  if ("NotAction" in statement) {
    return strings(statement.NotAction)?.some((p) => matchesAction(p, action)) ? null : statement;
  }
  return statement;
}

/** The statements of a policy that bear on one request, each with its position in the policy. */
interface Relevant {
  ref: PolicyRef;
  version: unknown;
  statements: { statement: Record<string, unknown>; index: number }[];
  /**
   * Which statements these are: equal for two requests when the same statements apply to both,
   * whatever their actions, so that requests of one service can share a verdict (see `verdictKey`).
   */
  applies: string;
}

/**
 * Services that iam-simulate authorizes with rules of their own, which may read the action: their
 * requests share a verdict only with requests for the same action.
 */
const ACTION_AWARE_SERVICES = new Set(["iam", "kms", "sts", "s3"]);

const serviceOf = (action: string) => action.split(":")[0]?.toLowerCase() ?? "";

const byContent = new Map<string, PolicyDocument>();
const interned = new WeakMap<PolicyDocument, PolicyDocument>();

/**
 * The first document seen with the same content as `document`, so that the work on a policy
 * attached in many places, or in many accounts of an organization, is done once. Bounded.
 */
function intern(document: PolicyDocument): PolicyDocument {
  let known = interned.get(document);
  if (!known) {
    const json = JSON.stringify(document);
    known = byContent.get(json);
    if (!known) {
      if (byContent.size >= 2_000) byContent.clear();
      known = document;
      byContent.set(json, known);
    }
    interned.set(document, known);
  }
  return known;
}

const relevantCache = new WeakMap<PolicyDocument, Map<string, Pick<Relevant, "statements" | "applies">>>();

/** Whether iam-simulate will read the statement's Action or NotAction as `forAction` does. */
function actionsReadable(statement: Record<string, unknown>): boolean {
  const value = "Action" in statement ? statement.Action : statement.NotAction;
  return (Array.isArray(value) ? value : [value]).every((v) => typeof v === "string");
}

/**
 * The statements of `policy` that can apply to `probe`: those whose actions match it and, for a
 * request on `*`, whose resources cover `*` (AWS grants or denies an action that takes no
 * resource only through `Resource: "*"`; iam-simulate matches any Resource against `*`). The
 * others cannot change a decision, and leaving them out keeps each simulation small. Cached per
 * document content, action and kind of resource.
 */
function relevant(policy: NamedPolicy, probe: Probe): Relevant {
  const document = intern(policy.document);
  let byRequest = relevantCache.get(document);
  if (!byRequest) {
    byRequest = new Map();
    relevantCache.set(document, byRequest);
  }
  const star = probe.resource === "*" ? "*" : "arn";
  const key = `${star} ${probe.action}`;
  let entry = byRequest.get(key);
  if (!entry) {
    const statements_ = statements(document).flatMap((st, index) => {
      if (probe.resource === "*" && !coversAnyResource(st)) return [];
      const statement = forAction(st, probe.action);
      return statement ? [{ statement, index }] : [];
    });
    const service = serviceOf(probe.action);
    const byService =
      !ACTION_AWARE_SERVICES.has(service) && statements_.every(({ statement }) => actionsReadable(statement));
    const which = byService ? `${service} ${star} ${statements_.map((s) => s.index).join(",")}` : key;
    entry = { statements: statements_, applies: `${idOf(document)} ${which}` };
    byRequest.set(key, entry);
  }
  return { ref: policy.ref, version: document.Version ?? "2012-10-17", ...entry };
}

interface Layers {
  identity: Relevant[];
  boundary?: Relevant | null;
  scps?: { targetId: string; policies: Relevant[] }[];
}

/** Rewrites a statement before simulation; `null` drops it. */
type Rewrite = (statement: Record<string, unknown>) => Record<string, unknown> | null;

const asIs: Rewrite = (statement) => statement;

function document(policy: Relevant, rewrite: Rewrite): PolicyDocument {
  return {
    Version: policy.version,
    Statement: policy.statements.flatMap(({ statement }) => rewrite(statement) ?? []),
  };
}

function simulationError(
  principal: PrincipalPolicies,
  names: string[],
  message: string,
): PolicyEvaluationError {
  return new PolicyEvaluationError(
    `a policy of ${principal.arn} (${names.join(", ")}) could not be evaluated: ${message}`,
  );
}

function run(
  principal: PrincipalPolicies,
  probe: Probe,
  context: Record<string, string>,
  layers: Layers,
  rewrite: Rewrite = asIs,
): Decision {
  const simulation: Simulation = {
    request: {
      principal: principal.arn,
      action: probe.action,
      resource: { resource: probe.resource, accountId: principal.accountId },
      contextVariables: context,
    },
    identityPolicies: layers.identity.map((p) => ({ name: p.ref.name, policy: document(p, rewrite) })),
    serviceControlPolicies: (layers.scps ?? []).map((level) => ({
      orgIdentifier: level.targetId,
      policies: level.policies.map((p) => ({ name: p.ref.name, policy: document(p, rewrite) })),
    })),
    resourceControlPolicies: [],
    ...(layers.boundary
      ? {
          permissionBoundaryPolicies: [
            { name: layers.boundary.ref.name, policy: document(layers.boundary, rewrite) },
          ],
        }
      : {}),
  };
  try {
    return runUnsafeSimulation(simulation, {});
  } catch (error) {
    const names = [...layers.identity, ...(layers.boundary ? [layers.boundary] : [])].map((p) => p.ref.name);
    throw simulationError(principal, names, (error as Error).message);
  }
}

const validity = new WeakMap<PolicyDocument, string | null>();

/**
 * Why iam-simulate cannot read `document` (null when it can), found once per document with a
 * simulation of the whole of it, as simulations of only the statements that bear on a request
 * would not see a malformed statement elsewhere.
 */
function invalidReason(document: PolicyDocument): string | null {
  let reason = validity.get(document);
  if (reason === undefined) {
    try {
      runUnsafeSimulation(
        {
          request: {
            principal: "arn:aws:iam::123456789012:user/mfawatch-probe",
            action: "s3:ListAllMyBuckets",
            resource: { resource: "*", accountId: "123456789012" },
            contextVariables: {},
          },
          identityPolicies: [{ name: "policy", policy: document }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      reason = null;
    } catch (error) {
      reason = (error as Error).message;
    }
    validity.set(document, reason);
  }
  return reason;
}

const readable = new WeakSet<PrincipalPolicies>();

/** Throws when iam-simulate cannot read one of the principal's policies; checked once per principal. */
function checkReadable(principal: PrincipalPolicies): void {
  if (readable.has(principal)) return;
  const policies = [
    ...principal.identity,
    ...(principal.scps.state === "applied" ? principal.scps.levels.flatMap((l) => l.policies) : []),
    ...(principal.boundary ? [principal.boundary] : []),
  ];
  for (const policy of policies) {
    const reason = invalidReason(policy.document);
    if (reason !== null) {
      const names = [...principal.identity, ...(principal.boundary ? [principal.boundary] : [])];
      throw simulationError(
        principal,
        names.map((p) => p.ref.name),
        reason,
      );
    }
  }
  readable.add(principal);
}

function statementPolicies(
  policy: Relevant,
  effect: "Allow" | "Deny",
): { ref: StatementRef; policy: Relevant }[] {
  return policy.statements.flatMap((entry) =>
    entry.statement.Effect === effect
      ? [
          {
            ref: {
              ...policy.ref,
              sid: typeof entry.statement.Sid === "string" ? entry.statement.Sid : null,
              index: entry.index,
            },
            policy: {
              ref: policy.ref,
              version: policy.version,
              statements: [entry],
              applies: `${policy.applies} #${entry.index}`,
            },
          },
        ]
      : [],
  );
}

const ALLOW_ALL_POLICY: Relevant = {
  ref: { name: "allow-all", attachedVia: "probe" },
  version: "2012-10-17",
  applies: "allow-all",
  statements: [{ statement: { Effect: "Allow", Action: "*", Resource: "*" }, index: 0 }],
};

/**
 * The statements with conditions on unknown keys that decide `probe`: evaluated with every such
 * condition in favour of the request and then against it, the decision changes. Empty otherwise.
 */
function dependencies(
  principal: PrincipalPolicies,
  probe: Probe,
  context: Record<string, string>,
  layers: Layers,
): Dependency[] {
  const all = [
    ...layers.identity,
    ...(layers.boundary ? [layers.boundary] : []),
    ...(layers.scps ?? []).flatMap((l) => l.policies),
  ];
  const uncertain = all.flatMap((policy) =>
    policy.statements.flatMap(({ statement, index }) => {
      const keys = unknownKeys(statement);
      if (keys.length === 0) return [];
      const ref = { ...policy.ref, sid: typeof statement.Sid === "string" ? statement.Sid : null, index };
      const alone: Relevant = {
        ref,
        version: policy.version,
        statements: [{ statement: withUnknownSatisfied(statement), index }],
        applies: `${policy.applies} #${index} with unknown keys satisfied`,
      };
      return [{ keys, ref, statement, alone }];
    }),
  );
  if (uncertain.length === 0) return [];
  const extreme = (favour: boolean) =>
    run(principal, probe, context, layers, (st) => {
      if (unknownKeys(st).length === 0) return st;
      return (st.Effect === "Allow") === favour ? withUnknownSatisfied(st) : null;
    }) === "Allowed";
  if (extreme(true) === extreme(false)) return [];
  return uncertain
    .filter(({ statement, alone }) =>
      statement.Effect === "Allow"
        ? run(principal, probe, context, { identity: [alone] }) === "Allowed"
        : run(principal, probe, context, { identity: [ALLOW_ALL_POLICY, alone] }) === "ExplicitlyDenied",
    )
    .map(({ keys, ref }) => ({ keys, statement: ref }));
}

/**
 * Evaluates `probe` as `principal` signed as `session`, with its identity policies, its boundary
 * and the SCPs when they apply (`scps.state === "applied"`), and explains the decision.
 */
export function simulate(principal: PrincipalPolicies, probe: Probe, session: Session): Verdict {
  checkReadable(principal);
  const scpLevels = principal.scps.state === "applied" ? principal.scps.levels : [];
  const identity = principal.identity.map((p) => relevant(p, probe));
  const boundary = principal.boundary ? relevant(principal.boundary, probe) : null;
  const scps = scpLevels.map((l) => ({
    targetId: l.targetId,
    policies: l.policies.map((p) => relevant(p, probe)),
  }));
  const layers: Layers = { identity, boundary, scps };
  const key = verdictKey(principal, session, layers, probe);
  const known = verdicts.get(key);
  if (known) {
    const { account, ...rest } = known;
    return {
      ...probe,
      ...(account === principal.accountId ? rest : inOtherAccount(rest, account, principal.accountId)),
    };
  }
  const context = requestContext(principal, session, probe.action);
  const verdict = explain(principal, probe, session, context, layers);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  const { action, resource, pattern, ...rest } = verdict;
  verdicts.set(key, { ...rest, account: principal.accountId });
  return verdict;
}

type Explanation = Omit<Verdict, keyof Probe>;

/**
 * A verdict of account `from` for the same request in account `to` (the key said the statements
 * treat accounts alike): the references it names (the ARNs of customer managed policies, the SCPs
 * attached to the account itself) move to `to`.
 */
function inOtherAccount(verdict: Explanation, from: string, to: string): Explanation {
  const move = (ref: StatementRef): StatementRef => ({
    ...ref,
    name: ref.name.replaceAll(from, to),
    attachedVia: ref.attachedVia.replaceAll(from, to),
    ...(ref.arn === undefined ? {} : { arn: ref.arn.replaceAll(from, to) }),
  });
  return {
    ...verdict,
    allowedBy: verdict.allowedBy.map(move),
    deniedBy: verdict.deniedBy ? move(verdict.deniedBy) : null,
    dependsOn: verdict.dependsOn.map((d) => ({ ...d, statement: move(d.statement) })),
  };
}

/**
 * Verdicts by request and the statements that bear on it, with the account that computed them;
 * bounded so that long scans do not grow it forever.
 */
const verdicts = new Map<string, Explanation & { account: string }>();
const MAX_VERDICTS = 5_000;

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number that stands for `object` while it lives. */
function idOf(object: object): number {
  let id = ids.get(object);
  if (id === undefined) {
    id = nextId++;
    ids.set(object, id);
  }
  return id;
}

/**
 * What decides a verdict: the request (resource, the principal and session that make up its
 * context as in `requestContext`, and the action, or only its service when the same statements
 * apply: see `relevant`) and the statements of each layer that bear on it, with the references
 * evidence names them by. An identity policy none of whose statements bears on the request cannot
 * change it. Principals whose policies differ only in statements that do not apply to a probe
 * share its verdict.
 */
function verdictKey(principal: PrincipalPolicies, session: Session, layers: Layers, probe: Probe): string {
  const all = [
    ...layers.identity,
    ...(layers.boundary ? [layers.boundary] : []),
    ...(layers.scps ?? []).flatMap((l) => l.policies),
  ];
  const account = principal.accountId;
  const neutral = /^\d{12}$/.test(account) && all.every((p) => accountNeutral(p, account));
  const inAccount = (s: string) => (neutral ? s.replaceAll(account, "\u0005") : s);
  const policy = (p: Relevant) =>
    `${inAccount(refKey(p.ref))}\u0001${inAccount(p.ref.arn ?? "")}\u0001${p.applies}`;
  return [
    ACTION_AWARE_SERVICES.has(serviceOf(probe.action)) ? probe.action : serviceOf(probe.action),
    inAccount(probe.resource),
    session,
    principal.kind,
    principal.name,
    inAccount(principal.arn),
    inAccount(account),
    requestedRegion(principal, probe.action),
    layers.identity
      .filter((p) => p.statements.length > 0)
      .map(policy)
      .join("\u0002"),
    layers.boundary ? policy(layers.boundary) : "",
    (layers.scps ?? [])
      .map((l) => `${inAccount(l.targetId)}\u0003${l.policies.map(policy).join("\u0002")}`)
      .join("\u0004"),
  ].join("\n");
}

/** What `accountNeutral` needs to know of the statements of a `Relevant`, whatever the account. */
interface Neutrality {
  /** No wildcard next to a digit, no condition that could read an account, an ARN or a principal. */
  alikeInShape: boolean;
  /** The runs of 12 or more digits in the statements: an account id they name is in one. */
  digitRuns: string[];
}

const neutrality = new Map<string, Neutrality>();

/**
 * Whether the statements of `policy` that bear on a request treat every account alike: they do
 * not write the account id, have no wildcard next to a digit (`arn:aws:iam::12*:…`) and no
 * condition that could read an account (keys or values naming an account, an ARN or a
 * principal). Then a request of this account and the same request of another account, with the
 * account id swapped throughout, get the same verdict, so verdicts are shared between the
 * accounts of an organization. Cached by statements, bounded.
 */
function accountNeutral(policy: Relevant, account: string): boolean {
  let facts = neutrality.get(policy.applies);
  if (facts === undefined) {
    const text = JSON.stringify(policy.statements.map((s) => s.statement));
    const conditions = JSON.stringify(policy.statements.map((s) => s.statement.Condition ?? null));
    facts = {
      alikeInShape: !/\d[*?]|[*?]\d/.test(text) && !/account|arn|principal/i.test(conditions),
      digitRuns: text.match(/\d{12,}/g) ?? [],
    };
    if (neutrality.size >= MAX_VERDICTS) neutrality.clear();
    neutrality.set(policy.applies, facts);
  }
  return facts.alikeInShape && !facts.digitRuns.some((run) => run.includes(account));
}

const refKeys = new WeakMap<PolicyRef, string>();

function refKey(ref: PolicyRef): string {
  let key = refKeys.get(ref);
  if (key === undefined) {
    key = [ref.name, ref.attachedVia].join("\u0001");
    refKeys.set(ref, key);
  }
  return key;
}

function explain(
  principal: PrincipalPolicies,
  probe: Probe,
  session: Session,
  context: Record<string, string>,
  layers: Layers,
): Verdict {
  const { identity, boundary } = layers;
  const scps = layers.scps ?? [];
  const decision = run(principal, probe, context, layers);
  const verdict: Verdict = {
    ...probe,
    session,
    decision,
    allowedBy: [],
    deniedBy: null,
    notAllowedBy: null,
    dependsOn: dependencies(principal, probe, context, layers),
  };

  if (decision === "Allowed") {
    verdict.allowedBy = identity
      .flatMap((p) => statementPolicies(p, "Allow"))
      .filter((s) => run(principal, probe, context, { identity: [s.policy] }) === "Allowed")
      .map((s) => s.ref);
  } else if (decision === "ExplicitlyDenied") {
    const denies = [...identity, ...(boundary ? [boundary] : []), ...scps.flatMap((l) => l.policies)].flatMap(
      (p) => statementPolicies(p, "Deny"),
    );
    verdict.deniedBy =
      denies.find(
        (s) =>
          run(principal, probe, context, { identity: [ALLOW_ALL_POLICY, s.policy] }) === "ExplicitlyDenied",
      )?.ref ?? null;
  } else if (run(principal, probe, context, { identity }) !== "Allowed") {
    verdict.notAllowedBy = "identity policies";
  } else if (boundary && run(principal, probe, context, { identity: [boundary] }) !== "Allowed") {
    verdict.notAllowedBy = "permission boundary";
  } else {
    verdict.notAllowedBy = "SCPs";
  }
  return verdict;
}

/** A statement reference as one line of evidence: `policy (via) statement Sid`. */
export function describeStatement(ref: StatementRef): string {
  return `${ref.name} (${ref.attachedVia}) statement ${ref.sid ?? `#${ref.index + 1}`}`;
}

/** A dependency as one clause: `aws:SourceIp in policy (via) statement Sid`. */
export function describeDependency(dependency: Dependency): string {
  return `${dependency.keys.join(", ")} in ${describeStatement(dependency.statement)}`;
}

/** Why a verdict cannot be told, as a clause for a message. */
export function dependsClause(verdict: Verdict): string {
  return `${verdict.pattern ?? verdict.action} depends on ${verdict.dependsOn.map(describeDependency).join("; ")}, which a scan cannot know`;
}

/** A verdict as plain evidence. */
export function verdictEvidence(verdict: Verdict): Record<string, unknown> {
  return {
    ...(verdict.pattern ? { pattern: verdict.pattern } : {}),
    action: verdict.action,
    resource: verdict.resource,
    session: verdict.session,
    decision: verdict.decision,
    ...(verdict.allowedBy.length > 0 ? { allowedBy: verdict.allowedBy.map(describeStatement) } : {}),
    ...(verdict.deniedBy ? { deniedBy: describeStatement(verdict.deniedBy) } : {}),
    ...(verdict.notAllowedBy ? { notAllowedBy: verdict.notAllowedBy } : {}),
    ...(verdict.dependsOn.length > 0 ? { dependsOn: verdict.dependsOn.map(describeDependency) } : {}),
  };
}
