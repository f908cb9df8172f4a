package io.taskcenter.client;

/**
 * Does one task. Runs on the worker's executor (its own pool of {@code capacity} threads unless one is given), not
 * on the socket's thread, so it may block.
 * <p>
 * Return the result (anything Jackson can serialise, or null): it is reported {@code done}, and reaches the
 * producer's {@code reply_to}; a result over the 64 KiB frame limit, or one Jackson cannot serialise, is reported
 * {@code failed} without retry instead. Throw to report {@code failed}: a {@link TaskFailure} says whether to
 * retry. Do not call {@link TaskCenterWorker#close} from here: it refuses, as it would wait for this handler.
 */
@FunctionalInterface
public interface TaskHandler {

    Object handle(Task task) throws Exception;
}
