package io.taskcenter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.taskcenter.support.TestWorker.Close;

/**
 * Protocol v1 frame by frame over a {@link TestWorker} socket, for tests that assert on the frames themselves or
 * break the protocol on purpose (late, unknown or malformed reports, dropped connections). A well-behaved
 * worker is the worker library's {@link io.taskcenter.client.TaskCenterWorker}.
 */
public final class V1Worker implements AutoCloseable {

    public static final String SUBPROTOCOL = "taskcenter.v1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestWorker socket;

    public V1Worker(TestWorker socket) {
        this.socket = socket;
    }

    /** Opens a v1 socket that has not sent its hello yet. */
    public static V1Worker open(URI endpoint) {
        return new V1Worker(TestWorker.open(endpoint, SUBPROTOCOL));
    }

    public static String hello(String workerId, int capacity, int... taskTypes) {
        return "{\"type\":\"hello\",\"workerId\":\"" + workerId + "\",\"capacity\":" + capacity + ",\"taskTypes\":["
                + Arrays.stream(taskTypes).mapToObj(String::valueOf).collect(Collectors.joining(",")) + "]}";
    }

    public TestWorker socket() {
        return socket;
    }

    public V1Worker send(String frame) {
        socket.send(frame);
        return this;
    }

    /** The next frame, parsed; fails if none comes within {@code timeout}. */
    public JsonNode next(Duration timeout) throws InterruptedException {
        String frame = socket.poll(timeout);
        assertThat(frame).as("a frame within " + timeout).isNotNull();
        return parse(frame);
    }

    /** The next frame, parsed, or null if none comes within {@code timeout}. */
    public JsonNode poll(Duration timeout) throws InterruptedException {
        String frame = socket.poll(timeout);
        return frame == null ? null : parse(frame);
    }

    /** The next {@code task} frame; fails on any other frame or none. */
    public JsonNode nextTask() throws InterruptedException {
        JsonNode frame = next(TestWorker.TIMEOUT);
        assertThat(frame.path("type").asText()).as("frame type of " + frame).isEqualTo("task");
        return frame;
    }

    public V1Worker done(JsonNode task) {
        return done(task.get("taskId").asText(), null);
    }

    public V1Worker done(String taskId, JsonNode result) {
        ObjectNode frame = JSON.createObjectNode().put("type", "done").put("taskId", taskId);
        if (result != null) {
            frame.set("result", result);
        }
        return send(frame.toString());
    }

    public V1Worker failed(JsonNode task, String error, boolean retry) {
        return send(JSON.createObjectNode().put("type", "failed").put("taskId", task.get("taskId").asText())
                .put("error", error).put("retry", retry).toString());
    }

    public V1Worker progress(JsonNode task) {
        return send(JSON.createObjectNode().put("type", "progress").put("taskId", task.get("taskId").asText())
                .toString());
    }

    public Close awaitClose() {
        return socket.awaitClose();
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
