package io.taskcenter.client;

import java.lang.System.Logger.Level;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One WebSocket connection of a worker: says hello, takes task frames, sends the reports of the tasks it holds.
 * The tasks belong to the connection: once it has ended, the service has requeued them, and nothing about them
 * is sent on a later connection. Sends go out one after another, as {@link WebSocket} requires.
 */
final class Session implements WebSocket.Listener {

    private static final System.Logger LOG = TaskCenterWorker.LOG;

    private final TaskCenterWorker worker;
    /** How long the service may take to answer the hello. */
    private final Duration welcomeTimeout;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    /** Completes when the connection has ended, whichever way. */
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    /** Completes once the service said it sends no more tasks and every task held has been reported. */
    final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean drainAcknowledged;
    private volatile WebSocket socket;
    private volatile long lastHeard = System.nanoTime();
    private volatile Duration heartbeatTimeout;
    private volatile long welcomedAt;
    private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);

    /** A task held on this connection, and when to tell the service again that it is still being worked on. */
    private static final class Held {
        final Task task;
        final long windowNanos;
        long nextProgress;

        Held(Task task, long now) {
            this.task = task;
            // The service restarts the deadline on progress; half of it leaves room for a slow network.
            long untilDeadline = Duration.between(Instant.now(), task.deadline()).toNanos();
            this.windowNanos = Math.max(Duration.ofMillis(500).toNanos(), untilDeadline / 2);
            this.nextProgress = now + windowNanos;
        }
    }

    Session(TaskCenterWorker worker, Duration welcomeTimeout) {
        this.worker = worker;
        this.welcomeTimeout = welcomeTimeout;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (ended.isDone()) {
            // The worker gave up on this connection (closed) while it was being opened.
            webSocket.abort();
            return;
        }
        socket = webSocket;
        lastHeard = System.nanoTime();
        if (!Frames.SUBPROTOCOL.equals(webSocket.getSubprotocol())) {
            webSocket.abort();
            end(1002, "the service did not accept subprotocol " + Frames.SUBPROTOCOL + ": not a Task Center v1 endpoint");
            return;
        }
        send(worker.hello());
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastHeard = System.nanoTime();
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            receive(frame);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // The JDK answers with a pong by itself.
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastHeard = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode, reason == null || reason.isBlank() ? "connection lost" : reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(1006, "connection lost: " + error);
    }

    private void receive(String text) {
        JsonNode frame;
        try {
            frame = Frames.JSON.readTree(text);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Frame from the service is not JSON, ignored: {0}", text);
            return;
        }
        switch (frame.path("type").asText()) {
            case "welcome" -> {
                heartbeatTimeout = Duration.ofMillis(frame.path("heartbeatTimeoutMs").asLong(15_000));
                welcomedAt = System.nanoTime();
                List<Integer> types = new ArrayList<>();
                frame.path("taskTypes").forEach(type -> types.add(type.asInt()));
                worker.welcomed(this, new Welcome(frame.path("workerId").asText(), frame.path("capacity").asInt(),
                        List.copyOf(types), heartbeatTimeout));
            }
            case "task" -> {
                Task task = new Task(frame.path("taskId").asText(), frame.path("taskType").asInt(),
                        frame.path("taskName").asText(), frame.path("attempt").asInt(1), deadline(frame),
                        frame.path("payload"), this);
                synchronized (this) {
                    held.put(task.taskId(), new Held(task, System.nanoTime()));
                }
                worker.run(this, task);
            }
            case "draining" -> {
                synchronized (this) {
                    drainAcknowledged = true;
                }
                completeDrainIfIdle();
            }
            case "error" -> {
                String code = frame.path("code").asText();
                worker.errorFrame(code, frame.path("message").asText(), frame.path("taskId").asText(null));
                if ("unknown-type".equals(code) && frame.path("message").asText().contains("'drain'")) {
                    // A service without drain: nothing tells us when the last task has come; stop waiting for it.
                    synchronized (this) {
                        drainAcknowledged = true;
                    }
                    completeDrainIfIdle();
                }
            }
            default -> LOG.log(Level.DEBUG, "Frame of a type this library does not know, ignored: {0}", text);
        }
    }

    private static Instant deadline(JsonNode frame) {
        try {
            return Instant.parse(frame.path("deadline").asText());
        } catch (RuntimeException e) {
            return Instant.now().plus(Duration.ofMinutes(5));
        }
    }

    /**
     * Sends the outcome of {@code task} if this connection still holds it.
     *
     * @return false if the connection has ended: the outcome is to be discarded
     */
    boolean report(Task task, String frame) {
        synchronized (this) {
            if (ended.isDone() || held.remove(task.taskId()) == null) {
                return false;
            }
            // Under the lock: a progress for this task cannot be sent after its report.
            send(frame);
        }
        completeDrainIfIdle();
        return true;
    }

    synchronized boolean progress(Task task) {
        Held entry = ended.isDone() ? null : held.get(task.taskId());
        if (entry == null) {
            return false;
        }
        entry.nextProgress = System.nanoTime() + entry.windowNanos;
        send(Frames.progress(task.taskId()));
        return true;
    }

    /** Sends {@code progress} for every task whose deadline comes closer than half its length. */
    synchronized void keepTasksAlive(long now) {
        for (Held entry : held.values()) {
            if (now - entry.nextProgress >= 0) {
                entry.nextProgress = now + entry.windowNanos;
                send(Frames.progress(entry.task.taskId()));
            }
        }
    }

    /**
     * Gives up on a connection that has been silent for longer than the service's heartbeat timeout, or that got
     * no answer to its hello within the connect timeout.
     */
    void checkHeartbeat(long now) {
        Duration heartbeat = heartbeatTimeout;
        Duration timeout = heartbeat != null ? heartbeat : welcomeTimeout;
        if (socket != null && !ended.isDone() && Duration.ofNanos(now - lastHeard).compareTo(timeout) > 0) {
            abort(heartbeat != null
                    ? "no frame or ping from the service for " + timeout.toMillis() + " ms"
                    : "no answer to the hello within " + timeout.toMillis() + " ms");
        }
    }

    /** Whether it was welcomed at least {@code time} before now: a connection that worked. */
    boolean livedLongerThan(Duration time) {
        long since = welcomedAt;
        return since != 0 && System.nanoTime() - since >= time.toNanos();
    }

    void drain() {
        send(Frames.drain());
    }

    /** Fails every task still held (a retry for each), then closes the connection. */
    CompletableFuture<Void> giveUpAndClose(String why) {
        List<Task> left;
        synchronized (this) {
            left = held.values().stream().map(entry -> entry.task).toList();
            held.clear();
        }
        left.forEach(task -> send(Frames.failed(task.taskId(), why, true)));
        if (!ended.isDone()) {
            enqueue(open -> open.sendClose(WebSocket.NORMAL_CLOSURE, "worker closed"), "close");
        }
        return ended;
    }

    synchronized int holding() {
        return held.size();
    }

    boolean welcomed() {
        return heartbeatTimeout != null;
    }

    void abort(String why) {
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
        end(1006, why);
    }

    private void completeDrainIfIdle() {
        synchronized (this) {
            if (!drainAcknowledged || !held.isEmpty()) {
                return;
            }
        }
        drained.complete(null);
    }

    private void send(String frame) {
        enqueue(open -> open.sendText(frame, true), frame);
    }

    /** Sends after every earlier send has completed, whether it went out or not: one at a time, as the JDK needs. */
    private void enqueue(Function<WebSocket, CompletableFuture<WebSocket>> sending, String what) {
        WebSocket open = socket;
        if (open == null) {
            return;
        }
        synchronized (this) {
            sends = sends.handle((sent, failure) -> null)
                    .thenCompose(ready -> sending.apply(open))
                    .whenComplete((sent, failure) -> {
                        if (failure != null) {
                            LOG.log(Level.WARNING, "Frame not sent ({0}): {1}", failure, what);
                        }
                    });
        }
    }

    private void end(int code, String reason) {
        if (ended.complete(null)) {
            worker.sessionEnded(this, code, reason);
        }
    }
}
