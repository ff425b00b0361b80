/**
 * The contract between the emulator's server (routing, protocols, faults, call log) and the
 * service implementations in services/.
 */
import type { Scenario, ScenarioAccount } from "./scenario.js";

export type ServiceName =
  | "iam"
  | "sts"
  | "organizations"
  | "config"
  | "cloudtrail"
  | "sso"
  | "identitystore"
  | "ec2";

/**
 * An error answered the way AWS answers it. The protocol layer renders it as a Query XML
 * `<ErrorResponse>` (IAM, STS), an EC2 `<Response><Errors>` or a JSON 1.1 `{"__type", "message"}`.
 */
export class AwsError extends Error {
  constructor(
    /** The AWS error code, e.g. `NoSuchEntity`, `AccessDeniedException`. */
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly type: "Sender" | "Receiver" = "Sender",
  ) {
    super(message);
    this.name = "AwsError";
  }
}

/** Who signed the request. */
export interface Principal {
  accountId: string;
  accessKeyId: string;
  /** `arn:aws:iam::<acct>:root` for an account's own keys, `arn:aws:sts::<acct>:assumed-role/<role>/<session>` otherwise. */
  arn: string;
  userId: string;
  kind: "account" | "assumed-role" | "root-session";
  /** For assumed-role sessions: the role's name. */
  roleName?: string;
}

/** Wraps a map so that the Query XML serializer writes `<entry><key/><value/></entry>` items. */
export class XmlMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export interface RequestContext {
  service: ServiceName;
  operation: string;
  region: string;
  /** Decoded input: the JSON body, or the Query parameters as a structure (`A.member.1` → `A: [..]`, `B.c` → `B: {c}`). */
  input: Record<string, unknown>;
  principal: Principal;
  /** The account the credentials belong to. */
  account: ScenarioAccount;
  scenario: Scenario;
  /** Mutable per-account state that services keep between calls, keyed by the service's own names. */
  runtime: Map<string, unknown>;
  /** The request's Host header (`127.0.0.1:port` through the emulator's endpoint, `sts.amazonaws.com` when a client sets it). */
  host?: string;
  /** The emulator's clock (scenario times were resolved against the load time). */
  now(): Date;
  /** Creates temporary credentials for `accountId` (used by STS AssumeRole and AssumeRoot). */
  issueSession(session: Omit<Principal, "accessKeyId" | "userId"> & { durationSeconds: number }): {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
    expiration: Date;
  };
  /** Finds an account of the scenario by id. */
  findAccount(accountId: string): ScenarioAccount | undefined;
}

/** A handler returns the operation's output structure, or throws an AwsError. */
export type Handler = (ctx: RequestContext) => unknown | Promise<unknown>;

export interface ServiceDefinition {
  name: ServiceName;
  protocol: "query" | "ec2" | "json";
  /** Query/EC2: the XML namespace of responses; JSON: unused. */
  xmlns?: string;
  /** JSON 1.1: the `X-Amz-Target` prefix, e.g. `AWSOrganizationsV20161128`. */
  targetPrefix?: string;
  handlers: Record<string, Handler>;
}

/** One entry of the emulator's call log, which tests and benchmarks read. */
export interface CallLogEntry {
  time: string;
  service: ServiceName | "unknown";
  operation: string;
  accountId: string | null;
  region: string;
  status: number;
  /** The AWS error code for failed calls. */
  errorCode?: string;
  durationMs: number;
}
