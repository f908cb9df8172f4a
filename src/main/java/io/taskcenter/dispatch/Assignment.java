package io.taskcenter.dispatch;

import io.taskcenter.messaging.Delivery;
import io.taskcenter.task.Task;

/**
 * A task given to one worker, from the moment its slot is reserved until the task is settled or returned.
 * Guarded by the {@link Dispatcher}'s lock.
 */
final class Assignment {

    final Delivery delivery;
    final Task task;
    final WorkerSlots holder;
    final int attempt;
    long deadlineNanos;
    /** When the write to the worker completed; until then, when the slot was reserved. */
    long writtenNanos;
    /** Settled or returned: late callbacks (a write completing, a deadline sweep) must leave it alone. */
    boolean finished;

    Assignment(Delivery delivery, Task task, WorkerSlots holder, long nowNanos, long timeoutNanos) {
        this.delivery = delivery;
        this.task = task;
        this.holder = holder;
        this.attempt = delivery.attempt();
        this.deadlineNanos = nowNanos + timeoutNanos;
        this.writtenNanos = nowNanos;
    }

    String taskId() {
        return delivery.taskId();
    }
}
