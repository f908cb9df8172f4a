package io.taskcenter.protocol.v1;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The frames the service sends to v1 workers, as JSON text.
 */
public final class ServiceFrames {

    /** Sent back for a frame about a task the worker does not hold. */
    public static final String UNKNOWN_TASK = "unknown-task";
    /** Sent back for a frame about a task whose deadline passed; the task has gone to another worker. */
    public static final String EXPIRED_TASK = "expired-task";
    /** Sent back for a second {@code hello}. */
    public static final String ALREADY_WELCOMED = "already-welcomed";

    private final ObjectMapper mapper;

    public ServiceFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String welcome(String workerId, Set<Integer> taskTypes, int capacity, long heartbeatMillis) {
        ObjectNode frame = frame(V1.WELCOME)
                .put("workerId", workerId)
                .put("capacity", capacity)
                .put("heartbeatTimeoutMs", heartbeatMillis);
        new TreeSet<>(taskTypes).forEach(frame.putArray("taskTypes")::add);
        return frame.toString();
    }

    public String task(String taskId, int taskType, String taskName, JsonNode payload, int attempt, Instant deadline) {
        ObjectNode frame = frame(V1.TASK)
                .put("taskId", taskId)
                .put("taskType", taskType)
                .put("taskName", taskName)
                .put("attempt", attempt)
                .put("deadline", deadline.toString());
        frame.set("payload", payload);
        return frame.toString();
    }

    /** The answer to {@code drain}: no task follows it on this connection. */
    public String draining(int holding) {
        return frame(V1.DRAINING).put("holding", holding).toString();
    }

    public String error(String code, String message, String taskId) {
        ObjectNode frame = frame(V1.ERROR).put("code", code).put("message", message);
        if (taskId != null) {
            frame.put("taskId", taskId);
        }
        return frame.toString();
    }

    private ObjectNode frame(String type) {
        return mapper.createObjectNode().put("type", type);
    }
}
