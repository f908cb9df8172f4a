// The worker page: browser workers built on the worker module, each drawn as a card that follows its events.
import { TaskCenterWorker } from "/js/taskcenter-worker.js";
import { el } from "./common.js";

const FINISHED_ROWS = 50;
const $ = (id) => document.getElementById(id);
const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/push`;
const cards = new Map();
let nextCard = 1;

function parseTypes(text) {
  const types = text.split(/[\s,]+/).filter(Boolean).map(Number);
  if (types.some((type) => !Number.isInteger(type))) throw new Error("task types must be integers, e.g. 1, 2");
  return types;
}

function connect({ workerId, protocol, taskTypes, capacity, mode, delay, token }) {
  const card = new WorkerCard(nextCard++, { workerId, protocol, mode, delay });
  const worker = new TaskCenterWorker({
    url, workerId, protocol, taskTypes, capacity, token: token || undefined,
    handler: mode === "auto" ? (task) => new Promise((resolve) => setTimeout(
      () => resolve({ handledBy: `browser worker ${workerId}`, at: new Date().toISOString() }), delay)) : undefined,
  });
  card.attach(worker);
  cards.set(card.number, card);
  $("workers").append(card.root);
  worker.start();
}

class WorkerCard {
  constructor(number, settings) {
    this.number = number;
    this.settings = settings;
    this.finished = 0;
    this.state = el("span", { class: "pill", "data-role": "state" }, "new");
    this.status = el("div", { class: "mono muted", "data-role": "status" }, "");
    this.holding = el("ul", { class: "tasks", "data-role": "holding" });
    this.done = el("ul", { class: "tasks", "data-role": "finished" });
    this.counts = el("span", { class: "hint", "data-role": "counts" }, "");
    this.root = el("section", { class: "worker", "data-worker": settings.workerId, "data-card": number },
      el("header", {}, el("h3", {}, `Worker ${settings.workerId}`), this.state,
        el("span", { class: "hint" }, `${settings.protocol}, ${settings.mode === "auto" ? `auto ${settings.delay} ms` : "manual"}`),
        el("button", { type: "button", class: "danger", style: "margin-left:auto", onclick: () => this.remove() }, "Disconnect")),
      this.status,
      el("h4", {}, "Holding ", this.counts), this.holding,
      el("h4", {}, "Finished"), this.done);
  }

  attach(worker) {
    this.worker = worker;
    worker.on("state", (state) => this.showState(state));
    worker.on("welcome", (welcome) => {
      this.status.textContent = `welcome: types ${JSON.stringify(welcome.taskTypes)}, capacity ${welcome.capacity}, `
        + `heartbeat ${welcome.heartbeatTimeoutMs} ms`;
    });
    worker.on("closed", ({ code, reason }) => {
      this.status.textContent = `closed ${code}${reason ? `: ${reason}` : ""}`;
    });
    worker.on("retry", (delay) => {
      this.status.textContent += ` · reconnecting in ${(delay / 1000).toFixed(1)} s`;
    });
    worker.on("error", (frame) => {
      this.status.textContent = `error frame ${frame.code}: ${frame.message}`;
    });
    worker.on("task", (task) => this.hold(task));
    worker.on("settled", (task, outcome) => this.finish(task, outcome.status + (outcome.retry ? " (retry)" : "")));
    worker.on("discarded", (task) => this.finish(task, "discarded: connection lost, the service requeued it"));
  }

  showState(state) {
    const kind = { online: "ok", connecting: "warn", reconnecting: "warn", draining: "warn", refused: "bad" }[state];
    this.state.className = `pill ${kind ?? ""}`;
    this.state.textContent = state;
    this.root.dataset.state = state;
  }

  hold(task) {
    const item = el("li", { "data-task": task.taskId, "data-type": task.taskType ?? "" },
      el("span", { class: "mono" }, `${task.taskId} · type ${task.taskType ?? "?"} · ${task.taskName}`
        + (task.attempt > 1 ? ` · attempt ${task.attempt}` : "")));
    if (this.settings.mode === "manual" && this.worker.protocol === "v1") {
      item.append(
        el("button", { type: "button", onclick: () => this.worker.done(task.taskId, { by: "button" }) }, "Done"),
        el("button", { type: "button", class: "secondary", onclick: () => this.worker.failed(task.taskId, "failed from the page", false) }, "Fail"),
        el("button", { type: "button", class: "secondary", onclick: () => this.worker.failed(task.taskId, "failed from the page", true) }, "Fail, retry"),
        el("button", { type: "button", class: "secondary", onclick: () => this.worker.progress(task.taskId) }, "Progress"));
    } else if (this.settings.mode === "manual") {
      item.append(el("button", { type: "button", onclick: () => this.worker.done(task.taskId) }, "Clear"));
    }
    this.holding.append(item);
    this.count();
  }

  finish(task, outcome) {
    this.holding.querySelector(`[data-task="${CSS.escape(task.taskId)}"]`)?.remove();
    this.finished++;
    this.done.prepend(el("li", { "data-task": task.taskId, "data-type": task.taskType ?? "", "data-outcome": outcome.split(" ")[0] },
      el("span", { class: "mono" }, `${task.taskId} · type ${task.taskType ?? "?"} · ${outcome}`)));
    while (this.done.children.length > FINISHED_ROWS) this.done.lastChild.remove();
    this.count();
  }

  count() {
    this.counts.textContent = `${this.holding.children.length} now, ${this.finished} finished`;
    this.root.dataset.finished = this.finished;
  }

  async remove() {
    await this.worker.stop({ drainMs: 5000 });
    this.root.remove();
    cards.delete(this.number);
  }
}

$("connect").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  try {
    connect({
      workerId: form.workerId.value.trim(), protocol: form.protocol.value,
      taskTypes: form.protocol.value === "v1" ? parseTypes(form.taskTypes.value) : undefined,
      capacity: Number(form.capacity.value) || 1, mode: form.mode.value, delay: Number(form.delay.value) || 0,
      token: form.token.value.trim(),
    });
    $("connect-message").textContent = "";
  } catch (e) {
    $("connect-message").className = "message bad";
    $("connect-message").textContent = e.message;
  }
});

// The seed's mapping: workers 1 and 3 take type 1, workers 2 and 4 every other type (here: type 2).
$("seed-four").addEventListener("click", () => {
  const form = $("connect");
  for (const [workerId, types] of [["1", [1]], ["2", [2]], ["3", [1]], ["4", [2]]]) {
    connect({ workerId, protocol: form.protocol.value, taskTypes: types, capacity: Number(form.capacity.value) || 1,
      mode: form.mode.value, delay: Number(form.delay.value) || 0, token: form.token.value.trim() });
  }
});

$("stop-all").addEventListener("click", () => [...cards.values()].forEach((card) => card.remove()));
