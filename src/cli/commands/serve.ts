import { openStore, resolveStoreUrl } from "../../store/open.js";
import { type Dashboard, startDashboard } from "../../web/server.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, FailureError, UsageError } from "../errors.js";
import type { Command } from "../io.js";

export const DEFAULT_PORT = 8080;

const usage = `Usage: mfawatch serve [options]

Serves the dashboard and its read-only JSON API from the store until Ctrl-C. It reads only the
store (what 'mfawatch scan --store' recorded), never AWS.

Options:
  --store URL   the store to read (default: sqlite:mfawatch.db in the working directory;
                a postgres:// URL for PostgreSQL)
  --port N      port to listen on (default: ${DEFAULT_PORT}; 0 picks a free port)
  --host H      address to listen on (default: 127.0.0.1, this machine only; the data shows
                every account's weaknesses, so think twice before binding a public address)
`;

function port(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a port number (0-65535), not "${value}".`);
  return n;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "Serve the dashboard and its JSON API from the store",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs("serve", args, {
      store: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    });
    const listen = { port: port(values.port), host: values.host ?? "127.0.0.1" };
    const store = await openStore(resolveStoreUrl(values.store ?? "sqlite:mfawatch.db", io.cwd));
    let dashboard: Dashboard;
    try {
      dashboard = await startDashboard({ store, ...listen, log: (line) => io.stderr.write(`${line}\n`) });
    } catch (error) {
      await store.close();
      throw new FailureError(`cannot listen on ${listen.host}:${listen.port}: ${(error as Error).message}`);
    }
    io.stdout.write(`mfawatch serve: the dashboard is at ${dashboard.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((done) => {
      if (io.signal?.aborted) return done();
      io.signal?.addEventListener("abort", () => done(), { once: true });
    });
    await dashboard.close();
    await store.close();
    io.stderr.write("mfawatch serve: stopped.\n");
    return EXIT.ok;
  },
};
