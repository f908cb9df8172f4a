package io.taskcenter.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.broker.QueueDepths;

/**
 * The queue depths the live view shows, read from RabbitMQ in the background at most once per tick. A view never
 * waits for the broker: it shows the latest depths read, so a broker that is slow to answer (or gone) delays
 * neither the pages nor the other figures; its error shows instead, a tick later.
 */
final class Backlog {

    /** Before the first read has answered: no queues, and no error either. */
    private static final LiveView.Backlog NOT_YET = new LiveView.Backlog(List.of(), null);

    /** Where the depths come from: {@link QueueDepths#read()}. */
    interface Reader {
        List<QueueDepths.Depth> read() throws BrokerUnavailableException;
    }

    private final Reader depths;
    private final Executor executor;
    private final long intervalNanos;
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile LiveView.Backlog latest = NOT_YET;
    private volatile long readAt;
    private volatile boolean read;

    Backlog(QueueDepths depths, Duration interval) {
        this(depths::read, Infrastructure.getDefaultWorkerPool(), interval);
    }

    Backlog(Reader depths, Executor executor, Duration interval) {
        this.depths = depths;
        this.executor = executor;
        this.intervalNanos = interval.toNanos();
    }

    /** The depths read last; starts a new read when those are a tick old and none is under way. */
    LiveView.Backlog latest() {
        if ((!read || System.nanoTime() - readAt >= intervalNanos) && reading.compareAndSet(false, true)) {
            executor.execute(this::read);
        }
        return latest;
    }

    private void read() {
        try {
            latest = new LiveView.Backlog(depths.read(), null);
        } catch (BrokerUnavailableException e) {
            Log.debugf("Live view without queue depths: %s", e.getMessage());
            latest = new LiveView.Backlog(List.of(), e.getMessage());
        } catch (RuntimeException e) {
            Log.warnf(e, "Could not read the queue depths for the live view");
            latest = new LiveView.Backlog(List.of(), "could not read the queue depths: " + e);
        } finally {
            readAt = System.nanoTime();
            read = true;
            reading.set(false);
        }
    }
}
