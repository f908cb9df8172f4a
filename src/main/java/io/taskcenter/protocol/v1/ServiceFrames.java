package io.taskcenter.protocol.v1;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonGenerator;
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
    /** The last deadline's text: formatting an instant showed in the profile, and ten tasks a millisecond share it. */
    private volatile Deadline lastDeadline = new Deadline(Long.MIN_VALUE, "");

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

    /**
     * A {@code task} frame. {@code payload} is the task message's body, already checked to be one JSON object
     * ({@code TaskParser}); it goes into the frame as it is, without a tree built for it.
     */
    public String task(String taskId, int taskType, String taskName, String payload, int attempt, Instant deadline) {
        StringWriter out = new StringWriter(160 + payload.length());
        try (JsonGenerator frame = mapper.getFactory().createGenerator(out)) {
            frame.writeStartObject();
            frame.writeStringField("type", V1.TASK);
            frame.writeStringField("taskId", taskId);
            frame.writeNumberField("taskType", taskType);
            frame.writeStringField("taskName", taskName);
            frame.writeNumberField("attempt", attempt);
            frame.writeStringField("deadline", text(deadline));
            frame.writeFieldName("payload");
            frame.writeRawValue(payload);
            frame.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }

    /** ISO-8601 in UTC, to the millisecond (what a worker may rely on; finer digits only cost formatting). */
    private String text(Instant deadline) {
        long millis = deadline.toEpochMilli();
        Deadline last = lastDeadline;
        if (last.epochMilli() != millis) {
            last = new Deadline(millis, Instant.ofEpochMilli(millis).toString());
            lastDeadline = last;
        }
        return last.text();
    }

    private record Deadline(long epochMilli, String text) {
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
