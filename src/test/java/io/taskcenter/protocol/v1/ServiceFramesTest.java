package io.taskcenter.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

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
    void numbersBeyondADoubleAndRepeatedKeysReachTheWorkerAsThePublisherWroteThem() {
        // A tree would have read 0.1000000000000000055511 as the double 0.1 and kept one "tag" of two.
        String body = "{\"TaskName\":\"Pay\",\"TaskType\":2,\"amount\":0.1000000000000000055511,\"tag\":\"a\",\"tag\":\"b\"}";

        String frame = frames.task("p", 2, "Pay", body, 1, Instant.EPOCH);

        assertThat(frame).contains(",\"payload\":" + body + "}");
    }
}
