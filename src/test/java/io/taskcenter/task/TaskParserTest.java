package io.taskcenter.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class TaskParserTest {

    private final TaskParser parser = new TaskParser(new ObjectMapper());

    @Test
    void readsTheSeedsPascalCaseKeys() throws Exception {
        Task task = parse("{\"TaskName\":\"Demo\",\"TaskType\":1}");

        assertThat(task.name()).isEqualTo("Demo");
        assertThat(task.type()).isEqualTo(1);
    }

    @Test
    void readsCamelCaseKeysAndIgnoresUnknownFields() throws Exception {
        Task task = parse("{\"taskName\":\"Demo\",\"taskType\":42,\"Priority\":\"high\"}");

        assertThat(task.name()).isEqualTo("Demo");
        assertThat(task.type()).isEqualTo(42);
        assertThat(task.payload()).as("the payload v1 workers get, as published")
                .isEqualTo("{\"taskName\":\"Demo\",\"taskType\":42,\"Priority\":\"high\"}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "not json                                         | body is not valid JSON",
            "''                                               | body must be a JSON object, got nothing",
            "[1]                                              | body must be a JSON object, got array [1]",
            "'\"Demo\"'                                       | body must be a JSON object, got string \"Demo\"",
            "{\"TaskType\":1}                                 | missing TaskName (or taskName)",
            "{\"TaskName\":\"x\"}                             | missing TaskType (or taskType)",
            "{\"TaskName\":7,\"TaskType\":1}                  | TaskName must be a string, got number 7",
            "{\"TaskName\":\" \",\"TaskType\":1}              | TaskName must not be blank",
            "{\"TaskName\":\"x\",\"TaskType\":\"1\"}          | TaskType must be a 32-bit integer, got string \"1\"",
            "{\"TaskName\":\"x\",\"TaskType\":1.5}            | TaskType must be a 32-bit integer, got number 1.5",
            "{\"TaskName\":\"x\",\"TaskType\":4294967296}     | TaskType must be a 32-bit integer, got number 4294967296",
            "{\"TaskName\":\"x\",\"TaskType\":null}           | TaskType must be a 32-bit integer, got null null",
            "{\"TaskName\":\"x\",\"taskName\":\"y\",\"TaskType\":1} | TaskName and taskName are both present",
            "{\"TaskName\":\"x\",\"TaskType\":1} trailing      | body is not valid JSON",
            "{\"TaskName\":\"x\",\"TaskType\":1} {}            | body is not valid JSON: more content after the task object",
            "{\"TaskName\":\"x\",\"TaskType\":1,\"More\":[1,{\"a\":} | body is not valid JSON",
    })
    void refusesWhatCannotBeATaskWithAReasonNamingTheProblem(String body, String reason) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidTaskException.class)
                .hasMessageStartingWith(reason);
    }

    @org.junit.jupiter.api.Test
    void fieldsItDoesNotReadAreStillCheckedToBeJsonAndNestedNamesAreNotTheTask() throws InvalidTaskException {
        Task task = parse("{\"Order\":{\"TaskName\":\"inner\",\"TaskType\":9},\"TaskName\":\"outer\",\"TaskType\":2}");

        assertThat(task.name()).isEqualTo("outer");
        assertThat(task.type()).isEqualTo(2);
    }

    @org.junit.jupiter.api.Test
    void aBodyInAnotherEncodingThanUtf8IsRefused() {
        byte[] utf16 = "{\"TaskName\":\"x\",\"TaskType\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_16BE);

        assertThatThrownBy(() -> parser.parse(utf16)).isInstanceOf(InvalidTaskException.class)
                .hasMessage("body must be JSON in UTF-8");
    }

    @org.junit.jupiter.api.Test
    void bytesThatAreNotUtf8AreRefusedEvenInAFieldItSkips() {
        byte[] surrogate = { '{', '"', 'T', 'a', 's', 'k', 'N', 'a', 'm', 'e', '"', ':', '"', 'x', '"', ',',
            '"', 'T', 'a', 's', 'k', 'T', 'y', 'p', 'e', '"', ':', '1', ',', '"', 'n', '"', ':', '"',
            (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}' };

        assertThatThrownBy(() -> parser.parse(surrogate)).isInstanceOf(InvalidTaskException.class)
                .hasMessage("body must be JSON in UTF-8");
    }

    @org.junit.jupiter.api.Test
    void aByteOrderMarkIsNotPartOfThePayload() throws InvalidTaskException {
        Task task = parse("\uFEFF{\"TaskName\":\"x\",\"TaskType\":1}");

        assertThat(task.payload()).isEqualTo("{\"TaskName\":\"x\",\"TaskType\":1}");
    }

    private Task parse(String body) throws InvalidTaskException {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
