package io.taskcenter.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.quarkus.websockets.next.CloseReason;

/**
 * Every reason the service closes a worker's socket, with its RFC 6455 status code.
 */
final class CloseReasons {

    static final int NORMAL = 1000;
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY_VIOLATION = 1008;

    /** RFC 6455 allows 123 bytes of reason in a close frame. */
    private static final int MAX_REASON_BYTES = 123;
    private static final int MAX_QUOTED_ID = 32;

    /** The seed's words, which deployed workers may match on. */
    static final CloseReason REPLACED = new CloseReason(NORMAL, "A new client with same id was connected!");

    static final CloseReason BINARY_FRAME = new CloseReason(UNSUPPORTED_DATA,
            "Binary frames are not supported: send the worker id as a text frame");

    static final CloseReason EMPTY_ID = new CloseReason(POLICY_VIOLATION, "The worker id must not be empty");

    static final CloseReason CONTROL_CHARACTERS = new CloseReason(POLICY_VIOLATION,
            "The worker id must not contain control characters");

    private CloseReasons() {
    }

    static CloseReason idTooLong(int maxLength) {
        return new CloseReason(POLICY_VIOLATION, "The worker id must be at most " + maxLength + " characters");
    }

    static CloseReason unknownWorker(String workerId) {
        String quoted = workerId.length() > MAX_QUOTED_ID ? workerId.substring(0, MAX_QUOTED_ID) + "..." : workerId;
        return new CloseReason(POLICY_VIOLATION,
                fit("Unknown worker id '" + quoted + "': no task types are configured for it"));
    }

    static CloseReason helloTimeout(Duration timeout) {
        return new CloseReason(POLICY_VIOLATION, "No worker id received within " + timeout.toMillis() + " ms");
    }

    /** Cuts a reason down to what fits in a close frame, never splitting a character. */
    private static String fit(String reason) {
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        StringBuilder fitted = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < reason.length();) {
            int codePoint = reason.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            fitted.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return fitted.toString();
    }
}
