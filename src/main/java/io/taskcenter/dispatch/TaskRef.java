package io.taskcenter.dispatch;

/**
 * A task message as the dispatch core sees it; the messaging edge implements it, and settles it when told to.
 */
public interface TaskRef {

    /** The id workers see and report on; the same on every redelivery. */
    String taskId();

    /** 1 on the first delivery, counting up with every return to the queue. */
    int attempt();

    /**
     * Whether the message can no longer be settled: its channel closed, and the broker has requeued it and will
     * deliver it again. The core drops such a task wherever it finds it.
     */
    boolean isStale();

    /** Whether it came from a waiting room, for a slot here, rather than from the shared task queue. */
    default boolean fromRoom() {
        return false;
    }
}
