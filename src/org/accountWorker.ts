/**
 * A worker thread of an organization scan (see lanes.ts): runs the account jobs it is sent and
 * judges them with the checks, options and suppressions given as its workerData.
 */
import { setMaxListeners } from "node:events";
import { parentPort, workerData } from "node:worker_threads";
import { checks } from "../checks/index.js";
import { judgeSnapshot } from "../scan/report.js";
import type { AccountSnapshot } from "../snapshot/types.js";
import { runAccountJob } from "./accountJob.js";
import { errorData, type FromWorker, type JudgeSpec, type ToWorker } from "./lanes.js";

const port = parentPort;
if (!port) throw new Error("accountWorker.js runs as a worker thread of an organization scan");

// The main thread has already printed the AWS SDK's warning about the Node.js version.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.name !== "NodeVersionSupportWarning")
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const spec = workerData as JudgeSpec;
const byId = new Map(checks.map((check) => [check.id, check]));
const selected = spec.checkIds.map((id) => {
  const check = byId.get(id);
  if (!check) throw new Error(`no check ${id}`);
  return check;
});
const judge = (snapshot: AccountSnapshot) =>
  judgeSnapshot(snapshot, {
    checks: selected,
    options: spec.options,
    suppressions: spec.suppressions,
    evaluatedAt: new Date(),
  });

const running = new Map<number, AbortController>();
const send = (message: FromWorker) => port.postMessage(message);

port.on("message", async (message: ToWorker) => {
  if (message.type === "abort") {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  running.set(message.id, controller);
  try {
    send({
      type: "done",
      id: message.id,
      result: await runAccountJob(message.job, judge, controller.signal),
    });
  } catch (error) {
    send({ type: "failed", id: message.id, error: errorData(error) });
  } finally {
    running.delete(message.id);
  }
});
