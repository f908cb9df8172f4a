package io.taskcenter.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import io.quarkus.websockets.next.CloseReason;

/**
 * Every reason the service closes a worker's socket, with its RFC 6455 status code
 * (4408 is ours, in the range RFC 6455 leaves to applications).
 */
public final class CloseReasons {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int INVALID_PAYLOAD = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int HEARTBEAT_TIMEOUT = 4408;

    /** RFC 6455 allows 123 bytes of reason in a close frame. */
    private static final int MAX_REASON_BYTES = 123;
    private static final int MAX_QUOTED = 32;

    /** The seed's words, which deployed workers may match on. */
    static final CloseReason REPLACED = new CloseReason(NORMAL, "A new client with same id was connected!");

    static final CloseReason BINARY_FRAME = new CloseReason(UNSUPPORTED_DATA,
            "Binary frames are not supported: send the worker id as a text frame");

    static final CloseReason EMPTY_ID = new CloseReason(POLICY_VIOLATION, "The worker id must not be empty");

    static final CloseReason CONTROL_CHARACTERS = new CloseReason(POLICY_VIOLATION,
            "The worker id must not contain control characters");

    static final CloseReason FRAME_FAILED = new CloseReason(INTERNAL_ERROR,
            "The service failed to process a frame; reconnect");

    public static final CloseReason SHUTTING_DOWN = new CloseReason(GOING_AWAY, "The service is shutting down");

    private CloseReasons() {
    }

    static CloseReason idTooLong(int maxLength) {
        return new CloseReason(POLICY_VIOLATION, "The worker id must be at most " + maxLength + " characters");
    }

    static CloseReason unknownWorker(String workerId) {
        return new CloseReason(POLICY_VIOLATION,
                fit("Unknown worker id '" + quote(workerId) + "': no task types are configured for it"));
    }

    static CloseReason tooBig(int maxBytes) {
        return new CloseReason(MESSAGE_TOO_BIG, "Messages must be at most " + maxBytes + " bytes");
    }

    static CloseReason helloTimeout(Duration timeout) {
        return new CloseReason(POLICY_VIOLATION, "No worker id received within " + timeout.toMillis() + " ms");
    }

    static CloseReason invalidHello(String problem) {
        return new CloseReason(INVALID_PAYLOAD, fit("Invalid hello: " + problem));
    }

    static CloseReason expectedHello(String type) {
        return new CloseReason(POLICY_VIOLATION, fit("Expected a hello frame first, got '" + quote(type) + "'"));
    }

    static CloseReason capacityOutOfRange(int capacity, int max) {
        return new CloseReason(POLICY_VIOLATION, "Capacity must be between 1 and " + max + ", got " + capacity);
    }

    static CloseReason typesNotAllowed(String workerId, Set<Integer> types) {
        return new CloseReason(POLICY_VIOLATION, fit("Task types " + new TreeSet<>(types)
                + " are not allowed for worker '" + quote(workerId) + "'"));
    }

    static CloseReason invalidToken(String problem) {
        return new CloseReason(POLICY_VIOLATION, fit("Invalid worker token: " + problem));
    }

    static CloseReason notTheTokensWorker(String tokenWorkerId, String claimedId) {
        return new CloseReason(POLICY_VIOLATION, fit("The token is for worker '" + quote(tokenWorkerId)
                + "', not '" + quote(claimedId) + "'"));
    }

    static CloseReason typesNotGranted(Set<Integer> types) {
        return new CloseReason(POLICY_VIOLATION, fit("The token does not allow task types " + new TreeSet<>(types)));
    }

    static CloseReason capacityNotGranted(int capacity, int max) {
        return new CloseReason(POLICY_VIOLATION, "Capacity " + capacity + " is more than the token allows (" + max + ")");
    }

    static CloseReason tooManyBadFrames(int max) {
        return new CloseReason(POLICY_VIOLATION, "Too many frames the service could not act on (" + max + ")");
    }

    static CloseReason heartbeatTimeout(Duration timeout) {
        return new CloseReason(HEARTBEAT_TIMEOUT, "No frame or pong received for " + timeout.toMillis() + " ms");
    }

    private static String quote(String value) {
        return value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
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
