package io.taskcenter.messaging;

/**
 * The headers the service writes on the copies of a task it publishes itself: a retry back to the task queue,
 * and a dead letter. RabbitMQ's own counters ({@code x-delivery-count}, {@code x-acquired-count}) change meaning
 * between broker versions, so what the service counts it keeps here.
 */
public final class TaskHeaders {

    /**
     * On a task: the attempt its next delivery is, where the service retried it before (absent means 1). On a
     * dead letter: the attempt that ended it.
     */
    public static final String ATTEMPT = "x-taskcenter-attempt";
    /** The routing key the task was first published with: a copy travels with another one. */
    public static final String ROUTING_KEY = "x-taskcenter-routing-key";

    /** Why a dead letter died, as a {@link DeadLetterReason#tag()}. */
    public static final String REASON = "x-taskcenter-reason";
    /** What went wrong, in words: the worker's error, or the service's. */
    public static final String ERROR = "x-taskcenter-error";
    /** The worker that held it last, if any. */
    public static final String WORKER = "x-taskcenter-worker";
    /** The queue it was consumed from. */
    public static final String QUEUE = "x-taskcenter-queue";
    /** When it was dead-lettered, in milliseconds since the epoch. */
    public static final String DEAD_AT = "x-taskcenter-dead-lettered-at";

    private TaskHeaders() {
    }
}
