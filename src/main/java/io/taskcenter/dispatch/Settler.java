package io.taskcenter.dispatch;

import java.util.concurrent.CompletionStage;

/**
 * Settles a task message by a verdict of the core; the messaging edge implements it.
 */
public interface Settler {

    /**
     * Settles {@code task}, which is one of the refs the shell was given, exactly once.
     *
     * @return completes once the settlement has been made (or could not be), never exceptionally
     */
    CompletionStage<Void> settle(TaskRef task, Verdict verdict);
}
