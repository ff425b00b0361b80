/** The dashboard's HTTP server: the page (ui/) and the JSON API, both read-only, from the store only. */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Store } from "../store/types.js";
import { ApiError, answerApi } from "./api.js";

const UI_DIR = new URL("./ui/", import.meta.url);

/** The page's files: the only paths served outside /api/. */
const ASSETS: Record<string, { file: string; type: string }> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
  "/favicon.ico": { file: "favicon.svg", type: "image/svg+xml" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
};

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export interface DashboardOptions {
  store: Store;
  /** Default 127.0.0.1: the dashboard is for this machine unless asked otherwise. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Where failures inside the server are reported (the client sees only "internal error"). */
  log?: (message: string) => void;
}

export interface Dashboard {
  /** The page's address, such as http://127.0.0.1:8080/. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * When bound to a loopback address, only requests naming a loopback host are answered: a web
 * page elsewhere cannot read the dashboard by pointing its own host name at 127.0.0.1.
 */
function hostAllowed(request: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK.has(boundHost)) return true;
  const host = request.headers.host;
  if (!host) return false;
  const name = host.startsWith("[") ? host.slice(1, host.indexOf("]")) : host.replace(/:\d+$/, "");
  return LOOPBACK.has(name);
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, head: boolean) {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": type,
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
  response.end(head ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, body: unknown, head: boolean) {
  send(response, status, "application/json; charset=utf-8", JSON.stringify(body), head);
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: DashboardOptions & { host: string },
) {
  const head = request.method === "HEAD";
  if (!hostAllowed(request, options.host)) {
    sendJson(response, 421, { error: "this dashboard answers only to localhost addresses" }, head);
    return;
  }
  const url = new URL(request.url ?? "/", "http://dashboard.invalid");
  try {
    if (url.pathname.startsWith("/api/")) {
      const body = await answerApi(options.store, request.method ?? "GET", url.pathname, url.searchParams);
      sendJson(response, 200, body, head);
      return;
    }
    const asset = ASSETS[url.pathname];
    if (!asset) throw new ApiError(404, `not found: ${url.pathname}`);
    if (request.method !== "GET" && !head) throw new ApiError(405, "the dashboard is read-only: use GET");
    send(response, 200, asset.type, await readFile(new URL(asset.file, UI_DIR)), head);
  } catch (error) {
    if (error instanceof ApiError) {
      if (error.status === 405) response.setHeader("Allow", "GET, HEAD");
      const body = error.parameter
        ? { error: error.message, parameter: error.parameter }
        : { error: error.message };
      sendJson(response, error.status, body, head);
      return;
    }
    options.log?.(`mfawatch serve: ${request.method} ${url.pathname} failed: ${(error as Error).message}`);
    sendJson(response, 500, { error: "internal error" }, head);
  }
}

/** Starts the dashboard; it serves until `close()`. */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    void handle(request, response, { ...options, host });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
