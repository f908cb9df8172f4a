package io.taskcenter.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class FramesTest {

    @Test
    void helloNamesTheIdTheTypesAndTheCapacity() throws Exception {
        JsonNode hello = Frames.JSON.readTree(Frames.hello("2", List.of(2, 7), 4));
        assertEquals("hello", hello.get("type").asText());
        assertEquals("2", hello.get("workerId").asText());
        assertEquals(4, hello.get("capacity").asInt());
        assertEquals("[2,7]", hello.get("taskTypes").toString());
    }

    @Test
    void doneCarriesAnyJsonResultAndLeavesANullOneOut() throws Exception {
        JsonNode done = Frames.JSON.readTree(Frames.done("t-1", Map.of("invoice", "INV-77")));
        assertEquals("{\"invoice\":\"INV-77\"}", done.get("result").toString());
        assertTrue(Frames.JSON.readTree(Frames.done("t-1", null)).path("result").isMissingNode());
    }

    record Order(String TaskName, int total) {
    }

    @Test
    void aPayloadReadsIntoAClassThatNamesOnlySomeOfItsFields() throws Exception {
        Task task = new Task("t-1", 2, "Invoice", 1, java.time.Instant.now(),
                Frames.JSON.readTree("{\"TaskName\":\"Invoice\",\"TaskType\":2,\"total\":42}"), null);
        assertEquals(new Order("Invoice", 42), task.payloadAs(Order.class));
    }

    @Test
    void aResultTooBigForOneFrameGivesNoDoneFrame() {
        assertNull(Frames.done("t-1", "x".repeat(Frames.MAX_FRAME_BYTES)));
    }

    @Test
    void failedKeepsTheErrorShortAndSaysWhetherToRetry() throws Exception {
        JsonNode failed = Frames.JSON.readTree(Frames.failed("t-1", "e".repeat(10_000), true));
        assertTrue(failed.get("retry").asBoolean());
        assertTrue(failed.get("error").asText().length() < 4100);
        assertEquals("failed", Frames.JSON.readTree(Frames.failed("t-1", " ", false)).get("error").asText());
    }
}
