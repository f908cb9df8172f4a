package io.taskcenter.rooms;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

import io.quarkus.logging.Log;
import io.taskcenter.broker.BrokerClient;

/**
 * The waiting rooms' own connection to RabbitMQ, with two channels: one that takes from the rooms (a consumer per
 * room, acks) and owns this replica's presence queue, and one that publishes with confirms. Every call on
 * them runs on one thread, {@link #execute}, so a blocking call never runs on an event loop or under a lock.
 * <p>
 * When the connection or either channel closes, the broker requeues every room message this replica took and
 * drops its exclusive queues; {@link #generation()} moves on, which makes every delivery taken before stale, and
 * the link opens again every {@link #RECONNECT} until the broker is back.
 */
final class RoomLink {

    static final Duration RECONNECT = Duration.ofSeconds(2);

    /** What the rooms do when the link comes up (declare, bind, resume) and when it goes down. */
    interface Lifecycle {
        void up(RoomLink link) throws IOException, TimeoutException;

        void down();
    }

    private final BrokerClient broker;
    private final Lifecycle lifecycle;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, task -> {
        Thread named = new Thread(task, "taskcenter-rooms");
        named.setDaemon(true);
        return named;
    });
    private Connection connection;
    private Channel take;
    private Channel publish;
    private Confirms confirms;
    private volatile long generation;
    private volatile boolean up;
    private boolean closed;

    RoomLink(BrokerClient broker, Lifecycle lifecycle) {
        this.broker = broker;
        this.lifecycle = lifecycle;
        // On close, a sweep or a retry due later has nothing left to do.
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    void start() {
        execute(this::connect);
    }

    boolean isUp() {
        return up;
    }

    /** Moves on each time the channels close: a delivery of an older generation can no longer be settled. */
    long generation() {
        return generation;
    }

    Channel take() {
        return take;
    }

    Confirms confirms() {
        return confirms;
    }

    /** A channel of its own on the link's connection, for a call that may close it (the caller closes it). */
    Channel openChannel() throws IOException {
        return connection.createChannel();
    }

    /**
     * Runs {@code work} on the rooms' thread; a failure is logged.
     *
     * @return false if the rooms have stopped, and it will not run
     */
    boolean execute(Runnable work) {
        try {
            thread.execute(() -> guarded(work));
            return true;
        } catch (RejectedExecutionException stopping) {
            Log.debugf("Rooms are stopping: %s not run", work);
            return false;
        }
    }

    /**
     * The rooms' thread as an executor for async stages: a stage handed to it after the rooms stopped runs at once
     * instead, so that every stage completes (on a closed channel, it fails).
     */
    Executor executor() {
        return work -> {
            if (!execute(work)) {
                work.run();
            }
        };
    }

    void schedule(Runnable work, Duration delay) {
        try {
            thread.schedule(() -> guarded(work), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            Log.debugf("Rooms are stopping: %s not scheduled", work);
        }
    }

    /** Runs {@code work} on the rooms' thread and completes with its result. */
    <T> CompletableFuture<T> call(Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean accepted = execute(() -> {
            try {
                result.complete(work.run());
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        if (!accepted) {
            result.completeExceptionally(new IOException("the waiting rooms have stopped"));
        }
        return result;
    }

    interface Work<T> {
        T run() throws IOException;
    }

    /** A call on a channel that returns nothing. */
    interface Step {
        void run() throws IOException;
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof IOException || e instanceof ShutdownSignalException
                    || e instanceof com.rabbitmq.client.AlreadyClosedException) {
                Log.debugf("Rooms: %s failed on a closed channel: %s", work, e);
            } else {
                Log.errorf(e, "Rooms: %s failed", work);
            }
        }
    }

    private void connect() {
        if (closed || up) {
            return;
        }
        try {
            connection = broker.open("task-center-rooms");
            take = connection.createChannel();
            publish = connection.createChannel();
            confirms = new Confirms(publish);
            Connection opened = connection;
            connection.addShutdownListener(signal -> execute(() -> lost(opened, signal)));
            take.addShutdownListener(signal -> execute(() -> lost(opened, signal)));
            publish.addShutdownListener(signal -> execute(() -> lost(opened, signal)));
            up = true;
            lifecycle.up(this);
            Log.infof("Waiting rooms connected to RabbitMQ at %s", broker.address());
        } catch (IOException | TimeoutException | RuntimeException e) {
            Log.warnf("Waiting rooms cannot reach RabbitMQ at %s (%s); trying again in %d s", broker.address(),
                    e.toString(), RECONNECT.toSeconds());
            drop();
            schedule(this::connect, RECONNECT);
        }
    }

    private void lost(Connection which, ShutdownSignalException signal) {
        if (which != connection || !up) {
            return;
        }
        Log.warnf("Waiting rooms lost their RabbitMQ channel (%s); the broker requeues what they held",
                signal.getMessage());
        drop();
        if (!closed) {
            schedule(this::connect, RECONNECT);
        }
    }

    /** Forgets the channels: whatever was taken on them is the broker's again. */
    private void drop() {
        boolean wasUp = up;
        up = false;
        generation++;
        if (confirms != null) {
            confirms.failAll(new IOException("the waiting rooms' channel closed"));
        }
        if (connection != null && connection.isOpen()) {
            try {
                connection.abort(1000);
            } catch (RuntimeException e) {
                Log.debugf("Rooms connection abort: %s", e);
            }
        }
        connection = null;
        take = null;
        publish = null;
        confirms = null;
        if (wasUp) {
            lifecycle.down();
        }
    }

    /** Closes the connection for good: the broker requeues whatever is still unacked. */
    void close() {
        execute(() -> {
            closed = true;
            if (connection != null && connection.isOpen()) {
                try {
                    connection.close(1000);
                } catch (IOException | RuntimeException e) {
                    Log.debugf("Rooms connection did not close cleanly: %s", e);
                }
            }
            // Fails whatever still waits for a confirm, so every caller hears back.
            drop();
        });
        // Lets what is queued run (on the closed channels it fails, and its callers hear it), then stops.
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
    }
}
