package io.taskcenter.protocol.v1;

/**
 * Names of protocol v1: the WebSocket subprotocol a worker offers to speak it, and the frame types.
 * The protocol is described, with an example exchange, in {@code docs/protocol.md}.
 */
public final class V1 {

    /** Offered by the worker in {@code Sec-WebSocket-Protocol}; without it the seed protocol applies. */
    public static final String SUBPROTOCOL = "taskcenter.v1";

    public static final String HELLO = "hello";
    public static final String WELCOME = "welcome";
    public static final String TASK = "task";
    public static final String DONE = "done";
    public static final String FAILED = "failed";
    public static final String PROGRESS = "progress";
    public static final String ERROR = "error";
    public static final String DRAIN = "drain";
    public static final String DRAINING = "draining";

    private V1() {
    }
}
