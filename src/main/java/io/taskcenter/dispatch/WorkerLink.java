package io.taskcenter.dispatch;

import java.util.concurrent.CompletionStage;

/**
 * The socket that reaches one worker; the endpoint implements it and encodes frames in the worker's protocol.
 * The core never calls it: the {@link Dispatcher} shell carries out the effects that name it.
 */
public interface WorkerLink {

    /** Writes the task to the worker; completes once written, fails if the socket is gone. */
    CompletionStage<Void> send(Assignment assignment);

    /** Closes the socket because of {@code why}; a close that fails finds the socket gone already. */
    void close(Closing why);

    /** Where the worker connected from, for operators. */
    String remoteAddress();
}
