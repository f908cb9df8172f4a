package io.taskcenter.task;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads a task message body. Accepts the seed's PascalCase keys ({@code TaskName}, {@code TaskType}) and
 * camelCase ({@code taskName}, {@code taskType}); anything else it cannot use is an {@link InvalidTaskException}
 * whose message names the problem.
 */
@ApplicationScoped
public class TaskParser {

    static final String NAME = "TaskName";
    static final String TYPE = "TaskType";

    private final ObjectReader reader;

    TaskParser(ObjectMapper mapper) {
        // "{...} junk" is not a task either.
        this.reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public Task parse(byte[] body) throws InvalidTaskException {
        JsonNode root;
        try {
            root = reader.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidTaskException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidTaskException("body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidTaskException("body must be a JSON object, got " + describe(root));
        }
        JsonNode name = field(root, NAME);
        if (!name.isTextual()) {
            throw new InvalidTaskException(NAME, NAME + " must be a string, got " + describe(name));
        }
        if (name.textValue().isBlank()) {
            throw new InvalidTaskException(NAME, NAME + " must not be blank");
        }
        JsonNode type = field(root, TYPE);
        if (!type.isIntegralNumber() || !type.canConvertToInt()) {
            throw new InvalidTaskException(TYPE, TYPE + " must be a 32-bit integer, got " + describe(type));
        }
        return new Task(name.textValue(), type.intValue(), root);
    }

    /** The value under the PascalCase key or its camelCase twin; exactly one of them must be present. */
    private static JsonNode field(JsonNode root, String pascalCase) throws InvalidTaskException {
        String camelCase = Character.toLowerCase(pascalCase.charAt(0)) + pascalCase.substring(1);
        JsonNode pascal = root.get(pascalCase);
        JsonNode camel = root.get(camelCase);
        if (pascal != null && camel != null) {
            throw new InvalidTaskException(pascalCase, pascalCase + " and " + camelCase + " are both present");
        }
        if (pascal == null && camel == null) {
            throw new InvalidTaskException(pascalCase, "missing " + pascalCase + " (or " + camelCase + ")");
        }
        return pascal != null ? pascal : camel;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
