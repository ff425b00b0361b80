/**
 * One request evaluated against a principal's policies with @cloud-copilot/iam-simulate, with
 * the statements that decided it. The simulation is synchronous (`runUnsafeSimulation`), so
 * checks stay pure functions; the statements that allow or deny are found by evaluating each
 * statement on its own.
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

/** The request context of `session` for `principal`. */
export function requestContext(principal: PrincipalPolicies, session: Session): Record<string, string> {
  const context: Record<string, string> = {
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

interface Layers {
  identity: NamedPolicy[];
  boundary?: NamedPolicy | null;
  scps?: { targetId: string; policies: NamedPolicy[] }[];
}

function run(
  principal: PrincipalPolicies,
  probe: Probe,
  context: Record<string, string>,
  layers: Layers,
): Decision {
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
 * Evaluates `probe` as `principal` signed as `session`, with its identity policies, its boundary
 * and the SCPs when they apply (`scps.state === "applied"`), and explains the decision.
 */
export function simulate(principal: PrincipalPolicies, probe: Probe, session: Session): Verdict {
  const context = requestContext(principal, session);
  const scps = principal.scps.state === "applied" ? principal.scps.levels : [];
  const decision = run(principal, probe, context, {
    identity: principal.identity,
    boundary: principal.boundary,
    scps,
  });
  const verdict: Verdict = { ...probe, session, decision, allowedBy: [], deniedBy: null, notAllowedBy: null };

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

/** A verdict as plain evidence. */
export function verdictEvidence(verdict: Verdict): Record<string, unknown> {
  return {
    action: verdict.action,
    resource: verdict.resource,
    session: verdict.session,
    decision: verdict.decision,
    ...(verdict.allowedBy.length > 0 ? { allowedBy: verdict.allowedBy.map(describeStatement) } : {}),
    ...(verdict.deniedBy ? { deniedBy: describeStatement(verdict.deniedBy) } : {}),
    ...(verdict.notAllowedBy ? { notAllowedBy: verdict.notAllowedBy } : {}),
  };
}
