package io.taskcenter.stats;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What happened to tasks since the service started.
 */
@ApplicationScoped
public class TaskStats {

    private final LongAdder dispatched = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder requeued = new LongAdder();
    private final Map<DeadLetterReason, LongAdder> deadLettered = new EnumMap<>(DeadLetterReason.class);

    public TaskStats() {
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason, new LongAdder());
        }
    }

    /** A task was written to a worker's socket. */
    public void dispatched() {
        dispatched.increment();
    }

    /** A v1 worker reported a task done. */
    public void completed() {
        completed.increment();
    }

    /** A v1 worker reported a task failed. */
    public void failed() {
        failed.increment();
    }

    public void acked() {
        acked.increment();
    }

    public void requeued() {
        requeued.increment();
    }

    public void deadLettered(DeadLetterReason reason) {
        deadLettered.get(reason).increment();
    }

    public long dispatchedCount() {
        return dispatched.sum();
    }

    public long completedCount() {
        return completed.sum();
    }

    public long failedCount() {
        return failed.sum();
    }

    /** Acks the broker connection has taken; the broker has them unless that connection drops now. */
    public long ackedCount() {
        return acked.sum();
    }

    public long requeuedCount() {
        return requeued.sum();
    }

    public long deadLetteredCount(DeadLetterReason reason) {
        return deadLettered.get(reason).sum();
    }

    public long deadLetteredCount() {
        return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
