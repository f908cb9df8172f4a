package io.taskcenter.task;

import java.util.Optional;

/**
 * A task message that can never be dispatched, whoever is online: it goes straight to the dead-letter queue,
 * or, at the REST API, back to the caller as a 400.
 */
public class InvalidTaskException extends Exception {

    private final String field;

    public InvalidTaskException(String reason) {
        this(null, reason);
    }

    public InvalidTaskException(String field, String reason) {
        // The reason says everything; a stack trace would only point at the parser.
        super(reason, null, false, false);
        this.field = field;
    }

    /** The field at fault, if the problem is one field's rather than the whole body's. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
