package io.taskcenter.protocol;

import io.taskcenter.task.Task;

/**
 * The seed's text protocol, kept byte for byte because deployed workers speak it: the worker's first
 * text frame is its id, and each task reaches it as one text frame holding the task name, prefixed with
 * {@code Special-} for every type but 1.
 */
public final class SeedProtocol {

    static final int PLAIN_TYPE = 1;
    static final String SPECIAL_PREFIX = "Special-";

    private SeedProtocol() {
    }

    public static String taskFrame(Task task) {
        return task.type() == PLAIN_TYPE ? task.name() : SPECIAL_PREFIX + task.name();
    }
}
