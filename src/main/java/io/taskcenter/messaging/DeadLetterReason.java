package io.taskcenter.messaging;

/**
 * Why a task went to the dead-letter queue. Bounded, so it can tag metrics.
 */
public enum DeadLetterReason {
    /** The message is not a task: bad JSON, missing or mistyped fields. */
    INVALID_TASK("invalid-task"),
    /** No eligible worker took it, on its first delivery and again on its redelivery. */
    NO_WORKER("no-worker"),
    /** A v1 worker reported it failed and said retrying makes no sense. */
    FAILED("failed"),
    /** It was delivered the maximum number of times without being completed. */
    ATTEMPTS_EXHAUSTED("attempts-exhausted");

    private final String tag;

    DeadLetterReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
