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

const ALLOW_ALL: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** The statements of a policy document as a list. */
export function statements(document: PolicyDocument): Record<string, unknown>[] {
  const s = document.Statement;
  if (Array.isArray(s)) return s as Record<string, unknown>[];
  return s && typeof s === "object" ? [s as Record<string, unknown>] : [];
}

function single(document: PolicyDocument, statement: Record<string, unknown>): PolicyDocument {
  return { Version: document.Version ?? "2012-10-17", Statement: [statement] };
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

/**
 * Rewrites each statement of a document; `null` drops it. A request on `*` stands for an action
 * that takes no resource, which AWS grants or denies only through `Resource: "*"`; iam-simulate
 * matches any Resource against `*`, so statements with narrower resources are dropped for it.
 */
function rewrite(
  policy: NamedPolicy,
  resource: string,
  fn: (statement: Record<string, unknown>) => Record<string, unknown> | null,
): NamedPolicy {
  const kept = statements(policy.document)
    .filter((st) => resource !== "*" || coversAnyResource(st))
    .flatMap((st) => fn(st) ?? []);
  return { ref: policy.ref, document: { Version: policy.document.Version ?? "2012-10-17", Statement: kept } };
}

interface Layers {
  identity: NamedPolicy[];
  boundary?: NamedPolicy | null;
  scps?: { targetId: string; policies: NamedPolicy[] }[];
}

/** Every policy of `layers` rewritten by `fn` (see `rewrite`). */
function mapLayers(
  layers: Layers,
  resource: string,
  fn: (statement: Record<string, unknown>) => Record<string, unknown> | null,
): Layers {
  return {
    identity: layers.identity.map((p) => rewrite(p, resource, fn)),
    boundary: layers.boundary ? rewrite(layers.boundary, resource, fn) : null,
    scps: (layers.scps ?? []).map((l) => ({
      targetId: l.targetId,
      policies: l.policies.map((p) => rewrite(p, resource, fn)),
    })),
  };
}

function run(
  principal: PrincipalPolicies,
  probe: Probe,
  context: Record<string, string>,
  given: Layers,
): Decision {
  const layers = mapLayers(given, probe.resource, (st) => st);
  const simulation: Simulation = {
    request: {
      principal: principal.arn,
      action: probe.action,
      resource: { resource: probe.resource, accountId: principal.accountId },
      contextVariables: context,
    },
    identityPolicies: layers.identity.map((p) => ({ name: p.ref.name, policy: p.document })),
    serviceControlPolicies: (layers.scps ?? []).map((level) => ({
      orgIdentifier: level.targetId,
      policies: level.policies.map((p) => ({ name: p.ref.name, policy: p.document })),
    })),
    resourceControlPolicies: [],
    ...(layers.boundary
      ? { permissionBoundaryPolicies: [{ name: layers.boundary.ref.name, policy: layers.boundary.document }] }
      : {}),
  };
  try {
    return runUnsafeSimulation(simulation, {});
  } catch (error) {
    const names = [...layers.identity, ...(layers.boundary ? [layers.boundary] : [])].map((p) => p.ref.name);
    throw new PolicyEvaluationError(
      `a policy of ${principal.arn} (${names.join(", ")}) could not be evaluated: ${(error as Error).message}`,
    );
  }
}

function statementPolicies(
  policy: NamedPolicy,
  effect: "Allow" | "Deny",
): { ref: StatementRef; policy: NamedPolicy }[] {
  return statements(policy.document).flatMap((statement, index) =>
    statement.Effect === effect
      ? [
          {
            ref: { ...policy.ref, sid: typeof statement.Sid === "string" ? statement.Sid : null, index },
            policy: { ref: policy.ref, document: single(policy.document, statement) },
          },
        ]
      : [],
  );
}

const ALLOW_ALL_POLICY: NamedPolicy = {
  ref: { name: "allow-all", attachedVia: "probe" },
  document: ALLOW_ALL,
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
    statements(policy.document).flatMap((statement, index) => {
      const keys = unknownKeys(statement);
      if (keys.length === 0 || (probe.resource === "*" && !coversAnyResource(statement))) return [];
      const ref = { ...policy.ref, sid: typeof statement.Sid === "string" ? statement.Sid : null, index };
      return [{ keys, ref, statement, document: single(policy.document, withUnknownSatisfied(statement)) }];
    }),
  );
  if (uncertain.length === 0) return [];
  const extreme = (favour: boolean) =>
    run(
      principal,
      probe,
      context,
      mapLayers(layers, probe.resource, (st) => {
        if (unknownKeys(st).length === 0) return st;
        return (st.Effect === "Allow") === favour ? withUnknownSatisfied(st) : null;
      }),
    ) === "Allowed";
  if (extreme(true) === extreme(false)) return [];
  return uncertain
    .filter(({ statement, ref, document }) => {
      const alone: NamedPolicy = { ref, document };
      return statement.Effect === "Allow"
        ? run(principal, probe, context, { identity: [alone] }) === "Allowed"
        : run(principal, probe, context, { identity: [ALLOW_ALL_POLICY, alone] }) === "ExplicitlyDenied";
    })
    .map(({ keys, ref }) => ({ keys, statement: ref }));
}

/**
 * Evaluates `probe` as `principal` signed as `session`, with its identity policies, its boundary
 * and the SCPs when they apply (`scps.state === "applied"`), and explains the decision.
 */
export function simulate(principal: PrincipalPolicies, probe: Probe, session: Session): Verdict {
  const context = requestContext(principal, session, probe.action);
  const scps = principal.scps.state === "applied" ? principal.scps.levels : [];
  const layers: Layers = { identity: principal.identity, boundary: principal.boundary, scps };
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
    verdict.allowedBy = principal.identity
      .flatMap((p) => statementPolicies(p, "Allow"))
      .filter((s) => run(principal, probe, context, { identity: [s.policy] }) === "Allowed")
      .map((s) => s.ref);
  } else if (decision === "ExplicitlyDenied") {
    const denies = [
      ...principal.identity,
      ...(principal.boundary ? [principal.boundary] : []),
      ...scps.flatMap((l) => l.policies),
    ].flatMap((p) => statementPolicies(p, "Deny"));
    verdict.deniedBy =
      denies.find(
        (s) =>
          run(principal, probe, context, { identity: [ALLOW_ALL_POLICY, s.policy] }) === "ExplicitlyDenied",
      )?.ref ?? null;
  } else if (run(principal, probe, context, { identity: principal.identity }) !== "Allowed") {
    verdict.notAllowedBy = "identity policies";
  } else if (
    principal.boundary &&
    run(principal, probe, context, { identity: [principal.boundary] }) !== "Allowed"
  ) {
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
