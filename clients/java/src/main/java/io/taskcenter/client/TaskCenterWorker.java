package io.taskcenter.client;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Task Center worker speaking protocol v1 (docs/protocol.md): connects to {@code /push}, says hello, runs each
 * task it is given through the {@link TaskHandler} on an executor, reports {@code done} or {@code failed}, and
 * reconnects when the connection is lost.
 *
 * <pre>{@code
 * TaskCenterWorker worker = TaskCenterWorker.builder(URI.create("ws://localhost:8080/push"))
 *         .workerId("2").taskTypes(2, 7).capacity(4)
 *         .handler(task -> invoice(task.payload()))
 *         .build();
 * worker.start();
 * ...
 * worker.close(Duration.ofSeconds(20));
 * }</pre>
 *
 * <ul>
 * <li><b>Reconnects</b> after every close but a refusal a retry cannot change (1007, 1008) or a replacement by
 * another connection with the same id (1000): exponential backoff with full jitter, 0.5 s doubling up to 30 s by
 * default. The token supplier is asked again for each connection.</li>
 * <li><b>Notices a dead connection</b>: nothing heard, not even a ping, for the service's heartbeat timeout.</li>
 * <li><b>Never reports on a later connection</b> what it held on a lost one: the service has requeued those
 * tasks already. Their outcomes go to {@link WorkerListener#discarded}.</li>
 * <li><b>Keeps long tasks</b>: sends {@code progress} for each task still running halfway to its deadline,
 * unless {@link Builder#autoProgress(boolean)} turns it off.</li>
 * <li><b>Closes without losing work</b>: {@link #close(Duration)} asks the service for no more tasks, waits for
 * those it holds, reports the ones still running as failed (retried elsewhere) when the time is up.</li>
 * </ul>
 * Thread-safe. Logs to System.Logger {@code io.taskcenter.client}.
 */
public final class TaskCenterWorker implements AutoCloseable {

    static final System.Logger LOG = System.getLogger("io.taskcenter.client");

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** How often heartbeats and deadlines are looked at: a small part of the shortest timeout that makes sense. */
    private static final long WATCH_MILLIS = 250;
    /** How long the close handshake may take before the connection is cut. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** A connection that lived this long was a good one: the next loss starts the backoff from the beginning. */
    private static final Duration STABLE = Duration.ofSeconds(10);

    private final URI endpoint;
    private final String workerId;
    private final List<Integer> taskTypes;
    private final int capacity;
    private final Supplier<String> token;
    private final TaskHandler handler;
    private final WorkerListener listener;
    private final Predicate<Throwable> retryWhen;
    private final boolean autoProgress;
    private final Duration connectTimeout;
    private final Duration drainTimeout;
    private final Backoff backoff;
    private final ExecutorService handlers;
    private final boolean ownsHandlers;
    private final ScheduledExecutorService timer;
    private final HttpClient http;

    /** Listener calls, one at a time and in order, on a thread of their own: never under {@link #lock}. */
    private final ExecutorService events;
    /** Marks the handler threads, so that {@link #close} called from a handler is refused instead of waiting on itself. */
    private static final ThreadLocal<TaskCenterWorker> HANDLING = new ThreadLocal<>();
    private final Object lock = new Object();
    private WorkerState state = WorkerState.NEW;
    private Session session;
    private ScheduledFuture<?> reconnect;
    private final CompletableFuture<WorkerState> finished = new CompletableFuture<>();

    private TaskCenterWorker(Builder builder) {
        this.endpoint = builder.endpoint;
        this.workerId = Objects.requireNonNull(builder.workerId, "workerId");
        this.taskTypes = List.copyOf(builder.taskTypes);
        this.capacity = builder.capacity;
        this.token = builder.token;
        this.handler = Objects.requireNonNull(builder.handler, "handler");
        this.listener = builder.listener;
        this.retryWhen = builder.retryWhen;
        this.autoProgress = builder.autoProgress;
        this.connectTimeout = builder.connectTimeout;
        this.drainTimeout = builder.drainTimeout;
        this.backoff = new Backoff(builder.initialBackoff, builder.maxBackoff,
                () -> ThreadLocalRandom.current().nextDouble());
        String name = "task-center-worker-" + workerId + "-" + INSTANCES.incrementAndGet();
        this.ownsHandlers = builder.executor == null;
        this.handlers = ownsHandlers ? Executors.newFixedThreadPool(capacity, daemon(name + "-handler")) : builder.executor;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon(name + "-timer"));
        this.events = Executors.newSingleThreadExecutor(daemon(name + "-events"));
        this.http = builder.httpClient != null ? builder.httpClient
                : HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /** Connects, and keeps connecting, until {@link #close} or a refusal. Returns at once. */
    public void start() {
        synchronized (lock) {
            if (state != WorkerState.NEW) {
                throw new IllegalStateException("worker " + workerId + " cannot start: it is " + state);
            }
            move(WorkerState.CONNECTING);
        }
        timer.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
        // The token supplier may block: not on the caller's thread.
        timer.execute(this::connect);
    }

    public WorkerState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Completes with {@link WorkerState#CLOSED} or {@link WorkerState#STOPPED} when the worker is done for good. */
    public CompletableFuture<WorkerState> finished() {
        return finished;
    }

    /** How many tasks the current connection holds. */
    public int holding() {
        Session current = current();
        return current == null ? 0 : current.holding();
    }

    /** {@link #close(Duration)} with the builder's drain timeout (20 s by default). */
    @Override
    public void close() {
        close(drainTimeout);
    }

    /**
     * Stops taking tasks and finishes the ones held: asks the service for no more, waits up to {@code timeout} for
     * the handlers, reports those still running as failed with {@code retry} (another worker takes them), and
     * closes the connection. Blocks until then.
     */
    public void close(Duration timeout) {
        if (HANDLING.get() == this) {
            throw new IllegalStateException("close() called from a task handler would wait for that handler itself;"
                    + " call it from another thread");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Session current;
        synchronized (lock) {
            if (state == WorkerState.STOPPED || state == WorkerState.CLOSED) {
                return;
            }
            if (state == WorkerState.DRAINING) {
                // Another close is under way: wait for it, so that neither caller returns mid-drain.
                await(finished, deadline);
                return;
            }
            move(WorkerState.DRAINING);
            if (reconnect != null) {
                reconnect.cancel(false);
            }
            current = session;
        }
        if (current != null && current.welcomed()) {
            current.drain();
            await(CompletableFuture.anyOf(current.drained, current.ended), deadline);
            // The close handshake gets a grace of its own, even when the drain used up the timeout.
            await(current.giveUpAndClose("the worker closed before the task finished"),
                    System.nanoTime() + CLOSE_GRACE.toNanos());
        }
        if (current != null) {
            current.abort("worker closed");
        }
        if (ownsHandlers) {
            handlers.shutdown();
            try {
                if (!handlers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    handlers.shutdownNow();
                }
            } catch (InterruptedException e) {
                handlers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        timer.shutdownNow();
        synchronized (lock) {
            move(WorkerState.CLOSED);
        }
        finish(WorkerState.CLOSED);
    }

    /** Completes {@link #finished} after every listener call before it, and lets the events thread end. */
    private void finish(WorkerState last) {
        try {
            events.execute(() -> finished.complete(last));
        } catch (RejectedExecutionException closed) {
            finished.complete(last);
        }
        events.shutdown();
    }

    private static void await(CompletableFuture<?> future, long deadline) {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Time is up, or the connection failed: go on closing.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connect() {
        Session next = new Session(this, connectTimeout);
        synchronized (lock) {
            if (state == WorkerState.DRAINING || state == WorkerState.CLOSED || state == WorkerState.STOPPED) {
                return;
            }
            move(WorkerState.CONNECTING);
            session = next;
        }
        try {
            WebSocket.Builder upgrade = http.newWebSocketBuilder().subprotocols(Frames.SUBPROTOCOL)
                    .connectTimeout(connectTimeout);
            String bearer = token == null ? null : token.get();
            if (bearer != null && !bearer.isBlank()) {
                upgrade.header("Authorization", "Bearer " + bearer);
            }
            upgrade.buildAsync(endpoint, next).whenComplete((socket, failure) -> {
                if (failure != null) {
                    connectFailed(next, failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                }
            });
        } catch (RuntimeException e) {
            // A token supplier that threw, or a bad endpoint.
            connectFailed(next, e);
        }
    }

    private void connectFailed(Session failed, Throwable cause) {
        LOG.log(Level.WARNING, "Worker {0} could not connect to {1}: {2}", workerId, endpoint, cause.toString());
        notify(() -> listener.connectFailed(cause));
        synchronized (lock) {
            if (session != failed) {
                return;
            }
            session = null;
            scheduleReconnect();
        }
    }

    void sessionEnded(Session ended, int code, String reason) {
        boolean closing;
        boolean stop;
        synchronized (lock) {
            if (session != ended) {
                return;
            }
            session = null;
            closing = state == WorkerState.DRAINING || state == WorkerState.CLOSED;
            stop = !closing && refusedForGood(code, reason);
            if (ended.livedLongerThan(STABLE)) {
                backoff.reset();
            }
            if (stop) {
                move(WorkerState.STOPPED);
            } else if (!closing) {
                scheduleReconnect();
            }
        }
        String closeCode = String.valueOf(code);
        if (closing) {
            LOG.log(Level.INFO, "Worker {0}: connection closed ({1} {2})", workerId, closeCode, reason);
        } else {
            LOG.log(stop ? Level.ERROR : Level.WARNING, "Worker {0}: connection closed with {1} {2}; {3}", workerId,
                    closeCode, reason, stop ? "not reconnecting: a retry cannot change this" : "reconnecting");
        }
        notify(() -> listener.closed(code, reason));
        if (stop) {
            shutDownAfterStop();
        }
    }

    /**
     * A close a retry cannot change: the hello was refused (1007, 1008, but for a hello that came too late), another
     * connection with this id replaced this one (1000), or the endpoint does not speak protocol v1 (1002).
     */
    private static boolean refusedForGood(int code, String reason) {
        if (code == 1008) {
            return reason == null || !reason.startsWith("No worker id received within");
        }
        return code == 1007 || code == 1000 || code == 1002;
    }

    private void shutDownAfterStop() {
        timer.shutdownNow();
        if (ownsHandlers) {
            handlers.shutdown();
        }
        finish(WorkerState.STOPPED);
    }

    /** Under {@link #lock}. */
    private void scheduleReconnect() {
        if (state == WorkerState.DRAINING || state == WorkerState.CLOSED || state == WorkerState.STOPPED) {
            return;
        }
        move(WorkerState.WAITING_TO_RECONNECT);
        Duration wait = backoff.next();
        try {
            reconnect = timer.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    void welcomed(Session welcomed, Welcome welcome) {
        synchronized (lock) {
            if (session != welcomed || state != WorkerState.CONNECTING) {
                return;
            }
            move(WorkerState.ONLINE);
        }
        LOG.log(Level.INFO, "Worker {0} online at {1}: task types {2}, capacity {3}", welcome.workerId(), endpoint,
                welcome.taskTypes(), welcome.capacity());
        notify(() -> listener.welcomed(welcome));
    }

    void errorFrame(String code, String message, String taskId) {
        LOG.log(Level.WARNING, "Worker {0}: the service answered {1}: {2}{3}", workerId, code, message,
                taskId == null ? "" : " (task " + taskId + ")");
        notify(() -> listener.errorFrame(code, message, taskId));
    }

    String hello() {
        return Frames.hello(workerId, taskTypes, capacity);
    }

    /** Runs {@code task} on the executor and reports its outcome on the connection it came on. */
    void run(Session from, Task task) {
        try {
            handlers.execute(() -> {
                HANDLING.set(this);
                try {
                    handle(from, task);
                } finally {
                    HANDLING.remove();
                }
            });
        } catch (RejectedExecutionException rejected) {
            // A full executor of the caller's, or one shut down by close(): another worker takes the task.
            from.report(task, Frames.failed(task.taskId(), "the worker could not run the task now: " + rejected, true));
        }
    }

    private void handle(Session from, Task task) {
        Object outcome;
        String frame;
        try {
            Object result = handler.handle(task);
            outcome = result;
            frame = done(task, result);
        } catch (Throwable failure) {
            outcome = failure;
            boolean retry = failure instanceof TaskFailure known ? known.retry() : retryWhen.test(failure);
            frame = Frames.failed(task.taskId(), describe(failure), retry);
            LOG.log(Level.DEBUG, "Worker {0}: {1} failed: {2}", workerId, task, failure);
        }
        if (!from.report(task, frame)) {
            LOG.log(Level.WARNING, "Worker {0}: outcome of {1} discarded: its connection is gone and the"
                    + " service has requeued it", workerId, task);
            Object discarded = outcome;
            notify(() -> listener.discarded(task, discarded));
        }
    }

    /** {@code done}, or a failure that no retry fixes when the result cannot be sent. */
    private static String done(Task task, Object result) {
        String frame;
        try {
            frame = Frames.done(task.taskId(), result);
        } catch (IllegalArgumentException notJson) {
            return Frames.failed(task.taskId(), "the result is not JSON-serialisable: " + notJson.getMessage(), false);
        }
        return frame != null ? frame
                : Frames.failed(task.taskId(), "the result is over the 64 KiB frame limit", false);
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure instanceof TaskFailure || message != null && !message.isBlank()
                ? (failure instanceof TaskFailure ? "" : failure.getClass().getSimpleName() + ": ") + message
                : failure.getClass().getName();
    }

    private void watch() {
        try {
            Session current = current();
            if (current == null) {
                return;
            }
            long now = System.nanoTime();
            current.checkHeartbeat(now);
            if (autoProgress) {
                current.keepTasksAlive(now);
            }
        } catch (Throwable e) {
            // A throw would cancel the periodic job, and with it heartbeats and progress for good.
            LOG.log(Level.WARNING, "Worker " + workerId + ": watch failed", e);
        }
    }

    private Session current() {
        synchronized (lock) {
            return session;
        }
    }

    /** Under {@link #lock}. */
    private void move(WorkerState next) {
        WorkerState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        notify(() -> listener.stateChanged(previous, next));
    }

    /** Hands a listener call to the events thread: in order, never under the lock, and a throw is only logged. */
    private void notify(Runnable call) {
        try {
            events.execute(() -> {
                try {
                    call.run();
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "Worker " + workerId + ": listener failed", e);
                }
            });
        } catch (RejectedExecutionException closed) {
            // Closed: nobody is listening any more.
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Settings of a worker; only the id, the task types and the handler are required. */
    public static final class Builder {

        private final URI endpoint;
        private String workerId;
        private List<Integer> taskTypes = List.of();
        private int capacity = 1;
        private Supplier<String> token;
        private TaskHandler handler;
        private WorkerListener listener = new WorkerListener() {
        };
        private Predicate<Throwable> retryWhen = failure -> true;
        private boolean autoProgress = true;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofSeconds(20);
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private ExecutorService executor;
        private HttpClient httpClient;

        private Builder(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** The id the service knows this worker by ({@code taskcenter.workers}). */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder taskTypes(int... taskTypes) {
            this.taskTypes = Arrays.stream(taskTypes).boxed().toList();
            return this;
        }

        /** How many tasks it holds at once; also the size of the handler executor it makes. 1 by default. */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** A bearer token for the upgrade, asked for again on each connection; null or blank sends none. */
        public Builder token(Supplier<String> token) {
            this.token = token;
            return this;
        }

        public Builder handler(TaskHandler handler) {
            this.handler = handler;
            return this;
        }

        public Builder listener(WorkerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Which exceptions (other than {@link TaskFailure}) ask for another attempt; all of them by default. */
        public Builder retryWhen(Predicate<Throwable> retryWhen) {
            this.retryWhen = Objects.requireNonNull(retryWhen, "retryWhen");
            return this;
        }

        /** Whether to send {@code progress} for tasks still running halfway to their deadline; on by default. */
        public Builder autoProgress(boolean autoProgress) {
            this.autoProgress = autoProgress;
            return this;
        }

        /** Waits between reconnects: full jitter up to {@code initial} · 2ⁿ, at most {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            new Backoff(initial, max, () -> 0);
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** How long {@link TaskCenterWorker#close()} waits for held tasks; 20 s, the service's drain timeout. */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /**
         * Runs handlers on {@code executor} (which the caller shuts down) instead of a pool of {@code capacity}
         * threads of the worker's own.
         */
        public Builder executor(ExecutorService executor) {
            this.executor = executor;
            return this;
        }

        /** Shares an {@link HttpClient} between many workers in one process. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        public TaskCenterWorker build() {
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalStateException("a worker needs a workerId");
            }
            if (taskTypes.isEmpty()) {
                throw new IllegalStateException("a worker needs at least one task type");
            }
            if (handler == null) {
                throw new IllegalStateException("a worker needs a handler");
            }
            return new TaskCenterWorker(this);
        }
    }
}
