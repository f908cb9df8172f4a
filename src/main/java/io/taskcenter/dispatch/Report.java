package io.taskcenter.dispatch;

/**
 * What the dispatcher made of a worker's report about a task.
 */
public enum Report {
    /** The worker held the task; the report was applied. */
    ACCEPTED,
    /** The worker does not hold a task with this id. */
    UNKNOWN_TASK,
    /** The task's deadline passed and it went back to the queue; the report came too late. */
    EXPIRED_TASK
}
