// The worker module's rules, against a fake WebSocket: no service, no network, in milliseconds.
//   node --test clients/js/test/
import { test } from "node:test";
import assert from "node:assert/strict";
import { TaskCenterWorker } from "../../../src/main/resources/META-INF/resources/js/taskcenter-worker.js";

/** Records what the worker sends; the test plays the service. */
class FakeSocket {
  static all = [];
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }
  send(text) { this.sent.push(JSON.parse(text)); }
  close(code = 1005, reason = "") { if (this.readyState < 2) { this.readyState = 3; this.onclose?.({ code, reason }); } }
  // the service's side
  open() { this.readyState = 1; this.onopen?.(); }
  receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }
  welcome() { this.receive({ type: "welcome", workerId: "1", capacity: 2, heartbeatTimeoutMs: 15000, taskTypes: [1] }); }
  task(taskId) { this.receive({ type: "task", taskId, taskType: 1, taskName: "T", attempt: 1, payload: {} }); }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code, reason: "" }); }
  reports() { return this.sent.filter((frame) => frame.type !== "hello" && frame.type !== "drain"); }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const until = async (check) => { for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5)); assert.ok(check()); };

function worker(options = {}) {
  FakeSocket.all = [];
  return new TaskCenterWorker({ url: "ws://test/push", workerId: "1", taskTypes: [1], capacity: 2,
    WebSocket: FakeSocket, initialBackoffMs: 1, maxBackoffMs: 2, ...options });
}

test("a result from a lost connection is not reported for the same task on the next one", async () => {
  const finish = [];
  const w = worker({ handler: () => new Promise((resolve) => finish.push(resolve)) });
  const discarded = [];
  w.on("discarded", (task) => discarded.push(task.taskId));
  w.start();
  await tick();
  const first = FakeSocket.all[0];
  first.open(); first.welcome(); first.task("order-1");
  await tick();
  first.drop();
  assert.deepEqual(discarded, ["order-1"]);
  await until(() => FakeSocket.all.length === 2);
  const second = FakeSocket.all[1];
  second.open(); second.welcome(); second.task("order-1");
  await tick();
  finish[0]("old result");      // the first run ends late
  await tick();
  assert.deepEqual(second.reports(), [], "the old run's result is not the new delivery's");
  finish[1]("new result");
  await until(() => second.reports().length === 1);
  assert.deepEqual(second.reports()[0], { type: "done", taskId: "order-1", result: "new result" });
  await w.stop({ drainMs: 50 });
});

test("a result JSON cannot hold is reported as the task's failure", async () => {
  const w = worker({ handler: () => ({ big: 1n }) });
  const settled = [];
  w.on("settled", (task, outcome) => settled.push(outcome.status));
  w.start();
  await tick();
  const socket = FakeSocket.all[0];
  socket.open(); socket.welcome(); socket.task("t");
  await until(() => socket.reports().length === 1);
  assert.equal(socket.reports()[0].type, "failed");
  assert.equal(socket.reports()[0].retry, false);
  assert.deepEqual(settled, ["failed"]);
});

test("stop drains, and resolves when the service closes first, without waiting out drainMs", async () => {
  const w = worker();               // no handler: tasks wait
  w.start();
  await tick();
  const socket = FakeSocket.all[0];
  socket.open(); socket.welcome(); socket.task("held");
  const started = Date.now();
  const stopped = w.stop({ drainMs: 10_000 });
  assert.equal(w.state, "draining");
  assert.deepEqual(socket.sent.at(-1), { type: "drain" });
  socket.drop(1001);
  await stopped;
  assert.ok(Date.now() - started < 1_000);
  assert.equal(w.state, "stopped");
  await new Promise((r) => setTimeout(r, 20)); // longer than any reconnect delay here (at most 2 ms)
  assert.equal(FakeSocket.all.length, 1, "no reconnect after stop");
});

test("stop waits for the service's answer to drain, so a task written before it is not lost", async () => {
  const w = worker({ handler: (task) => `ran ${task.taskId}` });
  w.start();
  await tick();
  const socket = FakeSocket.all[0];
  socket.open(); socket.welcome();
  const stopped = w.stop({ drainMs: 10_000 });
  await tick();
  assert.equal(socket.readyState, 1, "nothing held, but no answer yet: still open");
  socket.task("sent-before-drain-was-read"); // crossed the drain frame on the wire
  await until(() => socket.reports().length === 1);
  assert.deepEqual(socket.reports()[0], { type: "done", taskId: "sent-before-drain-was-read", result: "ran sent-before-drain-was-read" });
  socket.receive({ type: "draining", holding: 0 });
  await stopped;
  assert.equal(socket.readyState, 3);
});

test("start, stop and start again while a token is fetched opens one socket", async () => {
  const tokens = [];
  const w = worker({ token: () => new Promise((resolve) => tokens.push(resolve)) });
  w.start();
  await tick();
  await w.stop();
  w.start();
  await tick();
  tokens.forEach((give) => give("t"));
  await until(() => FakeSocket.all.length >= 1);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(FakeSocket.all.length, 1, "the first, stopped start must not connect");
  await w.stop();
});

test("a stop while the token is fetched stays stopped", async () => {
  let give;
  const w = worker({ token: () => new Promise((resolve) => { give = resolve; }) });
  w.start();
  await tick();
  await w.stop();
  give("a-token");
  await tick();
  assert.equal(FakeSocket.all.length, 0);
  assert.equal(w.state, "stopped");
});

test("a refusal is final; any other close reconnects, with the token as a subprotocol", async () => {
  const w = worker({ token: "t0k.en" });
  const states = [];
  w.on("state", (state) => states.push(state));
  w.start();
  await tick();
  FakeSocket.all[0].open();
  FakeSocket.all[0].drop(1006);
  await until(() => FakeSocket.all.length === 2);
  assert.deepEqual(FakeSocket.all[1].protocols,
    ["taskcenter.v1", "quarkus-http-upgrade#Authorization#Bearer%20t0k.en"]);
  FakeSocket.all[1].open();
  FakeSocket.all[1].drop(1008);
  await tick();
  assert.equal(w.state, "refused");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(FakeSocket.all.length, 2, "no third try after 1008");
  assert.ok(states.includes("reconnecting"));
});

test("a seed worker with a token names the seed protocol, so a server can agree to it", async () => {
  const w = worker({ protocol: "seed", taskTypes: undefined, token: "abc" });
  w.start();
  await tick();
  assert.deepEqual(FakeSocket.all[0].protocols, ["taskcenter.seed", "quarkus-http-upgrade#Authorization#Bearer%20abc"]);
  await w.stop();
});
