import { resolve } from "node:path";
import { loadScenario, ScenarioError } from "../../emulator/scenario.js";
import { createEmulator, type Emulator } from "../../emulator/server.js";
import { parseCommandArgs } from "../args.js";
import { EXIT, FailureError, UsageError } from "../errors.js";
import type { Command } from "../io.js";

const usage = `Usage: mfawatch emulator --scenario FILE [options]

Serves the AWS APIs mfawatch reads (IAM, STS, Organizations, Config, CloudTrail, Identity Center,
EC2 DescribeRegions) from a scenario file, for the AWS SDK and CLI, until Ctrl-C. Each account's
(fake) access key selects the account.

Options:
  --scenario FILE   the scenario (YAML) to serve
  --port N          port to listen on (default: a free port)
  --host H          address to listen on (default: 127.0.0.1)
`;

function port(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port takes a port number (0-65535), not "${value}".`);
  return n;
}

export const emulatorCommand: Command = {
  name: "emulator",
  summary: "Serve a scenario of AWS accounts over the AWS APIs, for tests and demos",
  usage,
  async run(args, io) {
    const { values } = parseCommandArgs("emulator", args, {
      scenario: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
    });
    if (!values.scenario) throw new UsageError("--scenario FILE is required.");
    let scenario: ReturnType<typeof loadScenario>;
    try {
      scenario = loadScenario(resolve(io.cwd, values.scenario));
    } catch (error) {
      if (error instanceof ScenarioError) throw new UsageError(error.message);
      throw error;
    }
    const listen = { port: port(values.port), host: values.host ?? "127.0.0.1" };
    let emulator: Emulator;
    try {
      emulator = await createEmulator({ scenario, ...listen });
    } catch (error) {
      throw new FailureError(`cannot listen: ${(error as Error).message}`);
    }

    const lines = [`mfawatch emulator: serving scenario "${scenario.name}" at ${emulator.endpoint}`, ""];
    for (const account of scenario.accounts) {
      const keys = emulator.credentialsFor(account.id);
      lines.push(
        `# ${account.id} (${account.name})`,
        `export AWS_ENDPOINT_URL=${emulator.endpoint}`,
        `export AWS_ACCESS_KEY_ID=${keys.accessKeyId}`,
        `export AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey}`,
        `export AWS_REGION=${account.regions[0] ?? "us-east-1"}`,
        "",
      );
    }
    lines.push("The credentials are the emulator's own fake keys. Press Ctrl-C to stop.");
    io.stdout.write(`${lines.join("\n")}\n`);

    await new Promise<void>((done) => {
      if (io.signal?.aborted) return done();
      io.signal?.addEventListener("abort", () => done(), { once: true });
    });
    await emulator.close();
    io.stderr.write("mfawatch emulator: stopped.\n");
    return EXIT.ok;
  },
};
