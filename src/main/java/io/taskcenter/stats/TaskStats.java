package io.taskcenter.stats;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts of how task messages were settled since the service started.
 */
@ApplicationScoped
public class TaskStats {

    private final LongAdder acked = new LongAdder();
    private final LongAdder requeued = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();

    public void acked() {
        acked.increment();
    }

    public void requeued() {
        requeued.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    /** Acks the broker connection has taken; the broker has them unless that connection drops now. */
    public long ackedCount() {
        return acked.sum();
    }

    public long requeuedCount() {
        return requeued.sum();
    }

    public long deadLetteredCount() {
        return deadLettered.sum();
    }
}
