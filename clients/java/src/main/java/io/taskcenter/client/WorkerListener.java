package io.taskcenter.client;

/**
 * Hears what happens to a {@link TaskCenterWorker}. Every method has an empty default; each runs on one of the
 * worker's threads and must return quickly (and must not call {@code close}, which waits for them). Everything
 * here is also logged (System.Logger {@code io.taskcenter.client}).
 */
public interface WorkerListener {

    /** The worker moved from one state to another. */
    default void stateChanged(WorkerState from, WorkerState to) {
    }

    /** The service accepted the hello. */
    default void welcomed(Welcome welcome) {
    }

    /** A connection ended: the service's close code and reason, or 1006 when it just went away. */
    default void closed(int code, String reason) {
    }

    /** The socket could not be opened: refused, unreachable, or the upgrade answered 401 or 403. */
    default void connectFailed(Throwable cause) {
    }

    /** The service sent an {@code error} frame about something this worker sent; the connection stays open. */
    default void errorFrame(String code, String message, String taskId) {
    }

    /**
     * A handler finished a task whose outcome cannot be reported: the connection the task came on is gone, and
     * the service has already put the task back in its queue for another attempt. {@code outcome} is the
     * handler's result, or the exception it threw. Undo side effects here if they must not happen twice.
     */
    default void discarded(Task task, Object outcome) {
    }
}
