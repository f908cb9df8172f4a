package io.taskcenter.dispatch;

import io.taskcenter.messaging.Delivery;
import io.taskcenter.task.Task;

/**
 * A task received but not yet assigned: every eligible worker is busy, or none is online.
 * Guarded by the {@link Dispatcher}'s lock.
 */
final class Waiting {

    static final long NEVER = Long.MIN_VALUE;

    final Delivery delivery;
    final Task task;
    /** Since when no eligible worker has been online, or {@link #NEVER} while one is. */
    long noWorkerSinceNanos;

    Waiting(Delivery delivery, Task task, long nowNanos) {
        this.delivery = delivery;
        this.task = task;
        this.noWorkerSinceNanos = nowNanos;
    }
}
