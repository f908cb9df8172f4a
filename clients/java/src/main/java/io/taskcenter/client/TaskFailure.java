package io.taskcenter.client;

/**
 * Thrown by a {@link TaskHandler} to say how a task failed: {@code retry} decides whether the service gives it
 * another attempt (up to its {@code max-attempts}) or dead-letters it now. Any other exception is a failure
 * too, retried or not as {@link TaskCenterWorker.Builder#retryWhen} decides (by default: retried).
 */
public class TaskFailure extends RuntimeException {

    private final boolean retry;

    public TaskFailure(String message, boolean retry) {
        super(message);
        this.retry = retry;
    }

    public TaskFailure(String message, boolean retry, Throwable cause) {
        super(message, cause);
        this.retry = retry;
    }

    /** A failure that another attempt will not fix: bad input, a missing record. */
    public static TaskFailure permanent(String message) {
        return new TaskFailure(message, false);
    }

    /** A failure that may pass: a timeout, a database that is down. */
    public static TaskFailure transientFailure(String message) {
        return new TaskFailure(message, true);
    }

    public boolean retry() {
        return retry;
    }
}
