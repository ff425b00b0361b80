/**
 * The emulator's HTTP server: the endpoint the unmodified AWS SDK calls for every emulated service.
 * It routes by the SigV4 credential scope, authenticates the access key, applies faults, calls the
 * service's handler and answers in the service's protocol, logging every call.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { AuthError, CredentialStore } from "./credentials.js";
import { type FaultInput, Faults, type RateLimit } from "./faults.js";
import { renderEc2Error, renderEc2Response } from "./protocols/ec2.js";
import {
  accessDenied,
  internalError,
  limitExceeded,
  type StandardError,
  standardError,
  throttlingError,
} from "./protocols/errors.js";
import {
  JSON_CONTENT_TYPE,
  operationFromTarget,
  parseJsonBody,
  renderJsonError,
  renderJsonResponse,
} from "./protocols/json.js";
import { decodeQueryParams, renderQueryError, renderQueryResponse } from "./protocols/query.js";
import type { Scenario } from "./scenario.js";
import { services as registry } from "./services/index.js";
import { parseAuthorization } from "./sigv4.js";
import {
  AwsError,
  type CallLogEntry,
  type Principal,
  type RequestContext,
  type ServiceDefinition,
  type ServiceName,
} from "./types.js";

export interface EmulatorOptions {
  scenario: Scenario;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The emulator's clock (session expiry, handlers' `ctx.now()`); default the real clock. */
  now?: () => Date;
  /**
   * CloudTrail LookupEvents' own limit per account and region; default AWS's 2 per second. Tests
   * that are not about this limit may raise it; a scenario's `throttle` applies on top of it.
   */
  lookupEventsLimit?: RateLimit;
  /** Replaces registered services, e.g. a test's stub handlers. */
  services?: Partial<Record<ServiceName, ServiceDefinition>>;
}

export interface Emulator {
  /** `http://host:port`, for the SDK client's `endpoint` option or AWS_ENDPOINT_URL. */
  endpoint: string;
  scenario: Scenario;
  /** Every request in arrival order, refused and throttled ones included. */
  callLog: CallLogEntry[];
  clearCallLog(): void;
  /** The account's own long-term keys; the access key id selects the account. */
  credentialsFor(accountId: string): { accessKeyId: string; secretAccessKey: string };
  /** Injects a fault (same shape as a scenario's `faults` entry) for one account or every account (`*`). */
  addFault(accountId: string, fault: FaultInput): void;
  /** Removes the faults added with addFault. */
  clearFaults(): void;
  close(): Promise<void>;
}

const HTML_500 =
  "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\n";

interface Routed {
  definition?: ServiceDefinition;
  operation: string;
  region: string;
  accountId: string | null;
}

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  const { scenario } = options;
  const now = options.now ?? (() => new Date());
  const byName = { ...registry, ...options.services };
  const credentials = new CredentialStore(scenario);
  const faults = new Faults(scenario, Math.random, options.lookupEventsLimit);
  const runtime = new Map<string, Map<string, unknown>>();
  const callLog: CallLogEntry[] = [];

  function runtimeOf(accountId: string): Map<string, unknown> {
    let state = runtime.get(accountId);
    if (!state) {
      state = new Map();
      runtime.set(accountId, state);
    }
    return state;
  }

  function findAccount(accountId: string) {
    return scenario.accounts.find((a) => a.id === accountId);
  }

  async function answer(req: IncomingMessage, body: string, routed: Routed): Promise<Reply> {
    const scope = parseAuthorization(header(req, "authorization"));
    const target = header(req, "x-amz-target");
    const definition =
      scope && Object.hasOwn(byName, scope.service) ? byName[scope.service as ServiceName] : undefined;
    routed.definition = definition;
    if (scope) routed.region = scope.region;
    if (!scope || !definition) {
      const protocol = target ? "json" : "query";
      const kind: StandardError = scope ? "UnknownOperation" : "MissingAuthentication";
      const detail = scope ? `The service ${scope.service} is not emulated.` : undefined;
      routed.operation = target?.split(".").pop() ?? new URLSearchParams(body).get("Action") ?? "";
      return errorReply(protocol, undefined, standardError(protocol, kind, detail));
    }

    const { protocol } = definition;
    let operation: string | null;
    let input: Record<string, unknown>;
    try {
      if (protocol === "json") {
        operation = operationFromTarget(target, definition.targetPrefix ?? "");
        routed.operation = operation ?? target ?? "";
        input = parseJsonBody(body);
      } else {
        const params = new URLSearchParams(body);
        operation = params.get("Action");
        routed.operation = operation ?? "";
        input = decodeQueryParams(params);
      }
    } catch (error) {
      return errorReply(
        protocol,
        definition,
        standardError(protocol, "MalformedRequest", (error as Error).message),
      );
    }

    let principal: Principal;
    try {
      principal = credentials.authenticate(scope.accessKeyId, header(req, "x-amz-security-token"), now());
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const kind = error.reason === "expired" ? "ExpiredToken" : "InvalidToken";
      return errorReply(protocol, definition, standardError(protocol, kind));
    }
    routed.accountId = principal.accountId;
    const account = findAccount(principal.accountId);
    const handler = operation ? definition.handlers[operation] : undefined;
    if (!account || !operation || !handler) {
      const detail = operation
        ? `Could not find operation ${operation} for the ${definition.name} service.`
        : undefined;
      return errorReply(protocol, definition, standardError(protocol, "UnknownOperation", detail));
    }

    const decision = faults.decide({
      accountId: principal.accountId,
      service: definition.name,
      operation,
      region: scope.region,
    });
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    switch (decision.fail) {
      case undefined:
        break;
      case "Http500NonAws":
        return { status: 500, contentType: "text/html", body: HTML_500 };
      case "AccessDenied":
        return errorReply(
          protocol,
          definition,
          accessDenied(protocol, principal.arn, `${definition.name}:${operation}`),
        );
      case "Throttling":
        return errorReply(protocol, definition, throttlingError(protocol, definition.name));
      case "LimitExceeded":
        return errorReply(protocol, definition, limitExceeded());
      case "InternalError":
        return errorReply(protocol, definition, internalError(protocol, definition.name));
    }

    const ctx: RequestContext = {
      service: definition.name,
      operation,
      region: scope.region,
      input,
      principal,
      account,
      scenario,
      runtime: runtimeOf(account.id),
      now,
      host: header(req, "host"),
      issueSession: (session) => credentials.issue(session, now()),
      findAccount,
    };
    let output: unknown;
    try {
      output = await handler(ctx);
    } catch (error) {
      if (!(error instanceof AwsError)) throw error;
      return errorReply(protocol, definition, error);
    }
    const requestId = randomUUID();
    if (protocol === "json")
      return { status: 200, contentType: JSON_CONTENT_TYPE, body: renderJsonResponse(output), requestId };
    const xmlns = definition.xmlns ?? "";
    const xml =
      protocol === "ec2"
        ? renderEc2Response(operation, xmlns, output, requestId)
        : renderQueryResponse(operation, xmlns, output, requestId);
    return { status: 200, contentType: "text/xml", body: xml, requestId };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const time = now().toISOString();
    const routed: Routed = { operation: "", region: "", accountId: null };
    let reply: Reply;
    try {
      reply = await answer(req, await readBody(req), routed);
    } catch (error) {
      const protocol = routed.definition?.protocol ?? "query";
      reply = errorReply(
        protocol,
        routed.definition,
        standardError(protocol, "InternalError", `emulator failure: ${(error as Error).message}`),
      );
    }
    callLog.push({
      time,
      service: routed.definition?.name ?? "unknown",
      operation: routed.operation,
      accountId: routed.accountId,
      region: routed.region,
      status: reply.status,
      ...(reply.errorCode ? { errorCode: reply.errorCode } : {}),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    });
    res.writeHead(reply.status, {
      "Content-Type": reply.contentType,
      "Content-Length": Buffer.byteLength(reply.body),
      ...(reply.requestId ? { "x-amzn-RequestId": reply.requestId } : {}),
    });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    endpoint: `http://${host}:${address.port}`,
    scenario,
    callLog,
    clearCallLog: () => {
      callLog.length = 0;
    },
    credentialsFor(accountId) {
      const account = findAccount(accountId);
      if (!account) throw new Error(`the scenario has no account ${accountId}`);
      return credentials.credentialsFor(account);
    },
    addFault: (accountId, fault) => faults.add(accountId, fault),
    clearFaults: () => faults.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
  requestId?: string;
  errorCode?: string;
}

function errorReply(
  protocol: ServiceDefinition["protocol"],
  definition: ServiceDefinition | undefined,
  error: AwsError,
): Reply {
  const requestId = randomUUID();
  const base = { status: error.status, requestId, errorCode: error.code };
  if (protocol === "json") return { ...base, contentType: JSON_CONTENT_TYPE, body: renderJsonError(error) };
  if (protocol === "ec2") return { ...base, contentType: "text/xml", body: renderEc2Error(error, requestId) };
  return { ...base, contentType: "text/xml", body: renderQueryError(error, definition?.xmlns, requestId) };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
