package io.taskcenter.client;

/**
 * Does one task. Runs on the worker's executor, never on the socket's thread, so it may block.
 * <p>
 * Return the result (anything Jackson can serialise, or null): it is reported {@code done}, and reaches the
 * producer's {@code reply_to}. Throw to report {@code failed}: a {@link TaskFailure} says whether to retry.
 */
@FunctionalInterface
public interface TaskHandler {

    Object handle(Task task) throws Exception;
}
