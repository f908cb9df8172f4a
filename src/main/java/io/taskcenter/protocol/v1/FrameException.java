package io.taskcenter.protocol.v1;

/**
 * A v1 frame the service cannot act on. {@link #code()} is the {@code code} of the error frame sent back.
 */
public class FrameException extends Exception {

    /** Not JSON, not an object, or a field missing or of the wrong type. */
    public static final String BAD_FRAME = "bad-frame";
    /** A {@code type} the protocol does not have, or one a worker never sends. */
    public static final String UNKNOWN_TYPE = "unknown-type";

    private final String code;
    private final String frameType;

    public FrameException(String code, String message) {
        this(code, message, null);
    }

    private FrameException(String code, String message, String frameType) {
        super(message, null, false, false);
        this.code = code;
        this.frameType = frameType;
    }

    public String code() {
        return code;
    }

    /** The frame's {@code type}, if the frame got as far as having a readable one; else null. */
    public String frameType() {
        return frameType;
    }

    FrameException about(String type) {
        return new FrameException(code, getMessage(), type);
    }
}
