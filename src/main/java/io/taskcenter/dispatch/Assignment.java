package io.taskcenter.dispatch;

import java.time.Duration;

import io.taskcenter.task.Task;

/**
 * A task given to one worker, from the moment its slot is reserved until it is taken off that worker again.
 * Its public face is what a frame needs; its state belongs to the core and changes only under the shell's lock.
 */
public final class Assignment {

    private final TaskRef ref;
    private final Task task;
    final Seat seat;
    private final long receivedAt;
    private final Duration timeout;
    long deadline;
    /** When the write completed; until then, {@link #PENDING}. */
    long writtenAt = PENDING;

    static final long PENDING = Long.MIN_VALUE;
    /** The deadline of a task no report is expected for. */
    static final long NO_DEADLINE = Long.MAX_VALUE;

    Assignment(TaskRef ref, Task task, Seat seat, long receivedAt, long now, Duration timeout) {
        this.ref = ref;
        this.task = task;
        this.seat = seat;
        this.receivedAt = receivedAt;
        this.timeout = timeout;
        this.deadline = seat.worker.protocol().deadline(now, timeout);
    }

    public String taskId() {
        return ref.taskId();
    }

    public Task task() {
        return task;
    }

    public int attempt() {
        return ref.attempt();
    }

    /** How long the worker has to report from now on; a v1 frame states it as a deadline. */
    public Duration timeout() {
        return timeout;
    }

    public Worker worker() {
        return seat.worker;
    }

    TaskRef ref() {
        return ref;
    }

    long receivedAt() {
        return receivedAt;
    }

    boolean written() {
        return writtenAt != PENDING;
    }

    @Override
    public String toString() {
        return "task " + taskId() + " on " + seat.worker;
    }
}
