package io.taskcenter.protocol.v1;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the frames v1 workers send. Every problem becomes a {@link FrameException} whose message names the
 * field and what was wrong with it, so the worker's author can fix it from the error alone.
 * <p>
 * A frame is read as a stream of tokens, keeping only the fields a frame may carry; a {@code done} frame's
 * {@code result} is kept as the JSON text the worker sent, not built into a tree, and reaches the producer as it
 * is. One frame per task: a tree per frame was the largest cost of reading it. The whole frame is checked to be
 * JSON before any field is, so the errors are the ones a tree would give.
 */
public final class WorkerFrames {

    private final JsonFactory json;

    public WorkerFrames(ObjectMapper mapper) {
        this.json = mapper.getFactory();
    }

    public WorkerFrame read(String text) throws FrameException {
        Fields frame = parse(text);
        String type = text(frame.type, "type");
        try {
            switch (type) {
                case V1.HELLO:
                    return new WorkerFrame.Hello(text(frame.workerId, "workerId"), frame.taskTypes(),
                            integer(frame.capacity, "capacity"));
                case V1.DONE:
                    return new WorkerFrame.Done(text(frame.taskId, "taskId"), frame.result);
                case V1.FAILED:
                    return new WorkerFrame.Failed(text(frame.taskId, "taskId"), optionalText(frame.error, "error"),
                            bool(frame.retry, "retry"));
                case V1.PROGRESS:
                    return new WorkerFrame.Progress(text(frame.taskId, "taskId"));
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

    private Fields parse(String text) throws FrameException {
        try (JsonParser parser = json.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                // Still a JSON error first, as for any frame: "[1," is not JSON before it is not an object.
                parser.skipChildren();
                parser.nextToken();
                throw bad("frame must be a JSON object");
            }
            Fields fields = new Fields();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.read(name, parser, text);
            }
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw bad("frame is not valid JSON: more content after the frame object (" + after + ")");
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw bad("frame is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Reading a String does no I/O; Jackson declares it all the same.
            throw bad("frame could not be read: " + e.getMessage());
        }
    }

    /** The fields a worker's frame may carry, as read; a repeated key counts once, the last one. */
    private static final class Fields {
        Value type;
        Value workerId;
        Value capacity;
        Value taskId;
        Value error;
        Value retry;
        /** The {@code taskTypes} as read, or null where it was missing, not an array, or held a non-integer. */
        Set<Integer> taskTypes;
        /** The {@code result} as the JSON text the worker sent, or null if it sent none or JSON {@code null}. */
        String result;

        void read(String name, JsonParser parser, String text) throws IOException {
            switch (name) {
                case "type" -> type = Value.of(parser);
                case "workerId" -> workerId = Value.of(parser);
                case "capacity" -> capacity = Value.of(parser);
                case "taskId" -> taskId = Value.of(parser);
                case "error" -> error = Value.of(parser);
                case "retry" -> retry = Value.of(parser);
                case "taskTypes" -> taskTypes = integers(parser);
                case "result" -> result = raw(parser, text);
                default -> parser.skipChildren();
            }
        }

        Set<Integer> taskTypes() throws FrameException {
            if (taskTypes == null || taskTypes.isEmpty()) {
                throw bad("'taskTypes' must be a non-empty array of integers");
            }
            return taskTypes;
        }

        /** The array's integers, or null if the value is not an array of 32-bit integers. */
        private static Set<Integer> integers(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                parser.skipChildren();
                return null;
            }
            Set<Integer> integers = new LinkedHashSet<>();
            boolean valid = true;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (Value.atInt(parser)) {
                    integers.add(parser.getIntValue());
                } else {
                    valid = false;
                    parser.skipChildren();
                }
            }
            return valid ? integers : null;
        }

        /** The value's text exactly as it stands in the frame, from its first character to its last. */
        private static String raw(JsonParser parser, String text) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            int start = (int) parser.currentTokenLocation().getCharOffset();
            parser.skipChildren();
            // A string is read lazily: its end is known only once it is finished.
            parser.finishToken();
            int end = (int) parser.currentLocation().getCharOffset();
            return text.substring(start, end);
        }
    }

    /** A scalar field: its token, and its text or number; an object or array keeps only its token. */
    private record Value(JsonToken token, String text, boolean fitsInt, int intValue) {

        static Value of(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return new Value(token, parser.getText(), false, 0);
            }
            if (atInt(parser)) {
                return new Value(token, null, true, parser.getIntValue());
            }
            parser.skipChildren();
            return new Value(token, null, false, 0);
        }

        /** Whether the parser stands at an integer that fits in 32 bits. */
        static boolean atInt(JsonParser parser) throws IOException {
            return parser.currentToken() == JsonToken.VALUE_NUMBER_INT
                    && parser.getNumberType() == JsonParser.NumberType.INT;
        }

        boolean isNull() {
            return token == JsonToken.VALUE_NULL;
        }
    }

    private static String text(Value value, String field) throws FrameException {
        if (value == null || value.isNull()) {
            throw bad("missing '" + field + "'");
        }
        if (value.token() != JsonToken.VALUE_STRING || value.text().isBlank()) {
            throw bad("'" + field + "' must be a non-blank string");
        }
        return value.text();
    }

    private static String optionalText(Value value, String field) throws FrameException {
        if (value == null || value.isNull()) {
            return "";
        }
        if (value.token() != JsonToken.VALUE_STRING) {
            throw bad("'" + field + "' must be a string");
        }
        return value.text();
    }

    private static int integer(Value value, String field) throws FrameException {
        if (value == null || value.isNull()) {
            throw bad("missing '" + field + "'");
        }
        if (!value.fitsInt()) {
            throw bad("'" + field + "' must be an integer");
        }
        return value.intValue();
    }

    private static boolean bool(Value value, String field) throws FrameException {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.token() != JsonToken.VALUE_TRUE && value.token() != JsonToken.VALUE_FALSE) {
            throw bad("'" + field + "' must be true or false");
        }
        return value.token() == JsonToken.VALUE_TRUE;
    }

    private static String clip(String value) {
        return value.length() > 32 ? value.substring(0, 32) + "..." : value;
    }

    private static FrameException bad(String message) {
        return new FrameException(FrameException.BAD_FRAME, message);
    }
}
