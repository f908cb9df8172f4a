package io.taskcenter.dispatch;

import java.time.Duration;

/**
 * What a worker's protocol means for the tasks it holds: what a completed write means, whether a task has a
 * deadline, and what becomes of a task still being written when its worker goes.
 */
public sealed interface Protocol permits SeedRules, V1Rules {

    Protocol SEED = new SeedRules();
    Protocol V1 = new V1Rules();

    /** {@code seed} or {@code v1}, as operators see it. */
    String label();

    /** The verdict a completed write settles the task with, or null while the worker owes a report. */
    Verdict written(Worker worker);

    /** When a task handed over at {@code now} is overdue without a report, in the core's nanoseconds. */
    long deadline(long now, Duration timeout);

    /**
     * Whether a worker's going away ends a task whose write is still pending (it is lost), or leaves it to the
     * write, whose outcome then decides.
     */
    boolean losesPendingWritesOnLeave();
}
