package io.taskcenter.endpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.TestWorker.Close;

/**
 * The seed protocol at {@code /push}: who may connect, and how every refusal is answered.
 */
@QuarkusTest
class PushEndpointTest extends QuarkusBrokerTest {

    @Test
    void newConnectionWithSameIdReplacesTheOldOneAndOnlyItReceivesTasks() throws Exception {
        TestWorker first = fleet.connect("1");
        TestWorker second = fleet.connect("1");

        assertThat(first.awaitClose()).isEqualTo(new Close(1000, "A new client with same id was connected!"));
        assertThat(second.isClosed()).isFalse();

        broker.publish(task("after-replacement", 1));
        assertThat(second.poll(TestWorker.TIMEOUT)).isEqualTo("after-replacement");
        assertThat(first.drain()).isEmpty();
    }

    @Test
    void refusesUnknownWorkerIdWithPolicyViolation() {
        TestWorker stranger = fleet.open().send("9");

        assertThat(stranger.awaitClose())
                .isEqualTo(new Close(1008, "Unknown worker id '9': no task types are configured for it"));
        assertThat(registry.find("9")).isEmpty();
    }

    @Test
    void quotesAtMostThePrefixOfALongUnknownIdAndStaysWithinTheCloseFrameLimit() {
        String longId = "ü".repeat(100);
        TestWorker stranger = fleet.open().send(longId);

        Close close = stranger.awaitClose();
        assertThat(close.code()).isEqualTo(1008);
        assertThat(close.reason()).startsWith("Unknown worker id '" + "ü".repeat(32) + "...'");
        assertThat(close.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    }

    @Test
    void refusesBlankOverlongAndControlCharacterWorkerIds() {
        assertThat(fleet.open().send("1\n2").awaitClose())
                .isEqualTo(new Close(1008, "The worker id must not contain control characters"));
        assertThat(fleet.open().send("   ").awaitClose())
                .isEqualTo(new Close(1008, "The worker id must not be empty"));
        assertThat(fleet.open().send("x".repeat(Admission.MAX_ID_LENGTH + 1)).awaitClose())
                .isEqualTo(new Close(1008, "The worker id must be at most " + Admission.MAX_ID_LENGTH + " characters"));
    }

    @Test
    void closesBinaryFramesAsUnsupportedData() {
        Close close = fleet.open().sendBinary(new byte[] { 1, 2, 3 }).awaitClose();

        assertThat(close).isEqualTo(new Close(1003, "Binary frames are not supported: send the worker id as a text frame"));
    }

    @Test
    void closesAConnectionThatNeverSendsItsId() {
        TestWorker silent = fleet.open();

        // The test profile sets taskcenter.hello-timeout to 1s.
        assertThat(silent.awaitClose()).isEqualTo(new Close(1008, "No worker id received within 1000 ms"));
    }

    @Test
    void framesAfterTheIdAreIgnoredAndTheWorkerStaysOnline() throws Exception {
        TestWorker worker = fleet.connect("3");
        worker.send("hello again").send("{\"type\":\"done\"}");

        broker.publish(task("still-here", 1));
        assertThat(worker.poll(TestWorker.TIMEOUT)).isEqualTo("still-here");
        assertThat(registry.find("3")).isPresent();
    }

    @Test
    void removesAWorkerWhenItsSocketCloses() {
        TestWorker worker = fleet.connect("2");
        worker.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("2").isEmpty());
    }

    @Test
    void plainHttpRequestToPushIsABadRequest() {
        given().when().get("/push")
                .then().statusCode(400)
                .contentType("application/json")
                .body("status", equalTo(400))
                .body("message", containsString("WebSocket upgrade"));
    }
}
