package io.taskcenter.task;

/**
 * A task message that can never be dispatched, whoever is online: it goes straight to the dead-letter queue.
 */
public class InvalidTaskException extends Exception {

    public InvalidTaskException(String reason) {
        // The reason says everything; a stack trace would only point at the parser.
        super(reason, null, false, false);
    }
}
