package io.taskcenter.task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a task message body. Accepts the seed's PascalCase keys ({@code TaskName}, {@code TaskType}) and
 * camelCase ({@code taskName}, {@code taskType}); anything else it cannot use is an {@link InvalidTaskException}
 * whose message names the problem.
 * <p>
 * It reads the body as a stream of tokens and builds values only for the two fields it needs: the rest is checked
 * to be JSON and skipped, and reaches v1 workers as the bytes the producer published. A tree would have changed
 * them (a number beyond a double's precision rounded, a repeated key dropped), and cost a tree per task.
 */
@Singleton
public class TaskParser {

    static final String NAME = "TaskName";
    static final String TYPE = "TaskType";
    private static final String CAMEL_NAME = "taskName";
    private static final String CAMEL_TYPE = "taskType";
    private static final char BOM = '\uFEFF';

    private final ObjectMapper mapper;

    TaskParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Task parse(byte[] body) throws InvalidTaskException {
        // Checked strictly first: the parser decodes only the strings it reads, and skips the others unchecked.
        String text = strictUtf8(body);
        JsonNode name = null;
        JsonNode camelName = null;
        JsonNode type = null;
        JsonNode camelType = null;
        try (JsonParser parser = mapper.createParser(body)) {
            if (!(parser instanceof UTF8StreamJsonParser)) {
                // Valid UTF-8 yet read as UTF-16 or UTF-32 (zero bytes in the right places): JSON between systems
                // is UTF-8 (RFC 8259), and workers get the body's text as it is.
                throw new InvalidTaskException("body must be JSON in UTF-8");
            }
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidTaskException("body must be a JSON object, got " + describe(readWhole(body)));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case NAME -> name = mapper.readTree(parser);
                    case CAMEL_NAME -> camelName = mapper.readTree(parser);
                    case TYPE -> type = mapper.readTree(parser);
                    case CAMEL_TYPE -> camelType = mapper.readTree(parser);
                    default -> parser.skipChildren();
                }
            }
            // "{...} junk" is not a task either.
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new InvalidTaskException("body is not valid JSON: more content after the task object ("
                        + after + ")");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidTaskException("body could not be read: " + e.getMessage());
        }
        JsonNode taskName = field(name, camelName, NAME, CAMEL_NAME);
        if (!taskName.isTextual()) {
            throw new InvalidTaskException(NAME, NAME + " must be a string, got " + describe(taskName));
        }
        if (taskName.textValue().isBlank()) {
            throw new InvalidTaskException(NAME, NAME + " must not be blank");
        }
        JsonNode taskType = field(type, camelType, TYPE, CAMEL_TYPE);
        if (!taskType.isIntegralNumber() || !taskType.canConvertToInt()) {
            throw new InvalidTaskException(TYPE, TYPE + " must be a 32-bit integer, got " + describe(taskType));
        }
        return new Task(taskName.textValue(), taskType.intValue(), text);
    }

    /** The body's text, without a byte order mark; any byte sequence that is not UTF-8 is refused. */
    private static String strictUtf8(byte[] body) throws InvalidTaskException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = decoder.decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTaskException("body must be JSON in UTF-8");
        }
        return !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
    }

    /** The value under the PascalCase key or its camelCase twin; exactly one of them must be present. */
    private static JsonNode field(JsonNode pascal, JsonNode camel, String pascalCase, String camelCase)
            throws InvalidTaskException {
        if (pascal != null && camel != null) {
            throw new InvalidTaskException(pascalCase, pascalCase + " and " + camelCase + " are both present");
        }
        if (pascal == null && camel == null) {
            throw new InvalidTaskException(pascalCase, "missing " + pascalCase + " (or " + camelCase + ")");
        }
        return pascal != null ? pascal : camel;
    }

    /** The whole body as a tree, to say what it is instead of an object: only on that error path. */
    private JsonNode readWhole(byte[] body) throws IOException {
        return mapper.readTree(body);
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
