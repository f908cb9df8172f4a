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

    Waiting(TaskRef ref, Task task, long receivedAt, long now) {
        this.ref = ref;
        this.task = task;
        this.receivedAt = receivedAt;
        this.noWorkerSince = now;
    }
}
