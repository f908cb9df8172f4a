package io.taskcenter.dispatch;

/**
 * No eligible worker took the task: none was online, or the send to every one of them failed.
 */
public class NoWorkerException extends RuntimeException {

    public NoWorkerException(String reason) {
        // Expected whenever workers are offline; the reason is all the caller logs.
        super(reason, null, false, false);
    }
}
