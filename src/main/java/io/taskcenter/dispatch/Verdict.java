package io.taskcenter.dispatch;

/**
 * What happened to a task, as the core saw it; the messaging edge turns it into an ack, a requeue or a dead letter
 * (and a reply, where the task asked for one), applying the attempt and redelivery rules there, in one place.
 */
public sealed interface Verdict {

    /** The task reached a seed worker's socket; the seed protocol says no more. */
    record HandedOver(String workerId) implements Verdict {
    }

    /** A v1 worker reported the task done; {@code result} is the JSON text it sent, or null. */
    record Done(String workerId, String result) implements Verdict {
    }

    /** A v1 worker reported the task failed; {@code retry} says whether another attempt makes sense. */
    record Failed(String workerId, String error, boolean retry) implements Verdict {
    }

    /** The attempt ended without a report: the worker went away, or let the deadline pass. */
    record Lost(String workerId, String why) implements Verdict {
    }

    /** No eligible worker was online to take the task for the whole worker-wait. */
    record Unserved(String why) implements Verdict {
    }

    /** The service gives the task back, through nobody's fault: it is shutting down. */
    record Returned(String why) implements Verdict {
    }
}
