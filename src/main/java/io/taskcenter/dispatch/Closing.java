package io.taskcenter.dispatch;

/**
 * Why the core asks for a worker's socket to be closed; the endpoint turns it into a close code and reason.
 */
public enum Closing {
    /** A newer connection came with the same worker id. */
    REPLACED,
    /** The service is going away; the worker should reconnect to another instance. */
    SHUTTING_DOWN
}
