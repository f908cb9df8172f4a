package io.taskcenter.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.taskcenter.client.TaskCenterWorker;
import io.taskcenter.support.Broker;
import io.taskcenter.support.Sockets;
import io.taskcenter.support.TestWorker;

/**
 * The packaged service, from outside: {@code ./mvnw verify} runs it on the jar, {@code ./mvnw verify -Dnative} on
 * the native executable. It runs with the test profile's queues ({@code quarkus.test.integration-test-profile}).
 */
@QuarkusIntegrationTest
class PackagedServiceIT {


    @TestHTTPResource("/push")
    URI push;

    Broker broker;

    @BeforeEach
    void connect() {
        broker = Broker.forQueues("test.tasks");
        broker.purge();
    }

    @AfterEach
    void close() throws Exception {
        broker.close();
    }

    @Test
    void isLiveAndReadyWithTheConsumerAttached() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Task dispatch' }.data.consumer", equalTo("attached"));
    }

    @Test
    void aTaskPublishedThroughTheApiIsCompletedByAV1Worker() throws Exception {
        int completed = given().when().get("/api/stats").then().extract().path("completed");
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        TaskCenterWorker worker = TaskCenterWorker.builder(Sockets.ws(push)).workerId("1").taskTypes(1)
                .handler(task -> handled.add(task.taskId())).build();
        try {
            worker.start();
            await().atMost(TestWorker.TIMEOUT).until(() -> given().when().get("/api/workers")
                    .then().extract().jsonPath().getList("id").contains("1"));

            String taskId = given().contentType(ContentType.JSON).body("{\"TaskName\":\"packaged\",\"TaskType\":1}")
                    .when().post("/api/tasks")
                    .then().statusCode(202).extract().path("taskId");
            assertThat(handled.poll(TestWorker.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(taskId);
        } finally {
            worker.close(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/api/stats")
                .then().body("completed", equalTo(completed + 1)));
        assertThat(broker.ready(broker.queue())).isZero();
    }

    @Test
    void aSeedWorkerGetsTheSeedFrame() throws Exception {
        try (TestWorker seed = TestWorker.connect(Sockets.ws(push), "2")) {
            await().atMost(TestWorker.TIMEOUT).until(() -> given().when().get("/api/workers")
                    .then().extract().jsonPath().getList("id").contains("2"));
            broker.publish("{\"TaskName\":\"legacy\",\"TaskType\":4}");
            assertThat(seed.poll(TestWorker.TIMEOUT)).isEqualTo("Special-legacy");
        }
    }

    @Test
    void servesMetricsAndTheApiDescription() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("taskcenter_tasks_dispatched_total"))
                .body(containsString("taskcenter_workers_online"));
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/dead-letters/replay"));
    }
}
