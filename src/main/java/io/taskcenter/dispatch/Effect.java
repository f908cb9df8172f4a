package io.taskcenter.dispatch;

import java.time.Duration;

import io.taskcenter.task.Task;

/**
 * What the core asks its shell to do, after a lifecycle step; the core itself does no I/O.
 */
public sealed interface Effect {

    /** Write the task to its worker, then report {@code written} or {@code writeFailed}. */
    record Send(Assignment assignment) implements Effect {
    }

    /** Settle the task message by this verdict. */
    record Settle(TaskRef task, Verdict verdict) implements Effect {
    }

    /**
     * No free eligible slot here: move the task to its class's waiting room, then report {@code parked}, or
     * {@code parkRefused} if it stays here. A task from a waiting room goes back to it.
     */
    record Park(TaskRef task, Task body) implements Effect {
    }

    /** Close the worker's socket. */
    record Close(Worker worker, Closing why) implements Effect {
    }

    /** Something an observer may count or show; carries no duty. */
    sealed interface Event extends Effect {
    }

    record Joined(Worker worker) implements Event {
    }

    record Left(Worker worker) implements Event {
    }

    /** A worker still online gets no more tasks: it asked to drain, or a write to it failed. */
    record Retired(Worker worker) implements Event {
    }

    /** A task reached its worker's socket, {@code waited} after the service received it. */
    record Dispatched(Assignment assignment, Duration waited) implements Event {
    }

    /** A v1 worker reported a task done, {@code took} after it was written to it. */
    record Completed(Assignment assignment, Duration took) implements Event {
    }

    /** A v1 worker reported a task failed. */
    record Failed(Assignment assignment) implements Event {
    }
}
