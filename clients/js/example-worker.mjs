// A Task Center worker in Node.js: the same module the browser worker page uses, with the ws package as its
// WebSocket (Node.js 20 has none of its own).
//
//   npm ci --prefix clients/js
//   TASKCENTER_URL=ws://localhost:8080/push WORKER_ID=2 TASK_TYPES=2 node clients/js/example-worker.mjs
//
// Environment: TASKCENTER_URL, WORKER_ID, TASK_TYPES (comma-separated), CAPACITY, TASKCENTER_TOKEN (a worker JWT
// when authentication is on), STOP_AFTER (stop after this many tasks; for tests). Each task's payload is echoed
// back as its result, as a line on stdout: "done <taskId> <taskType>".
import { WebSocket } from "ws";
import { TaskCenterWorker } from "../../src/main/resources/META-INF/resources/js/taskcenter-worker.js";

const env = process.env;
const stopAfter = Number(env.STOP_AFTER ?? 0);
let handled = 0;

const worker = new TaskCenterWorker({
  url: env.TASKCENTER_URL ?? "ws://localhost:8080/push",
  workerId: env.WORKER_ID ?? "1",
  taskTypes: (env.TASK_TYPES ?? "1").split(",").map(Number),
  capacity: Number(env.CAPACITY ?? 2),
  token: env.TASKCENTER_TOKEN || undefined,
  WebSocket,
  handler: async (task) => ({ echoed: task.payload, by: "node" }),
});

worker.on("state", (state) => console.log(`state ${state}`));
worker.on("closed", ({ code, reason }) => console.log(`closed ${code} ${reason}`));
worker.on("error", (frame) => console.log(`error ${frame.code} ${frame.message}`));
worker.on("settled", async (task, outcome) => {
  console.log(`${outcome.status} ${task.taskId} ${task.taskType}`);
  if (stopAfter && ++handled >= stopAfter) {
    await worker.stop();
  }
});
worker.on("state", (state) => {
  if (state === "stopped" || state === "refused") process.exitCode = state === "refused" ? 2 : 0;
});

process.on("SIGTERM", () => worker.stop());
process.on("SIGINT", () => worker.stop());
worker.start();
