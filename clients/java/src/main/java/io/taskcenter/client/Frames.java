package io.taskcenter.client;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The frames of protocol v1 a worker sends (docs/protocol.md), as JSON text. */
final class Frames {

    /** Lenient on reading: a payload read into a worker's class may carry fields that class does not name. */
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final String SUBPROTOCOL = "taskcenter.v1";
    /** The service closes the socket on a bigger message. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    private Frames() {
    }

    static String hello(String workerId, Collection<Integer> taskTypes, int capacity) {
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("workerId", workerId)
                .put("capacity", capacity);
        taskTypes.forEach(hello.putArray("taskTypes")::add);
        return hello.toString();
    }

    /** {@code done} with the result, or null if the result makes a frame the service would refuse. */
    static String done(String taskId, Object result) {
        ObjectNode done = JSON.createObjectNode().put("type", "done").put("taskId", taskId);
        JsonNode value = JSON.valueToTree(result);
        if (value != null && !value.isNull()) {
            done.set("result", value);
        }
        String frame = done.toString();
        return frame.getBytes(StandardCharsets.UTF_8).length <= MAX_FRAME_BYTES ? frame : null;
    }

    static String failed(String taskId, String error, boolean retry) {
        String message = error == null || error.isBlank() ? "failed" : error;
        // Keep the frame well under the limit whatever the exception said.
        if (message.length() > 4096) {
            // Cut between code points, never inside a surrogate pair.
            message = message.substring(0, message.offsetByCodePoints(0, message.codePointCount(0, 4096))) + "…";
        }
        return JSON.createObjectNode().put("type", "failed").put("taskId", taskId).put("error", message)
                .put("retry", retry).toString();
    }

    static String progress(String taskId) {
        return JSON.createObjectNode().put("type", "progress").put("taskId", taskId).toString();
    }

    static String drain() {
        return "{\"type\":\"drain\"}";
    }
}
