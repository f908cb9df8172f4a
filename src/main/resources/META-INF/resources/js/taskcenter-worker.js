/**
 * A Task Center worker for browsers and Node.js: one ES module, no dependencies.
 *
 *   import { TaskCenterWorker } from "./taskcenter-worker.js";
 *   const worker = new TaskCenterWorker({
 *     url: "ws://localhost:8080/push", workerId: "1", taskTypes: [1], capacity: 2,
 *     handler: async (task) => ({ resized: task.payload.TaskName }),   // resolve: done; throw: failed
 *   });
 *   worker.on("state", (state) => console.log(state));
 *   worker.start();
 *   ...
 *   await worker.stop();   // drain: no new tasks, finish what it holds, then close
 *
 * In Node.js 20 pass a WebSocket implementation: `WebSocket: (await import("ws")).WebSocket`.
 *
 * Protocol v1 (docs/protocol.md) sends hello, reports done, failed and progress, and drains on stop. The seed
 * protocol sends the worker id and receives task names; it has no reports, so done() and failed() only move
 * the task to the finished list there.
 *
 * Events (worker.on(name, listener)):
 *   state      (state)             "connecting", "online", "reconnecting", "draining", "stopped", "refused"
 *   welcome    (welcome)           v1's welcome frame
 *   task       (task)              a task arrived; task.taskId, taskType, taskName, attempt, deadline, payload
 *   settled    (task, outcome)     outcome: { status: "done", result } or { status: "failed", error, retry }
 *   discarded  (task)              the connection holding it closed first: the service gave it back to the
 *                                  queue, and this worker's result for it is not reported
 *   closed     ({code, reason})    every close, with the code and reason the service gave
 *   error      (frame)             an error frame from the service (the connection stays open)
 *   draining   (frame)             v1: the service's answer to drain; no task follows it
 *   retry      (delayMs)           the next connection attempt is in delayMs
 */

export const V1_SUBPROTOCOL = "taskcenter.v1";
/** Names the seed protocol; a browser needs it to carry a token, which rides on a second subprotocol. */
export const SEED_SUBPROTOCOL = "taskcenter.seed";

/**
 * Close codes after which connecting again cannot succeed: an invalid hello, an id the service refuses, or a
 * token for another id. (A missing or invalid token is refused before the upgrade, which a WebSocket only sees as
 * 1006; that is retried, since a token function may give a valid one next time.)
 */
const REFUSALS = new Set([1007, 1008]);
/** The reason the service gives when a newer connection with the same id took over. */
const REPLACED = "A new client with same id was connected!";

export class TaskCenterWorker {
  #options;
  #socket = null;
  #listeners = new Map();
  #state = "stopped";
  /** taskId → { task, socket }: the socket it came on, so a report never goes out on a newer connection. */
  #held = new Map();
  #welcome = null;
  #failures = 0;
  #retryTimer = null;
  /** Whether the worker should be connected: start() sets it, stop() clears it. */
  #wanted = false;
  /** Counts start() and stop() calls: a connect that awaited a token goes on only if none came meanwhile. */
  #generation = 0;
  /** v1: the service answered drain, so no task frame can follow. */
  #drainAnswered = false;
  #stopping = null;
  #stopped = null;
  #endDrain = null;
  #seedSequence = 0;

  /**
   * @param {object} options
   * @param {string} options.url          ws(s)://HOST/push
   * @param {string} options.workerId
   * @param {"v1"|"seed"} [options.protocol="v1"]
   * @param {number[]} [options.taskTypes] v1: the types to take
   * @param {number} [options.capacity=1] v1: tasks held at once
   * @param {string|function():string|Promise<string>} [options.token] a JWT, or a function asked on every connect
   * @param {function(object, TaskCenterWorker):any} [options.handler] runs each task; without one, settle tasks
   *        yourself with done(), failed() and progress()
   * @param {function} [options.WebSocket] the WebSocket class (globalThis.WebSocket by default)
   * @param {number} [options.initialBackoffMs=500] first reconnect delay bound; doubles per failure
   * @param {number} [options.maxBackoffMs=30000] largest reconnect delay bound
   */
  constructor(options) {
    if (!options || !options.url || !options.workerId) {
      throw new TypeError("url and workerId are required");
    }
    const protocol = options.protocol ?? "v1";
    if (protocol !== "v1" && protocol !== "seed") {
      throw new TypeError(`protocol must be "v1" or "seed", not ${JSON.stringify(protocol)}`);
    }
    if (protocol === "v1" && !(Array.isArray(options.taskTypes) && options.taskTypes.length > 0)) {
      throw new TypeError("taskTypes must be a non-empty array of integers for protocol v1");
    }
    this.#options = {
      capacity: 1, initialBackoffMs: 500, maxBackoffMs: 30000, WebSocket: globalThis.WebSocket,
      ...options, protocol,
    };
    if (typeof this.#options.WebSocket !== "function") {
      throw new TypeError("no WebSocket class: pass options.WebSocket (in Node.js 20: the ws package)");
    }
  }

  get state() { return this.#state; }
  get workerId() { return this.#options.workerId; }
  get protocol() { return this.#options.protocol; }
  /** The welcome of the current connection (v1), or null. */
  get welcome() { return this.#welcome; }
  /** The tasks this worker holds now, oldest first. */
  get held() { return [...this.#held.values()].map((entry) => entry.task); }

  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return this;
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  start() {
    if (this.#wanted || this.#stopping) return;
    this.#wanted = true;
    this.#generation++;
    this.#failures = 0;
    this.#connect();
  }

  /**
   * Stops taking tasks and closes. v1: sends drain, waits up to drainMs for the held tasks to be settled (by the
   * handler, or by you), then closes; what is still held then goes back to the queue on the service's side.
   */
  stop({ drainMs = 20000 } = {}) {
    this.#wanted = false;
    this.#generation++;
    clearTimeout(this.#retryTimer);
    if (this.#stopping) return this.#stopping;
    const socket = this.#socket;
    if (!socket || socket.readyState !== 1) {
      // Not connected (or still connecting): nothing is held, so close at once.
      this.#socket = null;
      socket?.close(1000, "Worker stopped");
      this.#discardHeld();
      this.#setState("stopped");
      return Promise.resolve();
    }
    // Resolved by the close event, whoever closes first: this worker after the drain, or the service.
    this.#stopping = new Promise((resolve) => { this.#stopped = resolve; });
    this.#endDrain = () => {
      clearTimeout(timer);
      this.off("settled", check);
      this.off("draining", check);
    };
    const finish = () => {
      this.#endDrain();
      if (socket.readyState <= 1) socket.close(1000, "Worker stopped");
    };
    // v1 closes once the service has answered drain (a task written before it read drain comes before the
    // answer) and nothing is held. The seed protocol has no reports: what it holds is acked, so it just closes.
    this.#drainAnswered = false;
    const check = () => {
      if (this.protocol === "seed" || (this.#drainAnswered && this.#held.size === 0)) finish();
    };
    this.on("draining", check);
    const timer = setTimeout(finish, drainMs);
    this.on("settled", check);
    if (this.protocol === "v1") {
      this.#setState("draining");
      this.#send({ type: "drain" });
    }
    check();
    return this.#stopping;
  }

  /** v1: reports the task done with {@code result} (any JSON value; undefined for none). */
  done(taskId, result) {
    this.#settle(this.#held.get(taskId), { status: "done", result });
  }

  /** v1: reports the task failed; with {@code retry} the service gives it another attempt. */
  failed(taskId, error, retry = false) {
    this.#settle(this.#held.get(taskId), { status: "failed", error: String(error ?? "failed"), retry: !!retry });
  }

  /** v1: the task's deadline starts again. */
  progress(taskId) {
    if (this.protocol === "v1" && this.#held.has(taskId)) this.#send({ type: "progress", taskId });
  }

  async #connect() {
    const generation = this.#generation;
    this.#setState(this.#failures === 0 ? "connecting" : "reconnecting");
    let token;
    try {
      token = typeof this.#options.token === "function" ? await this.#options.token() : this.#options.token;
    } catch (e) {
      if (generation !== this.#generation) return;
      this.#emit("closed", { code: 0, reason: `token: ${e?.message ?? e}` });
      this.#scheduleReconnect();
      return;
    }
    // Stopped (and perhaps started again) while the token was fetched: that later call owns the connection.
    if (!this.#wanted || generation !== this.#generation) return;
    const protocols = [];
    if (this.protocol === "v1") protocols.push(V1_SUBPROTOCOL);
    if (token) {
      if (this.protocol === "seed") protocols.push(SEED_SUBPROTOCOL);
      // Browsers cannot set headers on a WebSocket: the service turns this subprotocol into the header.
      protocols.push("quarkus-http-upgrade#Authorization#Bearer%20" + encodeURIComponent(token));
    }
    let socket;
    try {
      socket = new this.#options.WebSocket(this.#options.url, protocols);
    } catch (e) {
      this.#emit("closed", { code: 0, reason: String(e?.message ?? e) });
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.protocol === "v1") {
        this.#send({ type: "hello", workerId: this.workerId, taskTypes: this.#options.taskTypes,
          capacity: this.#options.capacity });
      } else {
        socket.send(this.workerId);
        this.#failures = 0;
        this.#setState("online");
      }
    };
    socket.onmessage = (message) => {
      if (this.#socket === socket) this.#receive(String(message.data));
    };
    socket.onclose = (close) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#welcome = null;
      this.#discardHeld();
      const reason = { code: close.code, reason: close.reason };
      this.#emit("closed", reason);
      if (this.#stopping) {
        const stopped = this.#stopped;
        this.#endDrain();
        this.#stopping = null;
        this.#stopped = null;
        this.#endDrain = null;
        this.#setState("stopped");
        stopped();
      } else if (!this.#wanted) {
        this.#setState("stopped");
      } else if (REFUSALS.has(close.code) || close.reason === REPLACED) {
        this.#wanted = false;
        this.#setState("refused");
      } else {
        this.#scheduleReconnect();
      }
    };
    socket.onerror = () => { /* a close event follows with the code */ };
  }

  #receive(text) {
    if (this.protocol === "seed") {
      const task = { taskId: `seed-${++this.#seedSequence}`, taskName: text,
        taskType: text.startsWith("Special-") ? null : 1, attempt: 1, payload: text };
      this.#take(task);
      return;
    }
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.#emit("error", { type: "error", code: "bad-frame", message: "not JSON: " + text.slice(0, 100) });
      return;
    }
    switch (frame.type) {
      case "welcome":
        this.#welcome = frame;
        this.#failures = 0;
        this.#setState("online");
        this.#emit("welcome", frame);
        break;
      case "task":
        this.#take({ taskId: frame.taskId, taskType: frame.taskType, taskName: frame.taskName,
          attempt: frame.attempt, deadline: frame.deadline, payload: frame.payload });
        break;
      case "error":
        this.#emit("error", frame);
        break;
      case "draining":
        this.#drainAnswered = true;
        this.#emit("draining", frame);
        break;
      default:
        this.#emit("error", { type: "error", code: "unknown-type", message: `unknown frame ${frame.type}` });
    }
  }

  #take(task) {
    const entry = { task, socket: this.#socket };
    this.#held.set(task.taskId, entry);
    this.#emit("task", task);
    const handler = this.#options.handler;
    if (!handler) return;
    // The outcome belongs to this delivery: if the task comes again on a later connection, this run's result
    // must not be reported for that one.
    Promise.resolve()
      .then(() => handler(task, this))
      .then((result) => this.#settle(entry, { status: "done", result }),
        (error) => this.#settle(entry, { status: "failed", error: String(error?.message ?? error ?? "failed"),
          retry: error?.retry === true }));
  }

  /**
   * Reports and forgets a held task. Nothing happens for a delivery no longer held: it was settled already, or
   * its connection closed (the service has requeued it, and "discarded" said so). A connection that is closing
   * cannot take the report either; its close discards the task.
   */
  #settle(entry, outcome) {
    if (!entry || this.#held.get(entry.task.taskId) !== entry || entry.socket !== this.#socket) return;
    if (this.protocol === "v1") {
      if (!this.#socket || this.#socket.readyState !== 1) return;
      let frame;
      try {
        frame = JSON.stringify(outcome.status === "done"
          ? (outcome.result === undefined ? { type: "done", taskId: entry.task.taskId }
            : { type: "done", taskId: entry.task.taskId, result: outcome.result })
          : { type: "failed", taskId: entry.task.taskId, error: outcome.error, retry: outcome.retry });
      } catch (e) {
        // A result JSON cannot hold (a BigInt, a cycle) is this task's failure, not the worker's.
        outcome = { status: "failed", error: `result is not JSON: ${e.message}`, retry: false };
        frame = JSON.stringify({ type: "failed", taskId: entry.task.taskId, error: outcome.error, retry: false });
      }
      this.#socket.send(frame);
    }
    this.#held.delete(entry.task.taskId);
    this.#emit("settled", entry.task, outcome);
  }

  #discardHeld() {
    const lost = this.held;
    this.#held.clear();
    for (const task of lost) this.#emit("discarded", task);
  }

  #scheduleReconnect() {
    if (!this.#wanted) {
      this.#setState("stopped");
      return;
    }
    // Full jitter: anywhere between 0 and the doubled bound, so many workers do not reconnect in step.
    const bound = Math.min(this.#options.maxBackoffMs, this.#options.initialBackoffMs * 2 ** this.#failures);
    this.#failures = Math.min(this.#failures + 1, 30);
    const delay = Math.round(Math.random() * bound);
    this.#setState("reconnecting");
    this.#emit("retry", delay);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #send(frame) {
    if (this.#socket && this.#socket.readyState === 1) this.#socket.send(JSON.stringify(frame));
  }

  #setState(state) {
    if (this.#state === state) return;
    this.#state = state;
    this.#emit("state", state);
  }

  #emit(event, ...args) {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        listener(...args);
      } catch (e) {
        console.error(`taskcenter-worker: a "${event}" listener failed`, e);
      }
    }
  }
}
