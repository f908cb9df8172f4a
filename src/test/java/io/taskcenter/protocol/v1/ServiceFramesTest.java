package io.taskcenter.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ServiceFramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ServiceFrames frames = new ServiceFrames(JSON);

    @Test
    void aTaskFrameCarriesThePayloadAsPublished() throws Exception {
        String body = "{\"TaskName\":\"Invoice\",\"TaskType\":2,\n \"Order\": {\"id\": 1842, \"lines\": [1, 2.5, \"é\"]}}";

        JsonNode frame = JSON.readTree(frames.task("order-1842", 2, "Invoice", body, 3,
                Instant.parse("2026-12-01T12:00:00Z")));

        assertThat(frame.path("type").asText()).isEqualTo("task");
        assertThat(frame.path("taskId").asText()).isEqualTo("order-1842");
        assertThat(frame.path("taskType").asInt()).isEqualTo(2);
        assertThat(frame.path("taskName").asText()).isEqualTo("Invoice");
        assertThat(frame.path("attempt").asInt()).isEqualTo(3);
        assertThat(frame.path("deadline").asText()).isEqualTo("2026-12-01T12:00:00Z");
        assertThat(frame.path("payload")).isEqualTo(JSON.readTree(body));
    }

    @Test
    void theDeadlineIsSentToTheMillisecondAndEachTaskGetsItsOwn() throws Exception {
        Instant first = Instant.parse("2026-12-01T12:00:00.123456789Z");

        assertThat(deadlineOf(frames.task("t1", 1, "A", "{}", 1, first))).isEqualTo("2026-12-01T12:00:00.123Z");
        assertThat(deadlineOf(frames.task("t2", 1, "A", "{}", 1, first.plusNanos(400_000))))
                .isEqualTo("2026-12-01T12:00:00.123Z");
        assertThat(deadlineOf(frames.task("t3", 1, "A", "{}", 1, first.plusMillis(1))))
                .isEqualTo("2026-12-01T12:00:00.124Z");
        assertThat(deadlineOf(frames.task("t4", 1, "A", "{}", 1, first))).isEqualTo("2026-12-01T12:00:00.123Z");
    }

    private static String deadlineOf(String frame) throws Exception {
        return JSON.readTree(frame).path("deadline").asText();
    }

    @Test
    void idsAndNamesWithQuotesBackslashesAndControlCharactersReachTheWorkerAsSent() throws Exception {
        String id = "id \"1\" \\ \u0001\n\t é ✓ \ud83d\ude00";
        String name = "Name</script>\"\\\u001f\u007f";

        JsonNode frame = JSON.readTree(frames.task(id, 1, name, "{\"a\":1}", 2, Instant.EPOCH));

        assertThat(frame.path("taskId").asText()).isEqualTo(id);
        assertThat(frame.path("taskName").asText()).isEqualTo(name);
        assertThat(frame.path("deadline").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(frame.size()).as("type, taskId, taskType, taskName, attempt, deadline, payload").isEqualTo(7);
    }

    @Test
    void aWelcomeListsTheTypesInOrderAndCarriesAnyWorkerIdIntact() throws Exception {
        String id = "w \"1\" \\ \u0001 é";

        JsonNode welcome = JSON.readTree(frames.welcome(id, new LinkedHashSet<>(List.of(7, 2, 30)), 4, 15_000));

        assertThat(welcome).isEqualTo(JSON.readTree("{\"type\":\"welcome\",\"workerId\":" + JSON.writeValueAsString(id)
                + ",\"capacity\":4,\"heartbeatTimeoutMs\":15000,\"taskTypes\":[2,7,30]}"));
    }

    @Test
    void numbersBeyondADoubleAndRepeatedKeysReachTheWorkerAsThePublisherWroteThem() {
        // A tree would have read 0.1000000000000000055511 as the double 0.1 and kept one "tag" of two.
        String body = "{\"TaskName\":\"Pay\",\"TaskType\":2,\"amount\":0.1000000000000000055511,\"tag\":\"a\",\"tag\":\"b\"}";

        String frame = frames.task("p", 2, "Pay", body, 1, Instant.EPOCH);

        assertThat(frame).contains(",\"payload\":" + body + "}");
    }
}
