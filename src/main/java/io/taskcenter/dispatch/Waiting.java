package io.taskcenter.dispatch;

import io.taskcenter.task.Task;

/**
 * A task received but not assigned yet: every eligible worker is busy, or none is online.
 */
final class Waiting {

    static final long NEVER = Long.MIN_VALUE;

    final TaskRef ref;
    final Task task;
    final long receivedAt;
    /** Since when no eligible worker has been online, or {@link #NEVER} while one is. */
    long noWorkerSince;
    /** Offered to its waiting room, and no answer yet: not assigned, not given up on, until there is one. */
    boolean parking;
    /** When it was last offered to its waiting room, or {@link #NEVER}. */
    long offeredAt = NEVER;

    Waiting(TaskRef ref, Task task, long receivedAt, long now) {
        this.ref = ref;
        this.task = task;
        this.receivedAt = receivedAt;
        this.noWorkerSince = now;
    }
}
