// The dashboard: one live stream (/api/live, server-sent events read with fetch so a token can go in a header),
// redrawn in place on every view; the chart keeps a fixed five minutes, so a page left open holds steady memory.
import { api, askToken, authHeaders, el, age, ApiError, token } from "./common.js";

const HISTORY = 300;
const SERIES = [
  { key: "dispatched", label: "dispatched", color: "#2f6fde" },
  { key: "completed", label: "completed", color: "#1f9d55" },
  { key: "failed", label: "failed", color: "#d64545" },
  { key: "requeued", label: "requeued", color: "#c27c0e" },
  { key: "deadLettered", label: "dead-lettered", color: "#7a3fc7" },
];
const STALE_MS = 5000;
const FEED_ROWS = 40;

const $ = (id) => document.getElementById(id);
const chartData = [[], ...SERIES.map(() => [])];
let chart = null;
let previous = null;
let lastDeadTotal = null;
let lastDeadletteredCount = null;

// ---------------------------------------------------------------- live stream

let retryMs = 500;

/** A view arrived but could not be drawn. */
class ViewError extends Error {
  constructor(cause) {
    super(`could not draw a view: ${cause?.message ?? cause}`, { cause });
  }
}

async function stream() {
  const abort = new AbortController();
  let watchdog = setTimeout(() => abort.abort(), STALE_MS);
  try {
    const response = await fetch("/api/live", { headers: authHeaders({ Accept: "text/event-stream" }),
      signal: abort.signal, cache: "no-store" });
    if (response.status === 401 || response.status === 403) {
      clearTimeout(watchdog);
      setLive("bad", response.status === 401 ? "token needed" : "not allowed");
      await askToken(response.status === 401 ? "A valid token is needed to look." : "This token may not look.");
      return stream();
    }
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        const data = block.split(/\r?\n/).filter((line) => line.startsWith("data:"))
          .map((line) => line.slice(5).replace(/^ /, "")).join("\n");
        if (data) {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => abort.abort(), STALE_MS);
          try {
            render(JSON.parse(data));
          } catch (e) {
            throw new ViewError(e);
          }
          // Only a stream that delivered a view counts as working again.
          setLive("ok", "live");
          retryMs = 500;
        }
      }
    }
    throw new Error("the service ended the stream");
  } catch (e) {
    clearTimeout(watchdog);
    // Whatever failed (the network, the service, or drawing a view), this connection is done with: close it,
    // or a page that keeps failing would hold every connection the browser allows to this host.
    abort.abort();
    const delay = Math.round(retryMs / 2 + Math.random() * retryMs / 2);
    retryMs = Math.min(retryMs * 2, 15000);
    setLive("bad", `disconnected, reconnecting in ${Math.ceil(delay / 1000)} s`);
    if (e instanceof ViewError) {
      console.error("live view failed:", e.cause); // a bug of this page, not a lost connection
    } else {
      console.warn("live stream lost:", e?.message ?? e);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    setLive("warn", "reconnecting…");
    return stream();
  }
}

function setLive(kind, text) {
  const pill = $("live");
  pill.className = `pill ${kind}`;
  pill.textContent = text;
}

// ---------------------------------------------------------------- rendering

function render(view) {
  const now = Date.parse(view.at);
  const rates = {};
  const deadLettered = view.totals.deadLettered;
  const totals = { ...view.totals };
  if (previous) {
    const seconds = Math.max(0.001, (now - previous.at) / 1000);
    for (const { key } of SERIES) rates[key] = Math.max(0, (totals[key] - previous.totals[key]) / seconds);
    chartData[0].push(now / 1000);
    SERIES.forEach(({ key }, i) => chartData[i + 1].push(rates[key]));
    if (chartData[0].length > HISTORY) chartData.forEach((series) => series.shift());
    drawChart();
  }
  previous = { at: now, totals };
  renderTotals(view, rates);
  renderWorkers(view.workers, now);
  renderLatency(view.latency);
  renderBacklog(view);
  renderEvents(view.events);
  const deadQueue = view.backlog.queues.find((queue) => queue.role === "dead-letters");
  const deadReady = deadQueue ? deadQueue.ready : null;
  if (lastDeadTotal === null || deadLettered !== lastDeadletteredCount
      || (deadReady !== null && deadReady > lastDeadTotal)) {
    lastDeadletteredCount = deadLettered;
    loadDeadLetters();
  }
}

function renderTotals(view, rates) {
  const cards = [
    ["dispatched", "Dispatched", view.totals.dispatched],
    ["completed", "Completed", view.totals.completed],
    ["failed", "Failed", view.totals.failed],
    ["requeued", "Requeued", view.totals.requeued],
    ["deadLettered", "Dead-lettered", view.totals.deadLettered],
    [null, "In flight", view.inFlight],
    [null, "Waiting", view.waiting],
  ];
  $("totals").replaceChildren(...cards.map(([key, label, value]) => el("div", { class: "card", "data-total": key ?? label },
    el("div", { class: "label" }, label),
    el("div", { class: "value" }, value.toLocaleString()),
    el("div", { class: "rate" }, key && rates[key] !== undefined ? `${rates[key].toFixed(1)} /s` : "\u00a0"))));
}

function renderWorkers(workers, now) {
  $("workers-count").textContent = `${workers.length} online`;
  const rows = workers.map((worker) => {
    const share = worker.capacity ? Math.min(1, worker.inFlight / worker.capacity) : 0;
    return el("tr", { "data-worker": worker.id },
      el("td", { class: "mono" }, worker.id),
      el("td", {}, worker.protocol),
      el("td", {}, worker.taskTypes),
      el("td", {}, el("div", { class: "bar", title: `${worker.inFlight} of ${worker.capacity}` },
        el("span", { style: `width:${(share * 100).toFixed(0)}%` }),
        el("em", {}, `${worker.inFlight} / ${worker.capacity}`))),
      el("td", { class: "hide-narrow", title: worker.connectedSince }, age(worker.connectedSince, now)),
      el("td", { class: "hide-narrow mono" }, worker.remoteAddress));
  });
  $("workers").tBodies[0].replaceChildren(...(rows.length ? rows
    : [el("tr", {}, el("td", { colspan: 6, class: "empty" }, "No worker is connected. Open the worker page to connect some."))]));
}

function ms(value) {
  return value === null || value === undefined ? "–" : `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
}

function renderLatency(latency) {
  $("latency").tBodies[0].replaceChildren(
    ...[["handover", "receipt → worker", latency.handover], ["completion", "worker → done (v1)", latency.completion]]
      .map(([key, label, p]) => el("tr", { "data-latency": key }, el("td", {}, label),
        el("td", { class: "num" }, ms(p.p50)), el("td", { class: "num" }, ms(p.p99)),
        el("td", { class: "num" }, p.count.toLocaleString()))));
}

function renderBacklog(view) {
  const body = $("backlog").tBodies[0];
  if (view.backlog.error) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 3, class: "message bad" }, view.backlog.error)));
  } else if (view.backlog.queues.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 3, class: "empty" }, "asking RabbitMQ…")));
  } else {
    body.replaceChildren(...view.backlog.queues.map((queue) => el("tr", { "data-queue": queue.queue },
      el("td", { class: "mono" }, queue.queue), el("td", { class: "num" }, queue.ready.toLocaleString()),
      el("td", { class: "num" }, queue.consumers))));
  }
  $("held").textContent = `This replica holds ${view.inFlight + view.waiting} delivered, unacked tasks `
    + `(${view.inFlight} with workers, ${view.waiting} waiting for one).`;
}

function renderEvents(events) {
  const body = $("events").tBodies[0];
  for (const event of events) {
    body.prepend(el("tr", { class: `kind-${event.kind}` },
      el("td", {}, clock(Date.parse(event.at) / 1000)),
      el("td", {}, event.kind + (event.attempt > 1 ? ` (attempt ${event.attempt})` : "")),
      el("td", { class: "mono" }, event.taskId ?? ""),
      el("td", {}, event.taskType ?? ""),
      el("td", { class: "mono" }, event.workerId ?? "")));
  }
  while (body.rows.length > FEED_ROWS) body.deleteRow(-1);
}

function clock(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });
}

function drawChart() {
  const target = $("chart");
  const width = Math.max(280, target.clientWidth);
  if (!chart) {
    chart = new uPlot({
      width, height: 240,
      series: [{}, ...SERIES.map(({ label, color }) => ({ label, stroke: color, width: 2,
        value: (u, v) => (v === null || v === undefined ? "–" : v.toFixed(1)) }))],
      axes: [{ space: 90, values: (u, splits) => splits.map(clock) }, { label: "tasks/s", size: 60 }],
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      legend: { live: false },
    }, chartData, target);
    new ResizeObserver(() => chart.setSize({ width: Math.max(280, target.clientWidth), height: 240 })).observe(target);
  } else {
    chart.setData(chartData);
  }
}

// ---------------------------------------------------------------- dead letters

let deadLettersLoading = false;

async function loadDeadLetters() {
  // One look at a time: a look takes the messages off the queue for a moment, and looks finishing out of order
  // would show an old page.
  if (deadLettersLoading) return;
  deadLettersLoading = true;
  try {
    const page = await api("/api/dead-letters?limit=10");
    lastDeadTotal = page.total;
    $("dead-count").textContent = `${page.total} in the queue, oldest first`;
    const now = Date.now();
    const rows = page.items.map((item) => el("tr", { "data-dead-letter": item.messageId ?? "" },
      el("td", { class: "mono" }, item.messageId ?? "(none)"),
      el("td", {}, taskType(item.body)),
      el("td", {}, item.reason),
      el("td", { class: "hide-narrow mono" }, item.error ?? item.body.slice(0, 120)),
      el("td", { title: item.deadLetteredAt ?? "" }, item.deadLetteredAt ? age(item.deadLetteredAt, now) : "–")));
    $("dead-letters").tBodies[0].replaceChildren(...(rows.length ? rows
      : [el("tr", {}, el("td", { colspan: 5, class: "empty" }, "No dead letters."))]));
    $("replay-one").disabled = $("replay-all").disabled = page.total === 0;
  } catch (e) {
    show("dead-message", false, `Could not read the dead letters: ${e.message}`);
  } finally {
    deadLettersLoading = false;
  }
}

function taskType(body) {
  try {
    const task = JSON.parse(body);
    return task.TaskType ?? task.taskType ?? "–";
  } catch {
    return "–";
  }
}

async function replay(count) {
  try {
    const result = await api(count ? `/api/dead-letters/replay?count=${count}` : "/api/dead-letters/replay",
      { method: "POST" });
    show("dead-message", true, `Replayed ${result.replayed}; ${result.remaining} left.`);
  } catch (e) {
    show("dead-message", false, forbidden(e) ?? e.message);
  }
  await loadDeadLetters();
}

// ---------------------------------------------------------------- publishing

async function publish(event) {
  event.preventDefault();
  const form = event.target;
  const typeText = form.type.value.trim();
  const task = { TaskName: form.name.value, TaskType: /^-?\d+$/.test(typeText) ? Number(typeText) : typeText };
  if (form.payload.value.trim()) {
    let extra;
    try {
      extra = JSON.parse(form.payload.value);
    } catch (e) {
      return show("publish-message", false, `More fields: not valid JSON (${e.message})`);
    }
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) {
      return show("publish-message", false, "More fields: must be a JSON object");
    }
    Object.assign(task, extra);
  }
  const count = Math.min(100, Math.max(1, Number(form.count.value) || 1));
  const ids = [];
  show("publish-message", true, "Publishing…");
  try {
    for (let i = 0; i < count; i++) {
      ids.push((await api("/api/tasks", { method: "POST", body: JSON.stringify(task) })).taskId);
    }
    show("publish-message", true, count === 1 ? `Queued task ${ids[0]}` : `Queued ${count} tasks`);
  } catch (e) {
    const done = ids.length ? ` (${ids.length} queued before)` : "";
    show("publish-message", false, (forbidden(e) ?? e.message) + done);
  }
}

function forbidden(e) {
  if (e instanceof ApiError && e.status === 401) return "401: a valid token is needed (Token, top right)";
  if (e instanceof ApiError && e.status === 403) return "403: this needs a token with the admin role";
  return null;
}

function show(id, ok, text) {
  const target = $(id);
  target.className = `message ${ok ? "ok" : "bad"}`;
  target.textContent = text;
}

// ---------------------------------------------------------------- start

$("publish").addEventListener("submit", publish);
$("replay-one").addEventListener("click", () => replay(1));
$("replay-all").addEventListener("click", () => replay(null));
$("dead-refresh").addEventListener("click", loadDeadLetters);
// A new token applies to the stream too: start the page again with it.
$("token-button").addEventListener("click", async () => {
  const before = token();
  if ((await askToken(before ? "" : "No token set.")) !== before) location.reload();
});
stream();
