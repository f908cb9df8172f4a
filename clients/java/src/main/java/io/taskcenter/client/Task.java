package io.taskcenter.client;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One task as the service handed it over. The payload is the message exactly as the producer published it.
 */
public final class Task {

    private final String taskId;
    private final int taskType;
    private final String taskName;
    private final int attempt;
    private final Instant deadline;
    private final JsonNode payload;
    private final Session session;

    Task(String taskId, int taskType, String taskName, int attempt, Instant deadline, JsonNode payload,
            Session session) {
        this.taskId = taskId;
        this.taskType = taskType;
        this.taskName = taskName;
        this.attempt = attempt;
        this.deadline = deadline;
        this.payload = payload;
        this.session = session;
    }

    /** The same on every attempt: use it to make the work idempotent. */
    public String taskId() {
        return taskId;
    }

    public int taskType() {
        return taskType;
    }

    public String taskName() {
        return taskName;
    }

    /** 1 the first time, then one more on each retry. */
    public int attempt() {
        return attempt;
    }

    /**
     * When the service takes the task back if it hears nothing, as it stood when the task was handed over; each
     * {@code progress} starts the service's timeout again from then (this value does not change).
     */
    public Instant deadline() {
        return deadline;
    }

    public JsonNode payload() {
        return payload;
    }

    /** The payload read as a {@code type}, with the worker's Jackson mapper. */
    public <T> T payloadAs(Class<T> type) {
        try {
            return Frames.JSON.treeToValue(payload, type);
        } catch (JsonProcessingException e) {
            throw TaskFailure.permanent("payload of task " + taskId + " is not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    /**
     * Tells the service the task is still being worked on, so its deadline starts again. Needed only by
     * handlers that run longer than the service's task timeout with automatic progress turned off.
     *
     * @return false if the connection the task came on is gone (its outcome will be discarded)
     */
    public boolean progress() {
        return session.progress(this);
    }

    @Override
    public String toString() {
        return "task " + taskId + " (type " + taskType + ", attempt " + attempt + ")";
    }
}
