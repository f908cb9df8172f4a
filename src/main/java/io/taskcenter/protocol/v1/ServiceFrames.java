package io.taskcenter.protocol.v1;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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

    private static final JsonStringEncoder STRINGS = JsonStringEncoder.getInstance();

    private final ObjectMapper mapper;
    /** The last deadline's text: formatting an instant showed in the profile, and ten tasks a millisecond share it. */
    private volatile Deadline lastDeadline = new Deadline(Long.MIN_VALUE, "");

    public ServiceFrames(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The answer to an admitted {@code hello}: one per connection, written like {@link #task} (workers churn). */
    public String welcome(String workerId, Set<Integer> taskTypes, int capacity, long heartbeatMillis) {
        StringBuilder frame = new StringBuilder(96 + workerId.length() + 8 * taskTypes.size());
        frame.append("{\"type\":\"").append(V1.WELCOME).append("\",\"workerId\":");
        quoted(frame, workerId).append(",\"capacity\":").append(capacity)
                .append(",\"heartbeatTimeoutMs\":").append(heartbeatMillis).append(",\"taskTypes\":[");
        String separator = "";
        for (int type : new TreeSet<>(taskTypes)) {
            frame.append(separator).append(type);
            separator = ",";
        }
        return frame.append("]}").toString();
    }

    /**
     * A {@code task} frame. {@code payload} is the task message's body, already checked to be one JSON object
     * ({@code TaskParser}); it goes into the frame as it is, without a tree built for it. One per task, so it is
     * written straight into a {@code StringBuilder}, the strings escaped by Jackson's encoder: a generator per frame
     * (its buffer recycling, a {@code Writer}) was 5% of the service's CPU in v1 throughput runs.
     */
    public String task(String taskId, int taskType, String taskName, String payload, int attempt, Instant deadline) {
        StringBuilder frame = new StringBuilder(160 + taskId.length() + taskName.length() + payload.length());
        frame.append("{\"type\":\"").append(V1.TASK).append("\",\"taskId\":");
        quoted(frame, taskId).append(",\"taskType\":").append(taskType).append(",\"taskName\":");
        quoted(frame, taskName).append(",\"attempt\":").append(attempt)
                .append(",\"deadline\":\"").append(text(deadline)).append("\",\"payload\":").append(payload);
        return frame.append('}').toString();
    }

    private static StringBuilder quoted(StringBuilder out, String text) {
        out.append('"');
        STRINGS.quoteAsString(text, out);
        return out.append('"');
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
