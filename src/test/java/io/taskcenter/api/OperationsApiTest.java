package io.taskcenter.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.taskcenter.support.Broker;
import io.taskcenter.support.QuarkusBrokerTest;
import io.taskcenter.support.TestWorker;
import io.taskcenter.support.V1Worker;

/**
 * The operations API against the running service and the real broker: every endpoint's answer, and every
 * refusal as a JSON error with the right status.
 */
@QuarkusTest
class OperationsApiTest extends QuarkusBrokerTest {

    private static final Duration SETTLED = Duration.ofSeconds(10);

    @Test
    void listsTheWorkersOnlineWithWhatTheyHold() throws Exception {
        fleet.connect("1");
        V1Worker v1 = fleet.connectV1("2", 3, 2, 7);
        broker.publish(task("held", 7));
        JsonNode task = v1.nextTask();

        given().when().get("/api/workers").then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("", hasSize(2))
                .body("[0].id", equalTo("1"))
                .body("[0].protocol", equalTo("seed"))
                .body("[0].taskTypes", equalTo("[1]"))
                .body("[0].capacity", equalTo(1))
                .body("[0].inFlight", equalTo(0))
                .body("[0].remoteAddress", startsWith("127.0.0.1:"))
                .body("[1].id", equalTo("2"))
                .body("[1].protocol", equalTo("v1"))
                .body("[1].taskTypes", equalTo("[2, 7]"))
                .body("[1].capacity", equalTo(3))
                .body("[1].inFlight", equalTo(1))
                .body("[1].connectedSince", matchesPattern("\\d{4}-\\d\\d-\\d\\dT.*Z"));
        v1.done(task);
    }

    @Test
    void statsCountWhatHappensToTasks() throws Exception {
        V1Worker worker = fleet.connectV1("1", 2, 1);
        Response before = given().when().get("/api/stats");
        long dispatched = before.jsonPath().getLong("dispatched");
        long completed = before.jsonPath().getLong("completed");
        long invalid = before.jsonPath().getLong("deadLettered.invalid-task");

        broker.publish(task("counted", 1));
        broker.publish("not a task");
        JsonNode task = worker.nextTask();
        given().when().get("/api/stats").then().body("inFlight", equalTo(1)).body("workersOnline", equalTo(1));
        worker.done(task);

        await().atMost(SETTLED).untilAsserted(() -> given().when().get("/api/stats").then().statusCode(200)
                .body("dispatched", equalTo((int) dispatched + 1))
                .body("completed", equalTo((int) completed + 1))
                .body("deadLettered.invalid-task", equalTo((int) invalid + 1))
                .body("inFlight", equalTo(0))
                .body("waiting", equalTo(0)));
        // The count moves when the service decides; the copy lands in the dead-letter queue a moment later.
        // Wait for it, or it lands in the next test's empty queue.
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);
    }

    @Test
    void publishesATaskThatReachesAWorkerWithTheReturnedId() throws Exception {
        V1Worker worker = fleet.connectV1("2", 1, 5);

        String taskId = given().contentType(ContentType.JSON)
                .body("{\"TaskName\":\"from-api\",\"TaskType\":5,\"Priority\":\"high\"}")
                .when().post("/api/tasks")
                .then().statusCode(202)
                .body("taskName", equalTo("from-api"))
                .body("taskType", equalTo(5))
                .extract().path("taskId");

        JsonNode task = worker.nextTask();
        assertThat(task.get("taskId").asText()).isEqualTo(taskId);
        assertThat(task.get("payload").get("Priority").asText()).isEqualTo("high");
        worker.done(task);
    }

    @Test
    void refusesAnInvalidTaskNamingTheFieldAndQueuesNothing() {
        assertBadRequest("{\"TaskName\":\"x\",\"TaskType\":\"one\"}", "TaskType",
                "TaskType must be a 32-bit integer, got string \"one\"");
        assertBadRequest("{\"TaskType\":1}", "TaskName", "missing TaskName (or taskName)");
        assertBadRequest("{\"TaskName\":\"x\",", null, "body is not valid JSON");
        assertBadRequest("", null, "body must be a JSON object, got nothing");

        given().contentType(ContentType.TEXT).body("{\"TaskName\":\"x\",\"TaskType\":1}")
                .when().post("/api/tasks")
                .then().statusCode(415).contentType(ContentType.JSON).body("status", equalTo(415));
        given().contentType(ContentType.JSON).body("{\"TaskName\":\"x\",\"TaskType\":1}")
                .queryParam("routingKey", "k".repeat(256))
                .when().post("/api/tasks")
                .then().statusCode(400).body("field", equalTo("routingKey"))
                .body("message", equalTo("routingKey must be 1 to 255 characters"));
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.deadLetterQueue())).isZero();
    }

    @Test
    void peeksAtDeadLettersPageByPageWithoutRemovingThem() {
        for (String body : List.of("first bad", "second bad", "third bad")) {
            broker.publish(body, new AMQP.BasicProperties.Builder().messageId(body.replace(' ', '-')).build());
        }
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 3);

        given().queryParam("offset", 1).queryParam("limit", 1)
                .when().get("/api/dead-letters")
                .then().statusCode(200)
                .body("total", equalTo(3))
                .body("offset", equalTo(1))
                .body("items", hasSize(1))
                .body("items[0].messageId", equalTo("second-bad"))
                .body("items[0].body", equalTo("second bad"))
                .body("items[0].reason", equalTo("invalid-task"))
                .body("items[0].error", containsString("not valid JSON"))
                .body("items[0].queue", equalTo(broker.queue()))
                .body("items[0].routingKey", equalTo("test.task"))
                .body("items[0].deaths", equalTo(1))
                .body("items[0].deadLetteredAt", matchesPattern("\\d{4}-.*Z"));
        given().when().get("/api/dead-letters").then().statusCode(200).body("items", hasSize(3));

        assertThat(broker.ready(broker.deadLetterQueue())).isEqualTo(3);
    }

    @Test
    void looksAtADeadLetterMoreOftenThanAnyDeliveryLimitAndLosesNothing() {
        broker.publish("not a task", new AMQP.BasicProperties.Builder().messageId("looked-at").build());
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);

        // Each look returns the message to the queue; RabbitMQ 4.x drops one after 20 returns by default.
        for (int look = 1; look <= 30; look++) {
            given().when().get("/api/dead-letters")
                    .then().statusCode(200)
                    .body("total", equalTo(1))
                    .body("items[0].messageId", equalTo("looked-at"));
        }

        assertThat(broker.ready(broker.deadLetterQueue())).isEqualTo(1);
        assertThat(Broker.body(broker.take(broker.deadLetterQueue()))).isEqualTo("not a task");
    }

    @Test
    void statsGiveTheQueuesDepthsAsRabbitMqCountsThem() {
        broker.publish("not a task", new AMQP.BasicProperties.Builder().messageId("counted").build());
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 1);

        given().when().get("/api/stats").then().statusCode(200)
                .body("queues.role", contains("tasks", "room", "room", "dead-letters"))
                .body("queues.queue", contains(broker.queue(), broker.room("1"), broker.room("other"),
                        broker.deadLetterQueue()))
                .body("queues.find { it.role == 'tasks' }.consumers", equalTo(1))
                .body("rooms.enabled", equalTo(true))
                .body("queues.find { it.role == 'dead-letters' }.ready", equalTo(1))
                .body("queuesError", nullValue());
    }

    @Test
    void refusesAPageOutOfRange() {
        given().queryParam("limit", 0).when().get("/api/dead-letters")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("field", equalTo("limit")).body("message", equalTo("limit must be between 1 and 100"));
        given().queryParam("offset", -1).when().get("/api/dead-letters")
                .then().statusCode(400).body("field", equalTo("offset"));
        given().queryParam("count", 0).when().post("/api/dead-letters/replay")
                .then().statusCode(400).body("field", equalTo("count"));
    }

    @Test
    void replaysDeadLettersAsFreshTasksToTheWorkersOnlineNow() throws Exception {
        for (int i = 0; i < 3; i++) {
            broker.publish(task("orphan-" + i, 1));
        }
        // Nobody takes type 1: each waits, is requeued once, waits again and is dead-lettered.
        await().atMost(SETTLED).until(() -> broker.ready(broker.deadLetterQueue()) == 3);
        V1Worker worker = fleet.connectV1("1", 3, 1);

        given().queryParam("count", 2).when().post("/api/dead-letters/replay")
                .then().statusCode(200).body("replayed", equalTo(2)).body("remaining", equalTo(1));
        JsonNode first = worker.nextTask();
        JsonNode second = worker.nextTask();
        assertThat(List.of(first.get("taskName").asText(), second.get("taskName").asText()))
                .containsExactly("orphan-0", "orphan-1");
        assertThat(first.get("attempt").asInt()).as("a replayed task starts over").isEqualTo(1);

        given().when().post("/api/dead-letters/replay")
                .then().statusCode(200).body("replayed", equalTo(1)).body("remaining", equalTo(0));
        JsonNode third = worker.nextTask();
        assertThat(third.get("taskName").asText()).isEqualTo("orphan-2");
        worker.done(first).done(second).done(third);
    }

    @Test
    void answersUnknownPathsWithAJsonError() {
        given().when().get("/api/nothing-here")
                .then().statusCode(404).contentType(ContentType.JSON).body("status", equalTo(404));
        given().when().delete("/api/workers")
                .then().statusCode(405).contentType(ContentType.JSON).body("status", equalTo(405));
    }

    @Test
    void readinessReportsTheConsumerAndTheWorkersOnline() {
        fleet.connect("3");

        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Task dispatch' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Task dispatch' }.data.consumer", equalTo("attached"))
                .body("checks.find { it.name == 'Task dispatch' }.data.workersOnline", equalTo(1))
                // Agreed with the broker on the consumer's own connection: the setting reached the connector.
                .body("checks.find { it.name == 'Task dispatch' }.data.brokerHeartbeatSeconds", equalTo(10));
    }

    @Test
    void exportsTaskMetricsThatMoveWithTheTasks() throws Exception {
        TestWorker seed = fleet.connect("1");
        double before = metric("taskcenter_tasks_dispatched_total{type=\"1\"}");

        broker.publish(task("measured", 1));
        assertThat(seed.poll(TestWorker.TIMEOUT)).isEqualTo("measured");

        await().atMost(SETTLED).until(() -> metric("taskcenter_tasks_dispatched_total{type=\"1\"}") == before + 1);
        assertThat(metric("taskcenter_workers_online{type=\"1\"}")).isEqualTo(1);
        assertThat(metric("taskcenter_workers_online{type=\"other\"}")).isZero();
        assertThat(metric("taskcenter_tasks_handover_seconds_count{type=\"1\"}")).isPositive();
        assertThat(metric("taskcenter_tasks_in_flight")).isZero();
        given().when().get("/q/metrics").then().body(containsString(
                "taskcenter_tasks_dead_lettered_total{reason=\"no-worker\"}"));
    }

    private static void assertBadRequest(String body, String field, String message) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/tasks")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("field", equalTo(field))
                .body("message", startsWith(message));
    }

    /** A sample's value from /q/metrics, by its name and labels as Prometheus prints them. */
    private static double metric(String sample) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + sample + " in /q/metrics"));
    }
}
