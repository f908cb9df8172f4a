package io.taskcenter.protocol.v1;

import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads the frames v1 workers send. Every problem becomes a {@link FrameException} whose message names the
 * field and what was wrong with it, so the worker's author can fix it from the error alone.
 */
public final class WorkerFrames {

    private final ObjectReader reader;

    public WorkerFrames(ObjectMapper mapper) {
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public WorkerFrame read(String text) throws FrameException {
        JsonNode frame = parse(text);
        String type = text(frame, "type");
        try {
            switch (type) {
                case V1.HELLO:
                    return new WorkerFrame.Hello(text(frame, "workerId"), taskTypes(frame), integer(frame, "capacity"));
                case V1.DONE:
                    return new WorkerFrame.Done(text(frame, "taskId"), frame.get("result"));
                case V1.FAILED:
                    return new WorkerFrame.Failed(text(frame, "taskId"), optionalText(frame, "error"),
                            bool(frame, "retry"));
                case V1.PROGRESS:
                    return new WorkerFrame.Progress(text(frame, "taskId"));
                case V1.DRAIN:
                    return new WorkerFrame.Drain();
                default:
                    throw new FrameException(FrameException.UNKNOWN_TYPE,
                            "unknown frame type '" + clip(type) + "'; a worker sends hello, done, failed, progress or drain");
            }
        } catch (FrameException e) {
            throw e.about(type);
        }
    }

    private JsonNode parse(String text) throws FrameException {
        JsonNode frame;
        try {
            frame = reader.readTree(text);
        } catch (JsonProcessingException e) {
            throw bad("frame is not valid JSON: " + e.getOriginalMessage());
        }
        if (frame == null || !frame.isObject()) {
            throw bad("frame must be a JSON object");
        }
        return frame;
    }

    private static String text(JsonNode frame, String field) throws FrameException {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw bad("missing '" + field + "'");
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw bad("'" + field + "' must be a non-blank string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode frame, String field) throws FrameException {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw bad("'" + field + "' must be a string");
        }
        return value.textValue();
    }

    private static int integer(JsonNode frame, String field) throws FrameException {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            throw bad("missing '" + field + "'");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw bad("'" + field + "' must be an integer");
        }
        return value.intValue();
    }

    private static boolean bool(JsonNode frame, String field) throws FrameException {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw bad("'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }

    private static Set<Integer> taskTypes(JsonNode frame) throws FrameException {
        JsonNode value = frame.get("taskTypes");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw bad("'taskTypes' must be a non-empty array of integers");
        }
        Set<Integer> types = new LinkedHashSet<>();
        for (JsonNode type : value) {
            if (!type.isIntegralNumber() || !type.canConvertToInt()) {
                throw bad("'taskTypes' must be a non-empty array of integers");
            }
            types.add(type.intValue());
        }
        return types;
    }

    private static String clip(String value) {
        return value.length() > 32 ? value.substring(0, 32) + "..." : value;
    }

    private static FrameException bad(String message) {
        return new FrameException(FrameException.BAD_FRAME, message);
    }
}
