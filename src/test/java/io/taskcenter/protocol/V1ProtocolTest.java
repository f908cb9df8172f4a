package io.taskcenter.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.rabbitmq.client.AMQP;

import io.quarkus.test.junit.QuarkusTest;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.RawFrame;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.TestWorker.Close;
import io.taskcenter.support.V1Worker;

/**
 * Protocol v1 on the wire: the hello and its refusals, the task frame, and an error for every frame the
 * service cannot act on.
 */
@QuarkusTest
class V1ProtocolTest extends QuarkusBrokerTest {

    @Test
    void welcomesAHelloWithTheEffectiveCapacityAndTypes() throws Exception {
        V1Worker worker = fleet.openV1();
        assertThat(worker.socket().subprotocol()).isEqualTo(V1Worker.SUBPROTOCOL);

        JsonNode welcome = worker.send(V1Worker.hello("2", 3, 7, 2)).next(TestWorker.TIMEOUT);

        assertThat(welcome.get("type").asText()).isEqualTo("welcome");
        assertThat(welcome.get("workerId").asText()).isEqualTo("2");
        assertThat(welcome.get("capacity").asInt()).isEqualTo(3);
        assertThat(welcome.get("taskTypes").toString()).isEqualTo("[2,7]");
        assertThat(welcome.get("heartbeatTimeoutMs").asLong()).isPositive();
    }

    @Test
    void sendsTheWholeTaskWithIdAttemptDeadlineAndOriginalPayload() throws Exception {
        V1Worker worker = fleet.connectV1("1", 1, 1);
        Instant before = Instant.now();

        broker.publish("{\"TaskName\":\"Demo\",\"TaskType\":1,\"Args\":[1,2]}",
                new AMQP.BasicProperties.Builder().messageId("task-42").build());

        JsonNode task = worker.nextTask();
        assertThat(task.get("taskId").asText()).isEqualTo("task-42");
        assertThat(task.get("taskType").asInt()).isEqualTo(1);
        assertThat(task.get("taskName").asText()).isEqualTo("Demo");
        assertThat(task.get("attempt").asInt()).isEqualTo(1);
        assertThat(task.get("payload").toString()).isEqualTo("{\"TaskName\":\"Demo\",\"TaskType\":1,\"Args\":[1,2]}");
        assertThat(Instant.parse(task.get("deadline").asText())).isAfter(before);
        worker.done(task);
    }

    @Test
    void derivesATaskIdWhenTheMessageHasNone() throws Exception {
        V1Worker worker = fleet.connectV1("1", 2, 1);

        broker.publish("{\"TaskName\":\"first\",\"TaskType\":1}");
        broker.publish("{\"TaskName\":\"second\",\"TaskType\":1}");

        JsonNode first = worker.nextTask();
        JsonNode second = worker.nextTask();
        assertThat(first.get("taskId").asText()).startsWith("sha256-")
                .isNotEqualTo(second.get("taskId").asText());
        worker.done(first).done(second);
    }

    @Test
    void refusesAnInvalidHelloWithInvalidPayload() {
        assertThat(fleet.openV1().send("{not json").awaitClose().code()).isEqualTo(1007);
        assertThat(fleet.openV1().send("{\"type\":\"hello\",\"workerId\":\"1\",\"taskTypes\":[1]}").awaitClose())
                .isEqualTo(new Close(1007, "Invalid hello: missing 'capacity'"));
        assertThat(fleet.openV1().send("{\"type\":\"hello\",\"workerId\":\"1\",\"capacity\":1,\"taskTypes\":[]}")
                .awaitClose())
                .isEqualTo(new Close(1007, "Invalid hello: 'taskTypes' must be a non-empty array of integers"));
        assertThat(fleet.openV1().send("{\"type\":\"hello\",\"workerId\":1,\"capacity\":1,\"taskTypes\":[1]}")
                .awaitClose())
                .isEqualTo(new Close(1007, "Invalid hello: 'workerId' must be a non-blank string"));
    }

    @Test
    void refusesAHelloThePolicyDoesNotAllow() {
        assertThat(fleet.openV1().send(V1Worker.hello("9", 1, 1)).awaitClose())
                .isEqualTo(new Close(1008, "Unknown worker id '9': no task types are configured for it"));
        assertThat(fleet.openV1().send(V1Worker.hello("1", 1, 1, 2, 5)).awaitClose())
                .isEqualTo(new Close(1008, "Task types [2, 5] are not allowed for worker '1'"));
        assertThat(fleet.openV1().send(V1Worker.hello("1", 0, 1)).awaitClose())
                .isEqualTo(new Close(1008, "Capacity must be between 1 and 64, got 0"));
        assertThat(fleet.openV1().send(V1Worker.hello("1", 65, 1)).awaitClose())
                .isEqualTo(new Close(1008, "Capacity must be between 1 and 64, got 65"));
    }

    @Test
    void refusesAnyOtherFrameBeforeTheHello() {
        assertThat(fleet.openV1().send("{\"type\":\"done\",\"taskId\":\"x\"}").awaitClose())
                .isEqualTo(new Close(1008, "Expected a hello frame first, got 'done'"));
        assertThat(fleet.openV1().send("{\"type\":\"gossip\"}").awaitClose())
                .isEqualTo(new Close(1008, "Expected a hello frame first, got 'gossip'"));
    }

    @Test
    void aDrainingWorkerIsToldWhatItHoldsGetsNoMoreAndStillReports() throws Exception {
        V1Worker leaving = fleet.connectV1("1", 4, 1);
        broker.publish(task("held", 1));
        JsonNode held = leaving.nextTask();

        JsonNode draining = leaving.send("{\"type\":\"drain\"}").next(TestWorker.TIMEOUT);
        assertThat(draining.get("type").asText()).isEqualTo("draining");
        assertThat(draining.get("holding").asInt()).isEqualTo(1);

        broker.publish(task("next", 1));
        V1Worker staying = fleet.connectV1("3", 1, 1);
        assertThat(staying.nextTask().get("taskName").asText()).isEqualTo("next");
        assertThat(leaving.done(held).poll(Duration.ofMillis(300))).as("no error, and no task").isNull();
    }

    @Test
    void answersFramesItCannotActOnWithAnErrorAndKeepsTheWorker() throws Exception {
        V1Worker worker = fleet.connectV1("3", 1, 1);

        assertError(worker.send("{\"type\":\"gossip\"}"), "unknown-type",
                "unknown frame type 'gossip'; a worker sends hello, done, failed, progress or drain");
        assertError(worker.send("[]"), "bad-frame", "frame must be a JSON object");
        assertError(worker.send("{\"type\":\"done\"}"), "bad-frame", "missing 'taskId'");
        assertError(worker.send("{\"type\":\"failed\",\"taskId\":\"x\",\"retry\":\"yes\"}"), "bad-frame",
                "'retry' must be true or false");
        assertError(worker.done("never-sent", null), "unknown-task", "this connection does not hold that task");
        assertError(worker.send(V1Worker.hello("3", 1, 1)), "already-welcomed",
                "this connection was welcomed already; open a new one to change its hello");

        broker.publish("{\"TaskName\":\"still-served\",\"TaskType\":1}");
        JsonNode task = worker.nextTask();
        assertThat(task.get("taskName").asText()).isEqualTo("still-served");
        worker.done(task);
    }

    @Test
    void closesTheSocketOnAFrameOverTheSizeLimit() throws Exception {
        V1Worker worker = fleet.connectV1("3", 1, 1);

        worker.done("big", new TextNode("x".repeat(70_000)));

        assertThat(worker.awaitClose().code()).isEqualTo(1009);
    }

    @Test
    void closesASocketSendingOneFrameOverTheSizeLimitWithMessageTooBig() {
        Close tooBig = new Close(1009, "Messages must be at most 65536 bytes");

        assertThat(RawFrame.sendAndAwaitClose(push, V1Worker.SUBPROTOCOL, "x".repeat(70_000))).isEqualTo(tooBig);
        assertThat(RawFrame.sendAndAwaitClose(push, null, "x".repeat(70_000))).as("seed").isEqualTo(tooBig);
    }

    @Test
    void closesTheSocketOnAMessageOverTheSizeLimitSentInSmallFrames() throws Exception {
        V1Worker worker = fleet.connectV1("3", 1, 1);

        worker.socket().sendFragmented("x".repeat(40_000), "x".repeat(40_000));

        assertThat(worker.awaitClose()).isEqualTo(new Close(1009, "Messages must be at most 65536 bytes"));
    }

    private static void assertError(V1Worker worker, String code, String message) throws InterruptedException {
        JsonNode error = worker.next(Duration.ofSeconds(5));
        assertThat(error.get("type").asText()).isEqualTo("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isEqualTo(message);
    }
}
